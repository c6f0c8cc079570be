import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  type AreaResolver,
  type CodeMapping,
  type DecodedRecord,
  type ImportFormat,
  ImportHeaderError,
  importDecoder,
  importFormatOf,
  type RejectReason,
} from '@madad/core';
import {
  type AcceptedLine,
  type ChunkResult,
  exclusionsKind,
  type ImportKind,
  type ImportKindName,
  type ImportTarget,
  identityKind,
  registryKind,
} from './import-kinds.js';
import { RejectFile } from './reject-file.js';
import { TaskPool } from './task-pool.js';

/** Where a long import reports how far it is (the CLI's progress bar implements it). */
export interface ImportProgress {
  update(lines: number, bytes: number): void;
  finish(): void;
}

export interface ImportOptions {
  readonly kind: ImportKindName;
  readonly file: string;
  readonly target: ImportTarget;
  /** Default `<file>.rejects.ndjson`. */
  readonly rejectsPath?: string;
  /** Chunks written at once; default 8. */
  readonly concurrency?: number;
  /**
   * Registry imports only: also refuse CNICs indexed to another household by earlier imports, and
   * fold exclusion flags imported earlier into the decision view. Default true. Off (bulk mode, no
   * reads), import exclusion files after the registry: that import folds them in.
   */
  readonly checkRegistry?: boolean;
  /** Most items per chunk, written as BatchWrites of 25 one after the other; default 200. */
  readonly chunkItems?: number;
  readonly progress?: (totalBytes: number) => ImportProgress;
  /** NDJSON or CSV; default from the file name, else its first line. */
  readonly format?: ImportFormat;
  /** Codes beyond the built-in ones (a mapping file's content). */
  readonly codes?: CodeMapping;
  /** Longest line read; longer ones are rejected as LINE_TOO_LONG (default 65,536 characters). */
  readonly maxLineLength?: number;
  /** Read and check every line, count and report the rejects, write nothing (not even the reject file). */
  readonly dryRun?: boolean;
  /** Registry: the gazetteer in force (default the built-in one). */
  readonly areas?: AreaResolver;
}

export interface ImportSummary {
  readonly kind: ImportKindName | 'areas';
  readonly file: string;
  readonly rejectsPath: string;
  /** Every line of the file: for NDJSON imported + rejected + blank; a CSV adds its header, and a registry CSV household spans its member rows. */
  readonly lines: number;
  readonly imported: number;
  readonly rejected: number;
  readonly blank: number;
  readonly rejectedByReason: Partial<Record<RejectReason, number>>;
  /** The first rejected line of each reason, to show with the counts. */
  readonly examples?: Partial<Record<RejectReason, { line: number; message: string }>>;
  readonly format?: ImportFormat;
  /** A dry run: `imported` counts the lines that would be written; nothing was. */
  readonly dryRun?: boolean;
  /** CSV columns the import does not read. */
  readonly ignoredColumns?: readonly string[];
  readonly elapsedSeconds: number;
  readonly linesPerSecond: number;
}

