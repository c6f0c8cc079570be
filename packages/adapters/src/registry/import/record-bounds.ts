import type { ByteSource } from './chunk-plan.js';

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CONCURRENT_READS = 8;

/** How many `"` bytes a range holds. */
function quotesIn(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(QUOTE); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) count++;
  return count;
}

/**
 * Where a file's records end. In NDJSON every `\n` ends one (JSON strings hold no raw newline). In
 * CSV a `\n` ends a record only outside quotes: the number of `"` bytes from the file's start to it
 * is even, which is how the decoder (`quoteOpen`) decides that a record goes on, so the chunks and
 * the decoder agree on every record. Whether an offset is inside quotes cannot be told from the
 * bytes around it (`"` opens and closes alike), so for CSV the file is read once, in segments in
 * parallel, to count quotes (a 15 GB file in 1 MiB segments: about 15,000 range reads); the parity
 * at any offset is then the segments' before it plus one partial read.
 */
export class RecordBounds {
  private constructor(
    private readonly source: ByteSource,
    private readonly window: number,
    private readonly segment: number,
    /** CSV: parity of the quotes in `[0, i * segment)`, by segment i; undefined for NDJSON. */
    private readonly prefix: Uint8Array | undefined,
  ) {}

  static async of(
    source: ByteSource,
    options: { readonly quoted: boolean; readonly window: number; readonly segment?: number },
  ): Promise<RecordBounds> {
    const segment = options.segment ?? 1024 * 1024;
    if (!options.quoted) return new RecordBounds(source, options.window, segment, undefined);
    const segments = Math.ceil(source.size / segment);
    const parities = new Uint8Array(segments);
    let next = 0;
    const reader = async () => {
      while (next < segments) {
        const i = next++;
        const start = i * segment;
        parities[i] = quotesIn(await source.read(start, Math.min(start + segment, source.size))) % 2;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, segments) }, reader));
    const prefix = new Uint8Array(segments + 1);
    for (let i = 0; i < segments; i++) prefix[i + 1] = (prefix[i] ?? 0) ^ (parities[i] ?? 0);
    return new RecordBounds(source, options.window, segment, prefix);
  }

  /** 1 when `at` is inside a quoted CSV cell (an odd number of quotes before it), else 0. */
  async parityAt(at: number): Promise<number> {
    if (!this.prefix) return 0;
    const i = Math.floor(at / this.segment);
    const start = i * this.segment;
    const before = this.prefix[i] ?? 0;
    return at === start ? before : before ^ (quotesIn(await this.source.read(start, at)) % 2);
  }

  /**
   * The offset just past the first record-ending `\n` at or after `at` (the file's size when there
   * is none). `parity` is the quote parity at `at` when the caller knows it (0 at a record's start).
   */
  async endAtOrAfter(at: number, parity?: number): Promise<number> {
    let inQuotes = parity ?? (await this.parityAt(at));
    for (let from = at; from < this.source.size; from += this.window) {
      const bytes = await this.source.read(from, Math.min(from + this.window, this.source.size));
      if (bytes.length === 0) break;
      if (!this.prefix) {
        const found = bytes.indexOf(NEWLINE);
        if (found >= 0) return from + found + 1;
        continue;
      }
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        if (byte === QUOTE) inQuotes ^= 1;
        else if (byte === NEWLINE && inQuotes === 0) return from + i + 1;
      }
    }
    return this.source.size;
  }

  /** Where the record that ends at `end` (a record's end) starts, not reaching back before `floor`. */
  async startBefore(end: number, floor: number): Promise<number> {
    // The record's own line end is at end - 1: look for the record end before it.
    const last = end - 1;
    for (let width = this.window; ; width *= 2) {
      const from = Math.max(floor, last - width);
      const bytes = await this.source.read(from, last);
      let inQuotes = await this.parityAt(from);
      let found = -1;
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        if (byte === QUOTE && this.prefix) inQuotes ^= 1;
        else if (byte === NEWLINE && inQuotes === 0) found = i;
      }
      if (found >= 0) return from + found + 1;
      if (from === floor) return floor;
    }
  }
}
