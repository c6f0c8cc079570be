import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ImportJob } from './dynamodb-import-jobs.js';
import { type ImportSummaryDocument, writeImportSummary } from './import-summary.js';
import { type PARALLEL_IMPORT_KINDS, summaryKey, uploadPrefix } from './import-work.js';
import { type ImportSplitterDeps, startImport } from './parallel-import.js';

/**
 * Uploads a local file under `uploads/<kind>/` (streamed in parts) and starts its import. In the
 * cloud the bucket's event starts it too; both starts are one import (same upload, same id).
 */
export async function uploadAndStartImport(
  deps: ImportSplitterDeps,
  input: { readonly kind: (typeof PARALLEL_IMPORT_KINDS)[number]; readonly file: string },
): Promise<ImportJob> {
  const stamp = deps
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const key = `${uploadPrefix(input.kind)}${stamp}-${basename(input.file).replace(/[^\w.-]/g, '_')}`;
  await deps.files.upload(key, createReadStream(input.file));
  return startImport(deps, key);
}

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
