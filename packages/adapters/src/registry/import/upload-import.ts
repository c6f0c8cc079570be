import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ImportJob } from './dynamodb-import-jobs.js';
import { type ImportSummaryDocument, writeImportSummary } from './import-summary.js';
import {
  type PARALLEL_IMPORT_KINDS,
  summaryKey,
  UPLOAD_DECODING_METADATA,
  type UploadDecoding,
  uploadDecodingKey,
  uploadPrefix,
} from './import-work.js';
import { type ImportSplitterDeps, importIdFor, startImport } from './parallel-import.js';

/**
 * Uploads a local file under `uploads/<kind>/` (streamed in parts) and starts its import, unless the
 * bucket's event (the cloud's rule, the embedded stack's emulator) has started it within a few
 * seconds. Both starts would be one import (same upload, same id) and a chunk queued twice counts
 * once; waiting only spares the workers reading each chunk twice.
 */
export async function uploadAndStartImport(
  deps: ImportSplitterDeps,
  input: {
    readonly kind: (typeof PARALLEL_IMPORT_KINDS)[number];
    readonly file: string;
    /** `--format`, `--codes`, `--max-line-length`: stored beside the upload, before it, for the splitter. */
    readonly decoding?: UploadDecoding;
  },
): Promise<ImportJob> {
  const stamp = deps
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const key = `${uploadPrefix(input.kind)}${stamp}-${basename(input.file).replace(/[^\w.-]/g, '_')}`;
  const decoding = input.decoding && Object.keys(input.decoding).length > 0 ? input.decoding : undefined;
  if (decoding)
    await deps.files.writeText(uploadDecodingKey(key), JSON.stringify(decoding), 'application/json');
  await deps.files.upload(
    key,
    createReadStream(input.file),
    undefined,
    decoding ? { [UPLOAD_DECODING_METADATA]: 'yes' } : undefined,
  );
  const head = await deps.files.head(key);
  if (head) {
    const importId = importIdFor(deps.files.bucket, key, head.etag);
    for (let attempt = 0; attempt < EVENT_POLLS; attempt++) {
      const job = await deps.jobs.get(importId);
      if (job?.enqueued) return job;
      await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
    }
  }
  return startImport(deps, key);
}

// EventBridge delivers S3 events within seconds: 5 s of polls before starting the import here.
const EVENT_POLLS = 10;
const EVENT_POLL_MS = 500;

export class ImportNotFoundError extends Error {
  override readonly name = 'ImportNotFoundError';
}

/**
 * Follows an import until its summary is written, reporting the job at each poll; returns the
 * summary. `poll` waits between reads (the CLI: a second).
 */
export async function followImport(
  deps: Pick<ImportSplitterDeps, 'files' | 'jobs'>,
  importId: string,
  options: { readonly onProgress?: (job: ImportJob) => void; readonly poll: () => Promise<void> },
): Promise<ImportSummaryDocument> {
  for (;;) {
    const job = await deps.jobs.get(importId);
    if (!job) throw new ImportNotFoundError(`no import ${importId}`);
    options.onProgress?.(job);
    if (job.finishedAt) {
      const text = await deps.files.readText(summaryKey(importId));
      // A summary object lost after the job was marked finished is written again from the job.
      return text
        ? (JSON.parse(text) as ImportSummaryDocument)
        : writeImportSummary(deps.files, { ...job, finishedAt: job.finishedAt });
    }
    await options.poll();
  }
}

/** Progress of an import in one line: chunks, lines, rejects. */
export function describeImportProgress(job: ImportJob): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const state = job.finishedAt ? 'done' : job.enqueued ? 'running' : 'splitting';
  return `${job.importId} ${job.kind} ${state}: ${n(job.chunksDone)}/${n(job.chunks)} chunks, ${n(job.lines)} lines, ${n(job.imported)} imported, ${n(job.rejected)} rejected`;
}
