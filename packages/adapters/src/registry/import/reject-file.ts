import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { RejectReason } from '@madad/core';
import { createPrivateWriteStream } from '../../storage/private-files.js';

/** What the reject file says about one bad input line. */
export interface Rejection {
  readonly reason: RejectReason;
  readonly message: string;
  readonly path?: (string | number)[];
}

const MAX_INPUT_CHARS = 2000;

/**
 * The reject file: one NDJSON line per bad input line, `{line, reason, message, path?, input}`, with
 * the raw input truncated to 2,000 characters. Always (re)written, so an old file never outlives a
 * clean re-run. Owner-only (0600): the input lines it quotes carry raw CNICs, names and phones.
 * Not written at all on a dry run (`write` false): only counted, with the first example of each reason.
 */
export class RejectFile {
  private readonly stream: WriteStream | undefined;
  readonly counts = new Map<RejectReason, number>();
  readonly examples = new Map<RejectReason, { line: number; message: string }>();
  private total = 0;

  constructor(
    readonly path: string,
    write = true,
  ) {
    this.stream = write ? createPrivateWriteStream(path) : undefined;
  }

  get size(): number {
    return this.total;
  }

  async add(line: number, rejection: Rejection, input: string): Promise<void> {
    this.total++;
    this.counts.set(rejection.reason, (this.counts.get(rejection.reason) ?? 0) + 1);
    if (!this.examples.has(rejection.reason))
      this.examples.set(rejection.reason, { line, message: rejection.message });
    if (!this.stream) return;
    const record = {
      line,
      reason: rejection.reason,
      message: rejection.message,
      ...(rejection.path ? { path: rejection.path } : {}),
      input: input.length > MAX_INPUT_CHARS ? input.slice(0, MAX_INPUT_CHARS) : input,
    };
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
