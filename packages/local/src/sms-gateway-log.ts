import { randomUUID } from 'node:crypto';
import { type FileHandle, readFile, truncate } from 'node:fs/promises';
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

interface Entry {
  delivery: GatewayDelivery;
  /** Settles once the line is on disk; a repeat arriving meanwhile waits for it before answering. */
  readonly written: Promise<void>;
  durable: boolean;
}

/**
 * The gateway's delivery log: an append-only NDJSON file, replayed at start, and an index by client
 * reference and by phone in memory. A line is on disk (written and fsynced, lines of concurrent
 * requests together) before the request that made it is answered, so a SIGKILL loses no accepted message.
 */
export class GatewayDeliveryLog {
  private readonly byReference = new Map<string, Entry>();
  private readonly byPhone = new Map<string, Entry[]>();
  private readonly all: Entry[] = [];
  private pending: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<GatewayDeliveryLog> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    // A line cut short by a crash was never acknowledged (its sender retries): drop it, or the next
    // line would be appended to it.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length < text.length) await truncate(path, Buffer.byteLength(complete));
    // Owner-only: every line holds a phone number and the text sent to it.
    const log = new GatewayDeliveryLog(await openPrivateAppend(path));
    for (const [at, line] of complete.split('\n').entries()) {
      if (!line) continue;
      try {
        log.replay(JSON.parse(line) as Line);
      } catch (error) {
        await log.close();
        throw new Error(`${path}:${at + 1} is not a delivery log line (${String(error)})`);
      }
    }
    return log;
  }

  /**
   * Records a message unless its client reference was seen (a repeat is counted, not sent); either way
   * resolves, once on disk, with the delivery that reference names.
   */
  async accept(message: { to: string; text: string; clientReference: string }): Promise<GatewayDelivery> {
    const known = this.byReference.get(message.clientReference);
    if (known) {
      await known.written;
      known.delivery = { ...known.delivery, duplicatesRefused: known.delivery.duplicatesRefused + 1 };
      const at = new Date().toISOString();
      await this.append({ type: 'repeat', clientReference: message.clientReference, at });
      return known.delivery;
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
    const entry = this.index(sent, this.append(sent));
    try {
      await entry.written;
    } catch (error) {
      this.unindex(entry);
      throw error;
    }
    entry.durable = true;
    return entry.delivery;
  }

  /** Accepted messages, newest first, to one phone or to all. */
  list(to: string | undefined, limit: number): GatewayDelivery[] {
    const entries = to === undefined ? this.all : (this.byPhone.get(to) ?? []);
    const found: GatewayDelivery[] = [];
    for (let i = entries.length - 1; i >= 0 && found.length < limit; i--) {
      const entry = entries[i];
      if (entry?.durable) found.push(entry.delivery);
    }
    return found;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.file.close();
  }

  private replay(line: Line): void {
    if (line.type === 'sent') {
      this.index(line, Promise.resolve()).durable = true;
      return;
    }
    const known = this.byReference.get(line.clientReference);
    if (known)
      known.delivery = { ...known.delivery, duplicatesRefused: known.delivery.duplicatesRefused + 1 };
  }

  private index({ type: _type, ...sent }: Extract<Line, { type: 'sent' }>, written: Promise<void>): Entry {
    const entry: Entry = { delivery: { ...sent, duplicatesRefused: 0 }, written, durable: false };
    this.byReference.set(sent.clientReference, entry);
    this.all.push(entry);
    const phone = this.byPhone.get(sent.to) ?? [];
    phone.push(entry);
    this.byPhone.set(sent.to, phone);
    return entry;
  }

  private unindex(entry: Entry): void {
    const drop = (entries: Entry[] | undefined) => {
      const at = entries?.indexOf(entry) ?? -1;
      if (at >= 0) entries?.splice(at, 1);
    };
    this.byReference.delete(entry.delivery.clientReference);
    drop(this.all);
    drop(this.byPhone.get(entry.delivery.to));
  }

  private append(line: Line): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: `${JSON.stringify(line)}\n`, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Group commit: whatever queued while the last write ran goes out in one write and one fsync. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.file.appendFile(batch.map((p) => p.line).join(''));
        await this.file.datasync();
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.flushing = undefined;
  }
}
