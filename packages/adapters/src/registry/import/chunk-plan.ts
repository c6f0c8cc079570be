/** Random access to a file's bytes: an S3 object read by ranges, or a local file in tests. */
export interface ByteSource {
  readonly size: number;
  /** Bytes `[start, end)`; fewer at the end of the file. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** One work item's share of a file: whole lines, bytes `[start, end)`. */
export interface FileChunk {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export interface ChunkPlanOptions {
  /** Aimed-at bytes a chunk; a chunk ends at the first line end at or after `start + chunkBytes`. */
  readonly chunkBytes: number;
  /** Where the first chunk starts: 0, or the end of a CSV file's header line. */
  readonly from?: number;
  /** Bytes read at a time while looking for a line end; default 64 KiB. */
  readonly window?: number;
  /**
   * Whether two neighbouring lines belong to one record that must stay in one chunk (a registry CSV's
   * member rows of one household); a boundary between them moves past the second.
   */
  readonly sameRecord?: (before: string, after: string) => boolean;
}

const NEWLINE = 0x0a;

/**
 * Splits a file into chunks of whole lines: every chunk but the last ends just after a `\n`, so no
 * line is cut, and together the chunks cover `[from, size)` exactly once. Reads only a window around
 * each boundary (one small range read a chunk), never the file: a 15 GB file in 8 MiB chunks costs
 * about 2,000 reads of 64 KiB. A line longer than the window just takes more windows.
 */
export async function planChunks(source: ByteSource, options: ChunkPlanOptions): Promise<FileChunk[]> {
  const { chunkBytes } = options;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes: ${chunkBytes}`);
  const window = options.window ?? 64 * 1024;
  const chunks: FileChunk[] = [];
  let start = options.from ?? 0;
  while (start < source.size) {
    let end = await lineEndAtOrAfter(source, start + chunkBytes - 1, window);
    if (options.sameRecord) {
      let before = await lineBefore(source, end, start, window);
      while (end < source.size) {
        const nextEnd = await lineEndAtOrAfter(source, end, window);
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

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\r?\n$/, '');

/** The line that ends just before `end` (a line end), not reaching back before `floor`. */
async function lineBefore(source: ByteSource, end: number, floor: number, window: number): Promise<string> {
  let from = end - 1;
  for (;;) {
    const start = Math.max(floor, from - window);
    const bytes = await source.read(start, from);
    const found = bytes.lastIndexOf(NEWLINE);
    if (found >= 0) return decode(await source.read(start + found + 1, end));
    if (start === floor) return decode(await source.read(floor, end));
    from = start;
  }
}

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
