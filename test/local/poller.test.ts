import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../packages/local/src/aws-clients.js';
import { type RunningEmulator, startSqsEmulator } from '../../packages/local/src/emulators.js';
import { type SqsBatchHandler, type SqsPoller, startSqsPoller } from '../../packages/local/src/poller.js';
import { interpretBatchResponse } from '../../packages/local/src/sqs-event.js';
import { createTempDataDir } from './temp-dir.js';

interface TestQueue {
  url: string;
  dlqUrl: string;
  arn: string;
}

let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
let emulator: RunningEmulator;
let sqs: SQSClient;
let poller: SqsPoller | undefined;

beforeAll(async () => {
  dataDir = await createTempDataDir();
  emulator = await startSqsEmulator({ dataDir: dataDir.path });
  sqs = createSqsClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

afterAll(async () => {
  sqs.destroy();
  await emulator.stop();
  await dataDir.remove();
});

/** A queue with a one-second visibility timeout and a DLQ after `maxReceiveCount` receives. */
async function createTestQueue(name: string, maxReceiveCount = 2): Promise<TestQueue> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const dlqArn = await queueAttribute(dlqUrl, 'QueueArn');
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  const url = main.QueueUrl ?? '';
  return { url, dlqUrl, arn: await queueAttribute(url, 'QueueArn') };
}

async function queueAttribute(url: string, name: 'QueueArn'): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name] }),
  );
  return Attributes?.[name] ?? '';
}

async function messagesLeft(url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

async function send(url: string, bodies: string[]): Promise<void> {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((body, index) => ({
        Id: String(index),
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      })),
    }),
  );
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function startPoller(queue: TestQueue, handler: SqsBatchHandler): Promise<SqsPoller> {
  return startSqsPoller({
    sqs,
    queueUrl: queue.url,
    handler,
    functionName: 'test-consumer',
    region: 'us-east-1',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    concurrency: 1,
    timeoutSeconds: 5,
    waitTimeSeconds: 1,
  });
}

describe('startSqsPoller', () => {
  it('delivers a Lambda-shaped SQS event and context', async () => {
    const queue = await createTestQueue('shape');
    await send(queue.url, ['hello']);
    const calls: { event: SQSEvent; context: Context }[] = [];

    poller = await startPoller(queue, async (event, context) => {
      calls.push({
        event,
        context: { ...context, getRemainingTimeInMillis: context.getRemainingTimeInMillis },
      });
    });
    await waitFor(() => calls.length === 1);

    const [call] = calls;
    const record = call?.event.Records[0];
    expect(record).toMatchObject({
      body: 'hello',
      eventSource: 'aws:sqs',
      eventSourceARN: queue.arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'test' } },
    });
    expect(record?.messageId).toMatch(/\S/);
    expect(record?.receiptHandle).toMatch(/\S/);
    expect(record?.md5OfBody).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(call?.context.functionName).toBe('test-consumer');
    expect(call?.context.awsRequestId).toMatch(/\S/);
    expect(call?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    await waitFor(async () => (await messagesLeft(queue.url)) === 0);
  });

  it('deletes only the records not reported in batchItemFailures, and a record failing maxReceiveCount times ends in the DLQ', async () => {
    const queue = await createTestQueue('partial');
    await send(queue.url, ['ok-1', 'poison', 'ok-2']);
    const deliveries: { body: string; receiveCount: string }[] = [];

    poller = await startPoller(queue, async (event) => {
      for (const record of event.Records) {
        deliveries.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
      }
      const failed = event.Records.filter((record) => record.body === 'poison');
      return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.dlqUrl, WaitTimeSeconds: 10 }));
    expect(dead.Messages?.map((message) => message.Body)).toEqual(['poison']);
    expect(deliveries).toEqual([
      { body: 'ok-1', receiveCount: '1' },
      { body: 'poison', receiveCount: '1' },
      { body: 'ok-2', receiveCount: '1' },
      { body: 'poison', receiveCount: '2' },
    ]);
    expect(await messagesLeft(queue.url)).toBe(0);
  });

  it('deletes nothing when the handler throws', async () => {
    // Enough receives that nothing reaches the DLQ while the test looks.
    const queue = await createTestQueue('throwing', 10);
    await send(queue.url, ['a', 'b']);
    const receiveCounts: string[] = [];

    poller = await startPoller(queue, async (event) => {
      receiveCounts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      throw new Error('boom');
    });
    await waitFor(() => receiveCounts.length === 4);
    await poller.stop();
    poller = undefined;

    // Both came back after the visibility timeout (and may have come back again while stopping).
    expect(receiveCounts.slice(0, 4)).toEqual(['1', '1', '2', '2']);
    expect(await messagesLeft(queue.url)).toBe(2);
  });

  it('waits for the batch in flight when stopped', async () => {
    const queue = await createTestQueue('draining');
    await send(queue.url, ['slow']);
    let started = false;
    let finished = false;
    poller = await startPoller(queue, async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    await waitFor(() => started);

    await poller.stop();
    poller = undefined;

    expect(finished).toBe(true);
    expect(await messagesLeft(queue.url)).toBe(0);
  });
});

describe('interpretBatchResponse', () => {
  const event = { Records: [{ messageId: 'm-1' }, { messageId: 'm-2' }] } as SQSEvent;

  it('treats no result and an empty failure list as full success', () => {
    expect(interpretBatchResponse(undefined, event)).toEqual({ kind: 'partial', failedIds: new Set() });
    expect(interpretBatchResponse({ batchItemFailures: [] }, event)).toEqual({
      kind: 'partial',
      failedIds: new Set(),
    });
  });

  it('fails the whole batch for an identifier that is empty or not in the batch, as Lambda does', () => {
    expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '' }] }, event).kind).toBe(
      'failed',
    );
    expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'other' }] }, event).kind).toBe(
      'failed',
    );
  });
});
