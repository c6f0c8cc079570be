import { Readable } from 'node:stream';
import type { S3ObjectStore } from '../../storage/object-store.js';
import type { ImportJob } from './dynamodb-import-jobs.js';
import { chunkRejectsKey, rejectsKey, summaryKey } from './import-work.js';

/** What `imports/<id>/summary.json` says of a finished import. */
export interface ImportSummaryDocument {
  readonly importId: string;
  readonly kind: string;
  readonly format: string;
  readonly key: string;
  readonly size: number;
  readonly chunks: number;
  readonly lines: number;
  readonly imported: number;
  readonly rejected: number;
  readonly blank: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The reject file (NDJSON, line numbers of the uploaded file), when any line was rejected. */
  readonly rejectsKey?: string;
}

/** The file's line number of each chunk's first line (a CSV file's header is line 1). */
export function chunkFirstLines(job: Pick<ImportJob, 'chunks' | 'format' | 'chunkLines'>): number[] {
  const first: number[] = [];
  let next = job.format === 'csv' ? 2 : 1;
  for (let i = 0; i < job.chunks; i++) {
    first.push(next);
    next += job.chunkLines[String(i)] ?? 0;
  }
  return first;
}

/**
 * Writes the import's reject file (the chunks' rejects in file order, with the file's line numbers,
 * streamed in parts so a large one never sits in memory) and then its summary. Both follow from the
 * job alone, so writing them twice (two workers, or a redelivery) writes the same objects.
 */
export async function writeImportSummary(
  files: S3ObjectStore,
  job: ImportJob & { readonly finishedAt: string },
): Promise<ImportSummaryDocument> {
  const withRejects = [...(job.rejectChunks ?? [])].sort((a, b) => a - b);
  const firstLines = chunkFirstLines(job);
  if (withRejects.length > 0) {
    async function* lines() {
      for (const chunk of withRejects) {
        const text = (await files.readText(chunkRejectsKey(job.importId, chunk))) ?? '';
        const base = (firstLines[chunk] ?? 1) - 1;
        for (const line of text.split('\n')) {
          if (line === '') continue;
          const record = JSON.parse(line) as { line: number };
          yield `${JSON.stringify({ ...record, line: base + record.line, chunk })}\n`;
        }
      }
    }
    await files.upload(rejectsKey(job.importId), Readable.from(lines()), 'application/x-ndjson');
  }
  const summary: ImportSummaryDocument = {
    importId: job.importId,
    kind: job.kind,
    format: job.format,
    key: job.key,
    size: job.size,
    chunks: job.chunks,
    lines: job.lines,
    imported: job.imported,
    rejected: job.rejected,
    blank: job.blank,
    rejectedByReason: job.rejectedByReason,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    ...(withRejects.length > 0 ? { rejectsKey: rejectsKey(job.importId) } : {}),
  };
  await files.writeText(
    summaryKey(job.importId),
    `${JSON.stringify(summary, null, 2)}\n`,
    'application/json',
  );
  return summary;
}
