import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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
    for (let i = 0; i < bodies.length; i += 10) {
      const part = bodies.slice(i, i + 10);
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: part.map((entry, n) => ({ Id: String(n), MessageBody: toSqsBody(entry.body) })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(
          `SQS refused ${result.Failed.length} of ${part.length} messages: ${result.Failed[0]?.Code}`,
        );
      }
    }
  }
}

export class SqsReplyQueue implements ReplyQueue {
  constructor(private readonly queue: SqsJsonQueue) {}

  async enqueue(replies: readonly OutboundSms[]): Promise<void> {
    if (replies.length === 1 && replies[0]) return this.queue.send(replies[0]);
    await this.queue.sendAll(replies.map((reply) => ({ id: reply.id, body: reply })));
  }
}
