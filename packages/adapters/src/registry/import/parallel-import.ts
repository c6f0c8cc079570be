import { createHash } from 'node:crypto';
import { importDecoder } from '@madad/core';
import type { ObjectHead, S3ObjectStore } from '../../storage/object-store.js';
import { storedAreaResolver } from '../dynamodb-gazetteer.js';
import { type ByteSource, planChunks } from './chunk-plan.js';
import { sameHouseholdRows } from './csv-households.js';
import type { DynamoDbImportJobs, ImportJob } from './dynamodb-import-jobs.js';
import { importChunkLines } from './import-chunk-lines.js';
import {
  exclusionsKind,
  type ImportKind,
  type ImportTarget,
  identityKind,
  registryKind,
} from './import-kinds.js';
import { writeImportSummary } from './import-summary.js';
import {
  chunkRejectsKey,
  describeUpload,
  type ImportWork,
  UPLOAD_DECODING_METADATA,
  type UploadDecoding,
  UploadDecodingSchema,
  uploadDecodingKey,
} from './import-work.js';
import type { MemberClaims } from './member-claims.js';
import { RecordBounds } from './record-bounds.js';
import { resolveContests } from './resolve-contests.js';

/** What the splitter and the workers need: the bucket, the job records, the queue and the registry. */
export interface ParallelImportDeps {
  readonly files: S3ObjectStore;
  readonly jobs: DynamoDbImportJobs;
  readonly work: { sendAll(items: readonly ImportWork[]): Promise<void> };
  readonly target: ImportTarget;
  readonly now: () => Date;
  /** Aimed-at chunk size; default 8 MiB. */
  readonly chunkBytes?: number;
}

/** The splitter needs no registry (and so no CNIC pepper). */
export type ImportSplitterDeps = Omit<ParallelImportDeps, 'target'>;

export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export class ImportUploadNotFoundError extends Error {
  override readonly name = 'ImportUploadNotFoundError';
}

/** The decoding options stored beside an upload are not JSON or not of their shape. */
export class UploadDecodingError extends Error {
  override readonly name = 'UploadDecodingError';
}

