import { Readable } from 'node:stream';
import type { S3ObjectStore } from '../../storage/object-store.js';
import type { ResolvedReject } from './dynamodb-import-contests.js';
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
  /** The finisher's refusals (contested households, evicted ones), merged in by line. */
  refusals: readonly ResolvedReject[] = [],
): Promise<ImportSummaryDocument> {
  const byChunk = new Map<number, ResolvedReject[]>();
  for (const r of refusals) byChunk.set(r.chunk, [...(byChunk.get(r.chunk) ?? []), r]);
  const withRejects = [...new Set([...(job.rejectChunks ?? []), ...byChunk.keys()])].sort((a, b) => a - b);
  const firstLines = chunkFirstLines(job);
  if (withRejects.length > 0) {
    async function* lines() {
      for (const chunk of withRejects) {
        const text = job.rejectChunks?.has(chunk)
          ? ((await files.readText(chunkRejectsKey(job.importId, chunk))) ?? '')
          : '';
        const base = (firstLines[chunk] ?? 1) - 1;
        const records: { line: number }[] = [
          ...text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as { line: number }),
          ...(byChunk.get(chunk) ?? []).map(({ chunk: _, evicted: __, ...r }) => r),
        ].sort((a, b) => a.line - b.line);
        for (const record of records)
          yield `${JSON.stringify({ ...record, line: base + record.line, chunk })}\n`;
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
    imported: job.imported + (job.resolution?.imported ?? 0),
    rejected: job.rejected + (job.resolution?.rejected ?? 0),
    blank: job.blank,
    rejectedByReason: mergeCounts(job.rejectedByReason, job.resolution?.rejectedByReason ?? {}),
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

function mergeCounts(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const merged = { ...a };
  for (const [reason, n] of Object.entries(b)) merged[reason] = (merged[reason] ?? 0) + n;
  return merged;
}