/** The import stopped (the database failed, not a line); what was written stays, and a re-run is safe. */
export class ImportAbortedError extends Error {
  override readonly name = 'ImportAbortedError';
  constructor(
    readonly partial: ImportSummary,
    override readonly cause: unknown,
  ) {
    super(`Import stopped after ${partial.imported} lines: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Deferred lines are few (members moving between households): written in small chunks at the end. */
const DEFERRED_CHUNK = 25;

function kindFor(options: ImportOptions): ImportKind<unknown> {
  switch (options.kind) {
    case 'registry':
      return registryKind(options.target, {
        checkRegistry: options.checkRegistry ?? true,
      }) as ImportKind<unknown>;
    case 'identity':
      return identityKind(options.target) as ImportKind<unknown>;
    case 'exclusions':
      return exclusionsKind(options.target) as ImportKind<unknown>;
  }
}

/** The file's format: given, else from its name, else from its first line (both import paths). */
export async function formatOf(options: Pick<ImportOptions, 'file' | 'format'>): Promise<ImportFormat> {
  if (options.format) return options.format;
  const handle = await open(options.file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return importFormatOf(options.file, buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/**
 * Streams an NDJSON or CSV file into the registry: lines are decoded (`importDecoder`: CSV header,
 * codes, a household's member rows), each record is validated, remembered (duplicates across the
 * file), gathered into chunks of up to 200 items, and chunks are written `concurrency` at a time with
 * retries of unprocessed items. Bad lines go to the reject file with their line number and reason; a
 * bad line never stops the import. Puts are deterministic, so re-running an import is idempotent.
 * A dry run decodes, validates and counts the same way and writes nothing.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const totalBytes = (await stat(options.file)).size;
  const kind = kindFor(options);
  const format = await formatOf(options);
  const decoder = importDecoder(options.kind, {
    format,
    ...(options.codes ? { codes: options.codes } : {}),
    ...(options.maxLineLength ? { maxLineLength: options.maxLineLength } : {}),
    ...(options.areas ? { areas: options.areas } : {}),
  });
  const dryRun = options.dryRun ?? false;
  const chunkItems = options.chunkItems ?? 200;
  const pool = new TaskPool(options.concurrency ?? 8);
  const rejects = new RejectFile(options.rejectsPath ?? `${options.file}.rejects.ndjson`, !dryRun);
  const progress = options.progress?.(totalBytes);
  const started = performance.now();
  const counts = { lines: 0, imported: 0, blank: 0 };

  const summary = (): ImportSummary => {
    const elapsedSeconds = (performance.now() - started) / 1000;
    return {
      kind: options.kind,
      file: options.file,
      rejectsPath: rejects.path,
      ...counts,
      rejected: rejects.size,
      rejectedByReason: Object.fromEntries(rejects.counts),
      examples: Object.fromEntries(rejects.examples),
      format,
      ...(dryRun ? { dryRun } : {}),
      ...(decoder.ignoredColumns.length > 0 ? { ignoredColumns: decoder.ignoredColumns } : {}),
      elapsedSeconds,
      linesPerSecond: elapsedSeconds > 0 ? counts.lines / elapsedSeconds : 0,
    };
  };
  const deferred: AcceptedLine<unknown>[] = [];
  const settle = async (result: ChunkResult) => {
    counts.imported += result.imported;
    deferred.push(...(result.deferred ?? []));
    for (const r of result.rejected) await rejects.add(r.line, r.rejection, r.raw);
  };

  const input = createReadStream(options.file);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let chunk: AcceptedLine<unknown>[] = [];
  let weight = 0;
  let bytes = 0;
  const dispatch = async () => {
    const batch = chunk;
    chunk = [];
    weight = 0;
    await pool.submit(async () => settle(await kind.write(batch)));
  };
  const take = async ({ line, raw, result }: DecodedRecord<unknown>) => {
    const rejection = result.ok ? kind.remember(result.value) : result;
    if (rejection) {
      await rejects.add(line, rejection, raw);
      return;
    }
    if (!result.ok) return;
    if (dryRun) {
      counts.imported++;
      return;
    }
    // Chunks never exceed chunkItems, a multiple of 25, so their BatchWrites are (nearly) all full.
    const itemCount = kind.weight(result.value);
    if (weight + itemCount > chunkItems && chunk.length > 0) await dispatch();
    chunk.push({ line, raw, value: result.value });
    weight += itemCount;
  };
  try {
    for await (const text of lines) {
      const line = ++counts.lines;
      const raw = line === 1 ? text.replace(/^\uFEFF/, '') : text;
      // Bytes of the lines handled, not of the stream, which reads ahead of the validator.
      bytes += Buffer.byteLength(text) + 1;
      progress?.update(line, bytes);
      if (raw.trim() === '') {
        counts.blank++;
        continue;
      }
      for (const record of decoder.push(raw, line)) await take(record);
    }
    for (const record of decoder.end()) await take(record);
    if (chunk.length > 0) await dispatch();
    await pool.drain();
    // Lines whose member was still listed by another household, retried now that the file is in.
    for (let at = 0; at < deferred.length; at += DEFERRED_CHUNK)
      await settle(await kind.write(deferred.slice(at, at + DEFERRED_CHUNK), { last: true }));
  } catch (error) {
    await pool.drain().catch(() => undefined);
    if (error instanceof ImportHeaderError) throw error;
    throw new ImportAbortedError(summary(), error);
  } finally {
    progress?.update(counts.lines, Math.min(bytes, totalBytes));
    progress?.finish();
    lines.close();
    await rejects.close();
  }
  return summary();
}