/** How to decode an upload: the options stored beside it (`madad import` writes them), if any. */
async function uploadDecoding(files: S3ObjectStore, key: string, head: ObjectHead): Promise<UploadDecoding> {
  if (head.metadata?.[UPLOAD_DECODING_METADATA] !== 'yes') return {};
  const text = await files.readText(uploadDecodingKey(key));
  if (text === undefined)
    throw new UploadDecodingError(`${key} says its decoding is stored, but there is none`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UploadDecodingError(`${uploadDecodingKey(key)}: not JSON (${(error as Error).message})`);
  }
  const parsed = UploadDecodingSchema.safeParse(json);
  if (!parsed.success)
    throw new UploadDecodingError(
      `${uploadDecodingKey(key)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data;
}

/** The same upload (key and content) always gets the same import id: a second start is the first. */
export function importIdFor(bucket: string, key: string, etag: string): string {
  return `imp-${createHash('sha256').update(`${bucket}/${key}#${etag}`).digest('hex').slice(0, 16)}`;
}

function objectSource(files: S3ObjectStore, key: string, size: number): ByteSource {
  return { size, read: (start, end) => files.readRange(key, start, end) };
}

/**
 * The splitter: plans an uploaded file's chunks (byte ranges of whole lines; a CSV file's header line
 * is kept apart and given to every chunk), records the job and queues one work item a chunk. Started
 * by the bucket's event or by `madad import`; a second start of the same upload (an event redelivered,
 * or both) queues the chunks again only if the first stopped before it had queued them all, and the
 * workers count a chunk once either way.
 */
export async function startImport(deps: ImportSplitterDeps, key: string): Promise<ImportJob> {
  const head = await deps.files.head(key);
  if (!head) throw new ImportUploadNotFoundError(`no object ${key} in ${deps.files.bucket}`);
  const described = describeUpload(key);
  const { kind } = described;
  const { format = described.format, codes, maxLineLength } = await uploadDecoding(deps.files, key, head);
  const importId = importIdFor(deps.files.bucket, key, head.etag);
  const existing = await deps.jobs.get(importId);
  if (existing?.enqueued) return existing;

  const source = objectSource(deps.files, key, head.size);
  // A CSV header may itself hold a quoted newline: it ends at its first record end.
  const headerEnd =
    format === 'csv'
      ? await (await RecordBounds.of(source, { quoted: true, window: 64 * 1024 })).endAtOrAfter(0, 0)
      : 0;
  const header = headerEnd > 0 ? Buffer.from(await source.read(0, headerEnd)).toString('utf8') : '';
  const chunks = await planChunks(source, {
    chunkBytes: deps.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    from: headerEnd,
    // CSV chunks end only outside quotes: a quoted cell holding a newline stays in one chunk.
    quoted: format === 'csv',
    // A registry CSV has a row per member, a household's rows together: never split between chunks.
    ...(kind === 'registry' && format === 'csv' ? { sameRecord: sameHouseholdRows(header) } : {}),
  });
  const job =
    existing ??
    (await deps.jobs.create({
      importId,
      kind,
      format,
      key,
      etag: head.etag,
      size: head.size,
      chunks: chunks.length,
      startedAt: deps.now().toISOString(),
    }));
  await deps.work.sendAll(
    chunks.map((c) => ({
      importId,
      kind,
      format,
      key,
      chunk: c.index,
      start: c.start,
      end: c.end,
      ...(format === 'csv' ? { headerEnd } : {}),
      ...(codes ? { codes } : {}),
      ...(maxLineLength ? { maxLineLength } : {}),
    })),
  );
  await deps.jobs.markEnqueued(importId);
  // Workers may have counted every chunk already (or there were none): then no worker will finish it.
  const now = await deps.jobs.get(importId);
  if (now && now.chunksDone >= now.chunks && !now.finishedAt) await finishImport(deps, now);
  return now ?? { ...job, enqueued: true };
}

function kindFor(work: ImportWork, target: ImportTarget, claims: MemberClaims): ImportKind<unknown> {
  switch (work.kind) {
    case 'registry':
      return registryKind(target, { checkRegistry: true, claims }) as ImportKind<unknown>;
    case 'identity':
      return identityKind(target) as ImportKind<unknown>;
    case 'exclusions':
      return exclusionsKind(target) as ImportKind<unknown>;
  }
}

/**
 * A worker's work item: reads the chunk's bytes (and a CSV file's header), validates and writes its
 * lines, writes its rejects to the bucket, then counts the chunk once on the job. The worker that
 * counts the last chunk (or any redelivery after it) writes the import's reject file and summary.
 */
export async function importChunk(
  deps: ParallelImportDeps,
  work: ImportWork,
): Promise<{ counted: boolean; finished: boolean }> {
  const header =
    work.format === 'csv' && work.headerEnd
      ? await deps.files.readRange(work.key, 0, work.headerEnd)
      : undefined;
  const bytes = await deps.files.readRange(work.key, work.start, work.end);
  const offsets = new Map<number, number>();
  const contests = deps.jobs.contests;
  // A household's members are claimed with its place in the file, so that a clash with another chunk
  // is decided in file order by the finisher, whatever order the chunks run in.
  const claims: MemberClaims = {
    importId: work.importId,
    tagOf: (line) => ({
      importId: work.importId,
      chunk: work.chunk,
      line,
      offset: offsets.get(line) ?? work.start,
    }),
    contest: (accepted, tag) => contests.contest(tag, { raw: accepted.raw, value: accepted.value }),
  };
  const kind = kindFor(work, deps.target, claims);
  const outcome = await importChunkLines({
    bytes,
    offset: work.start,
    offsets,
    kind,
    decoder: importDecoder(work.kind, {
      format: work.format,
      // As `madad import` was told (--codes, --max-line-length): the same decoding as one process.
      ...(work.codes ? { codes: work.codes } : {}),
      ...(work.maxLineLength ? { maxLineLength: work.maxLineLength } : {}),
      // Households are checked against the gazetteer in force (an areas import), as the CLI does.
      ...(work.kind === 'registry'
        ? { areas: await storedAreaResolver(deps.target.doc, deps.target.table) }
        : {}),
      // The header line without its line end (the decoder drops a byte order mark).
      ...(header
        ? {
            header: Buffer.from(header)
              .toString('utf8')
              .replace(/\r?\n$/, ''),
          }
        : {}),
    }),
  });
  if (outcome.rejects.length > 0) {
    const text = outcome.rejects
      .map((r) =>
        JSON.stringify({
          line: r.line,
          offset: r.offset,
          reason: r.rejection.reason,
          message: r.rejection.message,
          ...(r.rejection.path ? { path: r.rejection.path } : {}),
          input: r.raw.length > 2000 ? r.raw.slice(0, 2000) : r.raw,
        }),
      )
      .join('\n');
    await deps.files.writeText(chunkRejectsKey(work.importId, work.chunk), `${text}\n`);
  }
  const { counted, job } = await deps.jobs.recordChunk(work.importId, work.chunk, {
    lines: outcome.lines,
    imported: outcome.imported,
    rejected: outcome.rejects.length,
    blank: outcome.blank,
    contested: outcome.contested,
    rejectedByReason: outcome.rejectedByReason,
  });
  const complete = job.chunksDone >= job.chunks;
  const finished = complete && (await finishImport(deps, job));
  return { counted, finished };
}

/** How long a finisher holds the lease on an import's contests before another may take over. */
// Shorter than the imports queue's visibility timeout (300 s): a work item that comes back after its
// finisher died finds the lease expired. Two finishers at once (a duplicate delivery while one runs
// over a minute) meet at conditional writes and one fails and comes back.
const RESOLUTION_LEASE_MS = 60 * 1000;

/** Another worker holds the finisher's lease: the work item fails and comes back (SQS retries it). */
export class ImportFinishBusyError extends Error {
  override readonly name = 'ImportFinishBusyError';
}

/**
 * Decides the contested households (registry: one worker at a time, under a lease), then writes the
 * reject file and the summary (both deterministic from the job and its refusals) and marks the job
 * finished. False for the splitter when contests are left to a worker.
 */
async function finishImport(
  deps: Pick<ParallelImportDeps, 'files' | 'jobs' | 'now'> & Partial<Pick<ParallelImportDeps, 'target'>>,
  job: ImportJob,
): Promise<boolean> {
  let done = job;
  if (job.contested > 0 && !job.resolution) {
    const now = deps.now();
    const until = new Date(now.getTime() + RESOLUTION_LEASE_MS).toISOString();
    // The splitter has no registry: the worker that counts the last chunk decides the contests.
    if (!deps.target) return false;
    if (!(await deps.jobs.leaseResolution(job.importId, now.toISOString(), until)))
      throw new ImportFinishBusyError(
        `${job.importId}: another worker is deciding its contests; retried later`,
      );
    const resolution = await resolveContests(
      { target: deps.target, files: deps.files, contests: deps.jobs.contests },
      job,
    );
    await deps.jobs.markResolved(job.importId, resolution);
    done = { ...job, resolution };
  }
  const refusals = done.resolution ? await deps.jobs.contests.refusals(job.importId) : [];
  const finishedAt = job.finishedAt ?? deps.now().toISOString();
  await writeImportSummary(deps.files, { ...done, finishedAt }, refusals);
  await deps.jobs.markFinished(job.importId, finishedAt);
  return true;
}
