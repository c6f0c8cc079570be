import { randomUUID } from 'node:crypto';
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { openPrivateAppend } from '@madad/adapters/private-files';
import { countSegments, type SmsEncoding } from '@madad/core';

/** One message the gateway accepted, as its listing shows it. */
export interface GatewayDelivery {
  /** The gateway's message id, answered to every copy of the same client reference. */
  readonly id: string;
  readonly clientReference: string;
  readonly to: string;
  readonly text: string;
  readonly segments: number;
  readonly encoding: SmsEncoding;
  readonly receivedAt: string;
  /** Copies of this client reference answered with `id` and not sent again. */
  readonly duplicatesRefused: number;
}

type Line =
  | ({ readonly type: 'sent' } & Omit<GatewayDelivery, 'duplicatesRefused'>)
  | { readonly type: 'repeat'; readonly clientReference: string; readonly at: string };

/**
 * The gateway's delivery log: an append-only NDJSON file, replayed at start, and an index by client
 * reference and by phone in memory. A line is on disk (written and fsynced, lines of concurrent
 * requests together) before the request that made it is answered, so a SIGKILL loses no accepted message.
 * The index holds each message's number, and where its line is in the file; texts, ids and times are
 * read back from the file when listed (a scale run's notices no longer fill the stack's heap).
 */
export class GatewayDeliveryLog {
  /** Message number by client reference. */
  private readonly byReference = new Map<string, number>();
  private readonly byPhone = new Map<string, number[]>();
  /** Each message's line in the file: its offset (-1 until written, or if its write failed) and length. */
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  /** Messages still being written: a repeat arriving meanwhile waits for its first copy. */
  private readonly writing = new Map<number, Promise<void>>();
  /** Copies refused, by message number (only messages that had any). */
  private readonly repeats = new Map<number, number>();
  private pending: {
    line: string;
    placed?: (offset: number) => void;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private flushing: Promise<void> | undefined;
  private reader: Promise<FileHandle> | undefined;

  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
    /** Bytes in the file: where the next line goes. */
    private size: number,
  ) {}

  static async open(path: string): Promise<GatewayDeliveryLog> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    // A line cut short by a crash was never acknowledged (its sender retries): drop it, or the next
    // line would be appended to it.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const size = Buffer.byteLength(complete);
    if (complete.length < text.length) await truncate(path, size);
    // Owner-only: every line holds a phone number and the text sent to it.
    const log = new GatewayDeliveryLog(path, await openPrivateAppend(path), size);
    let offset = 0;
    for (const [at, line] of complete.split('\n').entries()) {
      const length = Buffer.byteLength(line) + 1;
      if (line) {
        try {
          log.replay(JSON.parse(line) as Line, offset, length);
        } catch (error) {
          await log.close();
          throw new Error(`${path}:${at + 1} is not a delivery log line (${String(error)})`);
        }
      }
      offset += length;
    }
    return log;
  }

  /**
   * Records a message unless its client reference was seen (a repeat is counted, not sent); either way
   * resolves, once on disk, with the delivery that reference names.
   */
  async accept(message: { to: string; text: string; clientReference: string }): Promise<GatewayDelivery> {
    const known = this.byReference.get(message.clientReference);
    if (known !== undefined) {
      await this.writing.get(known);
      this.repeats.set(known, (this.repeats.get(known) ?? 0) + 1);
      const at = new Date().toISOString();
      await this.append({ type: 'repeat', clientReference: message.clientReference, at });
      return this.read(known);
    }
    const { encoding, segments } = countSegments(message.text);
    const sent = {
      type: 'sent' as const,
      id: `gw-${randomUUID()}`,
      ...message,
      segments,
      encoding,
      receivedAt: new Date().toISOString(),
    };
    // Indexed before the write, so a concurrent copy finds it and waits instead of sending again.
    const n = this.index(sent.clientReference, sent.to, -1, 0);
    const written = this.append(sent, (offset, length) => {
      this.offsets[n] = offset;
      this.lengths[n] = length;
    });
    this.writing.set(n, written);
    try {
      await written;
    } catch (error) {
      this.unindex(n, sent.clientReference, sent.to);
      throw error;
    } finally {
      this.writing.delete(n);
    }
    const { type: _type, ...delivery } = sent;
    return { ...delivery, duplicatesRefused: 0 };
  }

  /** Accepted messages, newest first, to one phone or to all. */
  async list(to: string | undefined, limit: number): Promise<GatewayDelivery[]> {
    const numbers = to === undefined ? undefined : (this.byPhone.get(to) ?? []);
    const count = numbers ? numbers.length : this.offsets.length;
    const found: Promise<GatewayDelivery>[] = [];
    for (let i = count - 1; i >= 0 && found.length < limit; i--) {
      const n = numbers ? numbers[i] : i;
      if (n !== undefined && (this.offsets[n] ?? -1) >= 0 && !this.writing.has(n)) found.push(this.read(n));
    }
    return Promise.all(found);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.file.close();
    if (this.reader) await (await this.reader).close();
  }

  /** A message's delivery, read back from its line in the file. */
  private async read(n: number): Promise<GatewayDelivery> {
    this.reader ??= open(this.path, 'r');
    const length = this.lengths[n] ?? 0;
    const { buffer } = await (await this.reader).read(Buffer.alloc(length), 0, length, this.offsets[n]);
    const { type: _type, ...sent } = JSON.parse(buffer.toString('utf8')) as Extract<Line, { type: 'sent' }>;
    return { ...sent, duplicatesRefused: this.repeats.get(n) ?? 0 };
  }

  private replay(line: Line, offset: number, length: number): void {
    if (line.type === 'sent') {
      this.index(line.clientReference, line.to, offset, length);
      return;
    }
    const known = this.byReference.get(line.clientReference);
    if (known !== undefined) this.repeats.set(known, (this.repeats.get(known) ?? 0) + 1);
  }

  private index(clientReference: string, to: string, offset: number, length: number): number {
    const n = this.offsets.length;
    this.offsets.push(offset);
    this.lengths.push(length);
    this.byReference.set(clientReference, n);
    const phone = this.byPhone.get(to);
    if (phone) phone.push(n);
    else this.byPhone.set(to, [n]);
    return n;
  }

  /** A message whose write failed: forgotten (its number stays, never listed). */
  private unindex(n: number, clientReference: string, to: string): void {
    this.offsets[n] = -1;
    this.byReference.delete(clientReference);
    const phone = this.byPhone.get(to);
    const at = phone?.indexOf(n) ?? -1;
    if (at >= 0) phone?.splice(at, 1);
  }

  private append(line: Line, placed?: (offset: number, length: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const text = `${JSON.stringify(line)}\n`;
      this.pending.push({
        line: text,
        ...(placed ? { placed: (offset: number) => placed(offset, Buffer.byteLength(text)) } : {}),
        resolve,
        reject,
      });
      this.flushing ??= this.flush();
    });
  }

  /** Group commit: whatever queued while the last write ran goes out in one write and one fsync. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        const text = batch.map((p) => p.line).join('');
        await this.file.appendFile(text);
        await this.file.datasync();
        let offset = this.size;
        for (const p of batch) {
          p.placed?.(offset);
          offset += Buffer.byteLength(p.line);
        }
        this.size = offset;
        for (const p of batch) p.resolve();
      } catch (error) {
        // Part of the batch may be in the file: later lines are placed from its real end.
        this.size = (await this.file.stat().catch(() => undefined))?.size ?? this.size;
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = undefined;
  }
}
