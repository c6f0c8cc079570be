import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SQS_BATCH_LIMITS, sendMessageBatch, toSqsBody } from './sqs-queue.js';

interface Waiting {
  readonly body: string;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit of single sends to one queue. With nothing in flight a message goes at once, as a plain
 * SendMessage (a lone request, as on Lambda, waits for nothing). While a send is in flight, the
 * messages that arrive meanwhile gather into one SendMessageBatch, sent when it is full (10 entries, or
 * no room under 256 KiB) or when a send in flight settles. Each caller's promise settles with its own
 * entry: resolved once SQS has queued it, rejected if SQS refused it (see `sendMessageBatch`).
 *
 * Under a burst the local stack's one process serves every webhook request, and a tenth of the
 * requests to SQS is most of the intake's cost; a Lambda instance serves one request at a time, so
 * there the sends stay plain.
 */
export class SqsGroupSender {
  private inFlight = 0;
  private gathering: Waiting[] = [];
  private gatheredBytes = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Queues `body` as JSON; resolves once SQS has accepted this message. */
  send(body: unknown): Promise<void> {
    const text = toSqsBody(body);
    return new Promise<void>((resolve, reject) => {
      const waiting = { body: text, bytes: Buffer.byteLength(text), resolve, reject };
      if (this.inFlight === 0) {
        this.dispatch([waiting]);
        return;
      }
      if (this.gatheredBytes + waiting.bytes > SQS_BATCH_LIMITS.bytes) this.flush();
      this.gathering.push(waiting);
      this.gatheredBytes += waiting.bytes;
      if (this.gathering.length >= SQS_BATCH_LIMITS.entries || this.gatheredBytes >= SQS_BATCH_LIMITS.bytes)
        this.flush();
    });
  }

  private flush(): void {
    if (this.gathering.length === 0) return;
    const group = this.gathering;
    this.gathering = [];
    this.gatheredBytes = 0;
    this.dispatch(group);
  }

  private dispatch(group: readonly Waiting[]): void {
    this.inFlight += 1;
    void this.sendGroup(group).then(() => {
      this.inFlight -= 1;
      this.flush();
    });
  }

  /** Settles every caller of `group`; never rejects. */
  private async sendGroup(group: readonly Waiting[]): Promise<void> {
    try {
      const [only] = group;
      if (only && group.length === 1) {
        await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: only.body }));
        only.resolve();
        return;
      }
      const outcomes = await sendMessageBatch(
        this.sqs,
        this.queueUrl,
        group.map((waiting) => waiting.body),
      );
      group.forEach((waiting, i) => {
        const error = outcomes[i];
        if (error) waiting.reject(error);
        else waiting.resolve();
      });
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
