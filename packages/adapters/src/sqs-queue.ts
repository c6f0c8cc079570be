import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundSms, ReplyQueue } from '@madad/core';

/** Sends JSON messages to one queue; batches of up to 10, failing loudly on any entry SQS refuses. */
export class SqsJsonQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: unknown): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body) }),
    );
  }

  async sendAll(bodies: readonly { id: string; body: unknown }[]): Promise<void> {
    for (let i = 0; i < bodies.length; i += 10) {
      const part = bodies.slice(i, i + 10);
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: part.map((entry, n) => ({ Id: String(n), MessageBody: JSON.stringify(entry.body) })),
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
