import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { type LocalStack, startLocalStack } from '@madad/local';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { redriveQueue } from '../../packages/cli/src/commands/redrive.js';
import { main } from '../../packages/cli/src/main.js';

let dataDir: string;
let stack: LocalStack;
let sqs: SQSClient;
let queueUrl: string;
let deadLetterUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'madad-redrive-'));
  // No pollers: nothing consumes the queues, so what the redrive moved stays there to be counted.
  stack = await startLocalStack({ dataDir, port: 0, pollers: false, log: () => undefined });
  sqs = new SQSClient({ region: stack.region, endpoint: stack.sqsEndpoint });
  queueUrl = stack.env.MADAD_QUEUE_OUTBOUND_URL ?? '';
  ({ QueueUrl: deadLetterUrl = '' } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: 'madad-local-outbound-dlq' }),
  ));
});

afterAll(async () => {
  sqs.destroy();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => vi.restoreAllMocks());

async function deadLetter(bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deadLetterUrl,
        Entries: bodies.slice(i, i + 10).map((body, n) => ({ Id: String(n), MessageBody: body })),
      }),
    );
  }
}

/** Receives (and leaves in flight) every visible message of a queue. */
async function drain(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 300,
      }),
    );
    if (Messages.length === 0) return bodies.sort();
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
}

const visible = async (url: string) =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages,
  );

describe('madad redrive', () => {
  it('moves every dead-lettered message back onto its queue and says how many', async () => {
    const bodies = Array.from({ length: 23 }, (_, i) => JSON.stringify({ id: `reply-${i}` }));
    await deadLetter(bodies);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

    const code = await main(['redrive', 'outbound']);

    expect(code).toBe(0);
    // The emulator has no message move tasks, so the command fell back to copying.
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^Redrove 23 message\(s\) from .*outbound-dlq to .*\(copy\)$/),
    );
    expect(await visible(deadLetterUrl)).toBe(0);
    expect(await drain(queueUrl)).toEqual([...bodies].sort());
  });

  it('moves at most --max messages and leaves the rest in the dead-letter queue', async () => {
    await deadLetter(['a', 'b', 'c', 'd', 'e'].map((x) => JSON.stringify({ id: x })));

    const result = await redriveQueue(sqs, queueUrl, { method: 'copy', max: 3 });

    expect(result).toMatchObject({ method: 'copy', moved: 3, deadLetterQueueUrl: deadLetterUrl });
    expect(await drain(queueUrl)).toHaveLength(3);
    expect(await drain(deadLetterUrl)).toHaveLength(2);
  });

  it('surfaces the error when a message move task is asked for where there is none', async () => {
    await expect(redriveQueue(sqs, queueUrl, { method: 'move-task' })).rejects.toThrow(
      /StartMessageMoveTask/,
    );
  });

  it('refuses an unknown queue with the usage', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    expect(await main(['redrive', 'payments'])).toBe(2);
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(
        /QUEUE is one of registrations, outbound, .*, not 'payments'\nusage: madad redrive QUEUE/,
      ),
    );
  });
});

describe('redriveQueue on AWS', () => {
  // One mocked client instance: the emulator's client above stays real.
  const cloud = new SQSClient({ region: 'ap-south-1' });
  const cloudMock = mockClient(cloud);
  const url = 'https://sqs.ap-south-1.amazonaws.com/123456789012/Madad-prod-Queuesregistrations1A2B';
  const dlqArn = 'arn:aws:sqs:ap-south-1:123456789012:Madad-prod-Queuesregistrationsdlq3C4D';

  afterAll(() => cloudMock.restore());

  it('starts a message move task from the DLQ of the redrive policy and waits for it to complete', async () => {
    cloudMock.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        QueueArn: 'arn:aws:sqs:ap-south-1:123456789012:Madad-prod-Queuesregistrations1A2B',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }),
      },
    });
    cloudMock.on(GetQueueUrlCommand).resolves({ QueueUrl: `${url}-dlq` });
    cloudMock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    cloudMock
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ TaskHandle: 'task-1', Status: 'RUNNING' }] })
      .resolves({
        Results: [{ TaskHandle: 'task-1', Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4812 }],
      });

    const result = await redriveQueue(cloud, url, { pollMs: 1 });

    expect(result).toEqual({ method: 'move-task', moved: 4812, deadLetterQueueUrl: `${url}-dlq` });
    expect(cloudMock.commandCalls(GetQueueUrlCommand)[0]?.args[0].input).toEqual({
      QueueName: 'Madad-prod-Queuesregistrationsdlq3C4D',
      QueueOwnerAWSAccountId: '123456789012',
    });
    expect(cloudMock.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: dlqArn,
      DestinationArn: 'arn:aws:sqs:ap-south-1:123456789012:Madad-prod-Queuesregistrations1A2B',
    });
    expect(cloudMock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });
});
