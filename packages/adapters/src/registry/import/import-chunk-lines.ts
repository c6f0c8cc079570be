import type { DecodedRecord, ImportDecoder, RejectReason } from '@madad/core';
import type { AcceptedLine, ChunkResult, ImportKind } from './import-kinds.js';
import type { Rejection } from './reject-file.js';
import { TaskPool } from './task-pool.js';

/** One bad line of a chunk, as its reject record says it. */
export interface ChunkReject {
  /** Line number within the chunk, from 1 (the import's reject file turns it into the file's). */
  readonly line: number;
  /** Byte offset of the line in the file. */
  readonly offset: number;
  readonly rejection: Rejection;
  readonly raw: string;
}

export interface ChunkOutcome {
  readonly lines: number;
  readonly imported: number;
  /** Households left to the import's finisher (another household of the file claimed a member). */
  readonly contested: number;
  readonly blank: number;
  readonly rejects: readonly ChunkReject[];
  readonly rejectedByReason: Readonly<Partial<Record<RejectReason, number>>>;
}

export interface ChunkLinesOptions {
  /** The chunk's bytes: whole lines. */
  readonly bytes: Uint8Array;
  /** Offset of the chunk in the file (0: the first line may carry a byte order mark). */
  readonly offset: number;
  readonly kind: ImportKind<unknown>;
  /**
   * The one decoder of import files (NDJSON, or CSV given the file's header line): records may span
   * lines (a quoted newline, a household's member rows), so lines are pushed and records come out.
   */
  readonly decoder: ImportDecoder<unknown>;
  /** Most items a write (BatchWrites of 25); default 200, as the single-process import. */
  readonly chunkItems?: number;
  /** Writes in flight; default 4. */
  readonly concurrency?: number;
  /** Filled with each line's byte offset in the file, by line number within the chunk. */
  readonly offsets?: Map<number, number>;
}

const NEWLINE = 0x0a;
/** Deferred lines (members moving between households) are few: written in small groups at the end. */
const DEFERRED_GROUP = 25;

/**
 * Validates and writes one chunk's lines the way the single-process import does a file (same kinds,
 * same duplicate rules within the chunk, same deferral of members moving between households), and
 * returns its counts and rejects. Writes are deterministic puts, so running a chunk again writes the
 * same items.
 */
export async function importChunkLines(options: ChunkLinesOptions): Promise<ChunkOutcome> {
  const { kind, bytes, decoder } = options;
  const chunkItems = options.chunkItems ?? 200;
  const pool = new TaskPool(options.concurrency ?? 4);
  const rejects: ChunkReject[] = [];
  const deferred: AcceptedLine<unknown>[] = [];
  // Byte offset of each line, by line number within the chunk, for the reject records.
  const offsets = options.offsets ?? new Map<number, number>();
  const counts = { lines: 0, imported: 0, blank: 0, contested: 0 };
  const settle = (result: ChunkResult) => {
    counts.imported += result.imported;
    counts.contested += result.contested ?? 0;
    deferred.push(...(result.deferred ?? []));
    for (const r of result.rejected)
      rejects.push({ line: r.line, offset: offsets.get(r.line) ?? 0, rejection: r.rejection, raw: r.raw });
  };
  let batch: AcceptedLine<unknown>[] = [];
  let weight = 0;
  const dispatch = async () => {
    const lines = batch;
    batch = [];
    weight = 0;
    await pool.submit(async () => settle(await kind.write(lines)));
  };

  const take = async ({ line, raw, result }: DecodedRecord<unknown>) => {
    const rejection = result.ok ? kind.remember(result.value) : result;
    if (rejection) {
      rejects.push({ line, offset: offsets.get(line) ?? 0, rejection, raw });
      return;
    }
    if (!result.ok) return;
    const itemCount = kind.weight(result.value);
    if (weight + itemCount > chunkItems && batch.length > 0) await dispatch();
    batch.push({ line, raw, value: result.value });
    weight += itemCount;
  };

  for (let at = 0; at < bytes.length; ) {
    const newline = bytes.indexOf(NEWLINE, at);
    const next = newline < 0 ? bytes.length : newline + 1;
    const line = ++counts.lines;
    const offset = options.offset + at;
    let raw = Buffer.from(bytes.buffer, bytes.byteOffset + at, (newline < 0 ? bytes.length : newline) - at)
      .toString('utf8')
      .replace(/\r$/, '');
    if (offset === 0) raw = raw.replace(/^\uFEFF/, '');
    at = next;
    offsets.set(line, offset);
    if (raw.trim() === '') {
      counts.blank++;
      continue;
    }
    for (const record of decoder.push(raw, line)) await take(record);
  }
  for (const record of decoder.end()) await take(record);
  if (batch.length > 0) await dispatch();
  await pool.drain();
  // A member still listed by a household of another chunk: the chunk's last word (see the README).
  for (let at = 0; at < deferred.length; at += DEFERRED_GROUP)
    settle(await kind.write(deferred.slice(at, at + DEFERRED_GROUP), { last: true }));

  rejects.sort((a, b) => a.line - b.line);
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  for (const r of rejects)
    rejectedByReason[r.rejection.reason] = (rejectedByReason[r.rejection.reason] ?? 0) + 1;
  return { ...counts, rejects, rejectedByReason };
}
