import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type SqsBatchOutcome, sqsRetryBackoff } from '../../functions/shared/sqs-retry-backoff.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const sqsMock = mockClient(SQSClient);
const QUEUE = 'https://sqs.local/000000000000/test-registrations';

afterEach(() => {
  sqsMock.reset();
});

/** The captured registrations batch: two first deliveries and a third delivery. */
const event = () => loadEvent<SQSEvent>('sqs/registrations-batch.json');
const [first, second, third] = event().Records.map((r) => r.messageId);
const handleOf = (id?: string) => event().Records.find((r) => r.messageId === id)?.receiptHandle;

function consumer(handler: (e: SQSEvent) => Promise<SqsBatchOutcome>) {
  return middy(handler).use(sqsRetryBackoff({ sqs: new SQSClient({}), queueUrl: QUEUE, baseSeconds: 30 }));
}

const backedOff = () =>
  sqsMock
    .commandCalls(ChangeMessageVisibilityBatchCommand)
    .flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => [e.ReceiptHandle, e.VisibilityTimeout]));

describe('sqsRetryBackoff', () => {
  it('backs off the failed records, doubling from the base, but not the failures no retry cures', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});
    const handler = consumer(async () => ({
      batchItemFailures: [{ itemIdentifier: `${first}` }, { itemIdentifier: `${third}` }],
      final: [`${third}`],
    }));

    const response = await handler(event(), lambdaContext);

    expect(backedOff()).toEqual([[handleOf(first), 30]]);
    // SQS is handed the failures only, the unreadable one included so that it reaches the DLQ.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: first }, { itemIdentifier: third }] });
  });

  it('backs off the whole batch when the handler throws, and lets the error through', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});
    const handler = consumer(async () => {
      throw new Error('database out of reach');
    });

    await expect(handler(event(), lambdaContext)).rejects.toThrow('database out of reach');

    // The third delivery waits four times the base: doubling from it, each delivery.
    expect(backedOff()).toEqual([
      [handleOf(first), 30],
      [handleOf(second), 30],
      [handleOf(third), 120],
    ]);
  });

  it('calls SQS not at all when nothing failed', async () => {
    const handler = consumer(async () => ({ batchItemFailures: [] }));

    await handler(event(), lambdaContext);

    expect(sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });
});
