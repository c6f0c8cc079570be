import { RecordBounds } from './record-bounds.js';

/** Random access to a file's bytes: an S3 object read by ranges, or a local file in tests. */
export interface ByteSource {
  readonly size: number;
  /** Bytes `[start, end)`; fewer at the end of the file. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** One work item's share of a file: whole records, bytes `[start, end)`. */
export interface FileChunk {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export interface ChunkPlanOptions {
  /** Aimed-at bytes a chunk; a chunk ends at the first record end at or after `start + chunkBytes`. */
  readonly chunkBytes: number;
  /** Where the first chunk starts: 0, or the end of a CSV file's header line. */
  readonly from?: number;
  /** Bytes read at a time while looking for a record end; default 64 KiB. */
  readonly window?: number;
  /**
   * CSV: a newline inside a quoted cell does not end a record (see RecordBounds), so no chunk
   * boundary falls inside a quoted cell. NDJSON: every newline ends a record.
   */
  readonly quoted?: boolean;
  /** CSV: bytes a segment when counting quotes (default 1 MiB; small in tests). */
  readonly segment?: number;
  /**
   * Whether two neighbouring records belong to one that must stay in one chunk (a registry CSV's
   * member rows of one household); a boundary between them moves past the second.
   */
  readonly sameRecord?: (before: string, after: string) => boolean;
}

/**
 * Splits a file into chunks of whole records: every chunk but the last ends just after a record's
 * `\n` (in CSV, one outside quotes), so no record is cut, and together the chunks cover `[from, size)`
 * exactly once. For NDJSON it reads only a window around each boundary, never the file: a 15 GB file
 * in 8 MiB chunks costs about 2,000 reads of 64 KiB; for CSV it reads the file once more, in parallel
 * segments, to know where quotes are open. A record longer than the window just takes more windows.
 */
export async function planChunks(source: ByteSource, options: ChunkPlanOptions): Promise<FileChunk[]> {
  const { chunkBytes } = options;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes: ${chunkBytes}`);
  const window = options.window ?? 64 * 1024;
  const bounds = await RecordBounds.of(source, {
    quoted: options.quoted ?? false,
    window,
    ...(options.segment ? { segment: options.segment } : {}),
  });
  const chunks: FileChunk[] = [];
  let start = options.from ?? 0;
  while (start < source.size) {
    let end = await bounds.endAtOrAfter(start + chunkBytes - 1);
    if (options.sameRecord) {
      let before = decode(await source.read(await bounds.startBefore(end, start), end));
      while (end < source.size) {
        // `end` is a record's end: the quotes are closed there.
        const nextEnd = await bounds.endAtOrAfter(end, 0);
        const after = decode(await source.read(end, nextEnd));
        if (!options.sameRecord(before, after)) break;
        before = after;
        end = nextEnd;
      }
    }
    chunks.push({ index: chunks.length, start, end });
    start = end;
  }
  return chunks;
}

const NEWLINE = 0x0a;
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\r?\n$/, '');

/** The offset just past the first `\n` at or after `at` (the file's size when there is none). */
export async function lineEndAtOrAfter(source: ByteSource, at: number, window = 64 * 1024): Promise<number> {
  for (let from = at; from < source.size; from += window) {
    const bytes = await source.read(from, Math.min(from + window, source.size));
    const found = bytes.indexOf(NEWLINE);
    if (found >= 0) return from + found + 1;
    if (bytes.length === 0) break;
  }
  return source.size;
}

/** A byte source over bytes in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (start, end) => bytes.subarray(start, end) };
}
