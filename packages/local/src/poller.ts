import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.js';
import { buildSqsEvent, interpretBatchResponse } from './sqs-event.js';
import { withTimeout } from './timeout.js';

/** A queue consumer as Lambda calls it; the result may carry `batchItemFailures`. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface SqsPollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsBatchHandler;
  /** Shown in logs and in the Lambda context. */
  readonly functionName: string;
  readonly region: string;
  /** Records per invocation; more than 10 takes several receives within the batching window. */
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
  /** The consumer's timeout; a handler still running after it counts as failed. */
  readonly timeoutSeconds: number;
  /** Long-poll wait per receive, 1-20 s; `stop()` may wait this long. Default 2. */
  readonly waitTimeSeconds?: number;
  readonly log?: (line: string) => void;
}

/** A running poller. */
export interface SqsPoller {
  readonly queueArn: string;
  /** Stops receiving and resolves once every in-flight batch has finished. */
  stop(): Promise<void>;
}

const MAX_RECEIVE = 10;

/**
 * Polls a queue like Lambda's SQS event source mapping: long-polls for up to `batchSize` messages,
 * invokes the handler with a real `SQSEvent`, deletes the records it did not report as failed, and
 * deletes nothing when it throws or times out, so failures come back after the visibility timeout and
 * the queue's redrive policy moves them to the dead-letter queue.
 */
export async function startSqsPoller(options: SqsPollerOptions): Promise<SqsPoller> {
  const log = options.log ?? (() => {});
  const attributes = await options.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn;
  if (!queueArn) throw new Error(`No QueueArn for ${options.queueUrl}`);
  const tag = `[${options.functionName}]`;
  let running = true;

  const receive = async (max: number, waitTimeSeconds: number): Promise<Message[]> => {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(MAX_RECEIVE, max),
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return received.Messages ?? [];
  };

  const receiveBatch = async (): Promise<Message[]> => {
    const batch = await receive(options.batchSize, options.waitTimeSeconds ?? 2);
    const windowEnd = Date.now() + options.maxBatchingWindowSeconds * 1000;
    while (batch.length > 0 && batch.length < options.batchSize && Date.now() < windowEnd && running) {
      const more = await receive(options.batchSize - batch.length, 0);
      if (more.length === 0) await sleep(Math.min(100, windowEnd - Date.now()));
      batch.push(...more);
    }
    return batch;
  };

  const invoke = async (messages: Message[]): Promise<void> => {
    const event = buildSqsEvent(messages, queueArn, options.region);
    const context = createLambdaContext({
      functionName: options.functionName,
      timeoutSeconds: options.timeoutSeconds,
      region: options.region,
    });
    const started = Date.now();
    let result: unknown;
    try {
      result = await withTimeout(() => options.handler(event, context), options.timeoutSeconds);
    } catch (error) {
      log(`${tag} batch of ${messages.length} failed, nothing deleted: ${describe(error)}`);
      return;
    }
    const outcome = interpretBatchResponse(result, event);
    if (outcome.kind === 'failed') {
      log(`${tag} batch of ${messages.length} failed, nothing deleted: ${outcome.reason}`);
      return;
    }
    const done = event.Records.filter((record) => !outcome.failedIds.has(record.messageId));
    await deleteRecords(options.sqs, options.queueUrl, done, log, tag);
    const failed = outcome.failedIds.size;
    log(
      `${tag} batch of ${messages.length}: ${done.length} done, ${failed} failed (${Date.now() - started} ms)`,
    );
  };

  const work = async (): Promise<void> => {
    while (running) {
      let messages: Message[];
      try {
        messages = await receiveBatch();
      } catch (error) {
        if (!running) return;
        log(`${tag} receive failed, retrying in 1 s: ${describe(error)}`);
        await sleep(1000);
        continue;
      }
      // Messages already received are invisible to others, so finish them even when stopping.
      if (messages.length > 0) await invoke(messages);
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency) }, () => work());
  return {
    queueArn,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

async function deleteRecords(
  sqs: SQSClient,
  queueUrl: string,
  records: SQSEvent['Records'],
  log: (line: string) => void,
  tag: string,
): Promise<void> {
  for (let start = 0; start < records.length; start += MAX_RECEIVE) {
    const chunk = records.slice(start, start + MAX_RECEIVE);
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    for (const failure of result.Failed ?? [])
      log(`${tag} delete failed: ${failure.Code} ${failure.Message}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
