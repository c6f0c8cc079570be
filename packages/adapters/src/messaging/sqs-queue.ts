import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { OutboundSms, ReplyQueue } from '@madad/core';

/**
 * SQS refuses a body with characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF (and some emulators refuse everything past #xFFFD). JSON.stringify leaves U+FFFE,
 * U+FFFF and surrogate pairs (emoji) as they are, so a household's SMS could turn into a 500. Those
 * characters only occur inside JSON strings, where a \u escape parses back to the same string.
 */
const OUTSIDE_SQS_CHARSET = /[\ud800-\udfff\ufffe\uffff]/g;
export function toSqsBody(value: unknown): string {
  return JSON.stringify(value).replace(
    OUTSIDE_SQS_CHARSET,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** What one SendMessageBatch may carry: ten entries, and 256 KiB of bodies together. */
export const SQS_BATCH_LIMITS = { entries: 10, bytes: 256 * 1024 } as const;

/** An entry of a SendMessageBatch that SQS did not queue (after the one retry, unless its own fault). */
export class SqsEntryRefusedError extends Error {
  readonly code: string;
  readonly senderFault: boolean;
  constructor(entry: BatchResultErrorEntry) {
    super(`SQS refused the message: ${entry.Code ?? 'unknown'}${entry.Message ? ` (${entry.Message})` : ''}`);
    this.name = 'SqsEntryRefusedError';
    this.code = entry.Code ?? 'unknown';
    this.senderFault = entry.SenderFault ?? false;
  }
}

/**
 * Sends `bodies` (within `SQS_BATCH_LIMITS`) as one SendMessageBatch. Entries SQS failed through no
 * fault of ours (`SenderFault: false`) are sent once more. Resolves with each body's outcome, in order:
 * undefined once queued, or why not. Only the first request failing as a whole rejects (nothing queued).
 */
export async function sendMessageBatch(
  sqs: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<(Error | undefined)[]> {
  const outcomes: (Error | undefined)[] = bodies.map(() => undefined);
  // Ids are the bodies' positions: unique within the batch, and they map a failure back to its caller.
  const request = (indexes: readonly number[]) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: indexes.map((i) => ({ Id: String(i), MessageBody: bodies[i] })),
      }),
    );
  const failedOf = (failed: BatchResultErrorEntry[] | undefined) =>
    (failed ?? []).flatMap((entry) => {
      const index = Number(entry.Id);
      return Number.isInteger(index) && index >= 0 && index < bodies.length ? [{ index, entry }] : [];
    });

  const first = failedOf((await request(bodies.map((_, i) => i))).Failed);
  const retry: number[] = [];
  for (const { index, entry } of first) {
    if (entry.SenderFault) outcomes[index] = new SqsEntryRefusedError(entry);
    else retry.push(index);
  }
  if (retry.length === 0) return outcomes;
  try {
    for (const { index, entry } of failedOf((await request(retry)).Failed)) {
      outcomes[index] = new SqsEntryRefusedError(entry);
    }
  } catch (error) {
    // The others are queued already: only the retried entries failed.
    for (const index of retry) outcomes[index] = error instanceof Error ? error : new Error(String(error));
  }
  return outcomes;
}

/** Consecutive groups of `bodies`, each within `SQS_BATCH_LIMITS` (a body over the byte limit alone). */
export function splitIntoBatches(bodies: readonly string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (
      current.length >= SQS_BATCH_LIMITS.entries ||
      (current.length > 0 && bytes + size > SQS_BATCH_LIMITS.bytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Sends JSON messages to one queue; batches of up to 10, failing loudly on any entry SQS refuses. */
export class SqsJsonQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: unknown): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: toSqsBody(body) }));
  }

  async sendAll(bodies: readonly { id: string; body: unknown }[]): Promise<void> {
    for (const batch of splitIntoBatches(bodies.map((entry) => toSqsBody(entry.body)))) {
      const refused = (await sendMessageBatch(this.sqs, this.queueUrl, batch)).filter((e) => e !== undefined);
      if (refused.length > 0) {
        const first = refused[0];
        const code = first instanceof SqsEntryRefusedError ? first.code : first?.message;
        throw new Error(`SQS refused ${refused.length} of ${batch.length} messages: ${code}`);
      }
    }
  }
}

/** Under SQS's 256 KiB message limit, with room for the envelope. */
const PACK_BYTES = 200 * 1024;

/**
 * Replies go to the outbound queue in packs: one message for the replies of a batch (split only by
 * size), so a reply costs a fraction of an SQS request to queue, receive and delete.
 */
export class SqsReplyQueue implements ReplyQueue {
  constructor(private readonly queue: SqsJsonQueue) {}

  async enqueue(replies: readonly OutboundSms[]): Promise<void> {
    const packs: OutboundSms[][] = [];
    let size = 0;
    for (const reply of replies) {
      const bytes = Buffer.byteLength(JSON.stringify(reply));
      const last = packs.at(-1);
      if (!last || size + bytes > PACK_BYTES || last.length >= 500) {
        packs.push([reply]);
        size = bytes;
      } else {
        last.push(reply);
        size += bytes;
      }
    }
    const bodies = packs.map((pack) => ({ replies: pack }));
    if (bodies.length === 1 && bodies[0]) return this.queue.send(bodies[0]);
    await this.queue.sendAll(bodies.map((body, i) => ({ id: String(i), body })));
  }
}
