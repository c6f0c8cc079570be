import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues, tables, visibilityTimeoutSeconds } from '../../packages/adapters/src/resources.js';
import { createDynamoDbClient, createSqsClient } from '../../packages/local/src/aws-clients.js';
import { type BootstrapResult, bootstrapResources } from '../../packages/local/src/bootstrap.js';
import {
  type RunningEmulator,
  startDynamoDbEmulator,
  startSqsEmulator,
} from '../../packages/local/src/emulators.js';
import { createTempDataDir } from './temp-dir.js';

interface Running {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  emulators: RunningEmulator[];
  resources: BootstrapResult;
}

async function start(dataDir: string): Promise<Running> {
  const dynamoEmulator = await startDynamoDbEmulator({ dataDir });
  const sqsEmulator = await startSqsEmulator({ dataDir });
  const dynamodb = createDynamoDbClient({ endpoint: dynamoEmulator.endpoint, region: 'us-east-1' });
  const sqs = createSqsClient({ endpoint: sqsEmulator.endpoint, region: 'us-east-1' });
  const resources = await bootstrapResources({ dynamodb, sqs });
  return { dynamodb, sqs, emulators: [dynamoEmulator, sqsEmulator], resources };
}

async function stop(running: Running): Promise<void> {
  running.dynamodb.destroy();
  running.sqs.destroy();
  await Promise.all(running.emulators.map((emulator) => emulator.stop()));
}

describe('bootstrapResources', () => {
  let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
  let first: Running;

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    first = await start(dataDir.path);
  });

  afterAll(async () => {
    await stop(first);
    await dataDir.remove();
  });

  it('creates every table in resources.ts with its keys, indexes and on-demand billing', async () => {
    for (const spec of Object.values(tables)) {
      const { Table } = await first.dynamodb.send(
        new DescribeTableCommand({ TableName: first.resources.tables[spec.id] }),
      );
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: spec.partitionKey, KeyType: 'HASH' },
        { AttributeName: spec.sortKey, KeyType: 'RANGE' },
      ]);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema?.map((key) => key.AttributeName),
      }));
      expect(indexes).toEqual(
        spec.indexes.map((index) => ({ name: index.name, keys: [index.partitionKey, index.sortKey] })),
      );
    }
  });

  it('creates every queue with its visibility timeout, retention and redrive policy to its DLQ', async () => {
    for (const spec of Object.values(queues)) {
      const queue = first.resources.queues[spec.id];
      const { Attributes } = await first.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }),
      );
      expect(Attributes?.VisibilityTimeout).toBe(String(visibilityTimeoutSeconds(spec)));
      expect(Attributes?.MessageRetentionPeriod).toBe(String(spec.retentionDays * 86_400));
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: queue.dlqArn,
        maxReceiveCount: spec.maxReceiveCount,
      });
      expect(queue.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\d+\/madad-local-/);
    }
  });

  it('names every table and queue in the env map the handlers read', () => {
    expect(first.resources.env).toEqual({
      MADAD_TABLE_REGISTRY: first.resources.tables.registry,
      MADAD_TABLE_OPERATIONS: first.resources.tables.operations,
      MADAD_QUEUE_REGISTRATIONS_URL: first.resources.queues.registrations.url,
      MADAD_QUEUE_OUTBOUND_URL: first.resources.queues.outbound.url,
      MADAD_QUEUE_ACTIVATION_URL: first.resources.queues.activation.url,
      MADAD_QUEUE_REPLAY_URL: first.resources.queues.replay.url,
      MADAD_QUEUE_IMPORTS_URL: first.resources.queues.imports.url,
      MADAD_QUEUE_BATCHES_URL: first.resources.queues.batches.url,
    });
  });

  it('is a no-op when run again on the same emulators', async () => {
    const again = await bootstrapResources({ dynamodb: first.dynamodb, sqs: first.sqs });

    expect(again.createdTables).toEqual([]);
    expect(again.queues).toEqual(first.resources.queues);
  });

  it('keeps items and messages across a restart on the same data folder', async () => {
    const tableName = first.resources.tables.registry;
    await first.dynamodb.send(
      new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'KEEP' }, sk: { S: 'ME' } } }),
    );
    await first.sqs.send(
      new SendMessageCommand({ QueueUrl: first.resources.queues.outbound.url, MessageBody: 'survives' }),
    );
    await stop(first);

    first = await start(dataDir.path);

    expect(first.resources.createdTables).toEqual([]);
    const { Item } = await first.dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'KEEP' }, sk: { S: 'ME' } } }),
    );
    expect(Item).toEqual({ pk: { S: 'KEEP' }, sk: { S: 'ME' } });
    const { Messages } = await first.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: first.resources.queues.outbound.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages?.map((message) => message.Body)).toEqual(['survives']);
    // The URL handed out after a restart points at the new port.
    expect(first.resources.queues.outbound.url).toContain(first.emulators[1]?.endpoint);
  });

  it('binds both emulators to 127.0.0.1 only', () => {
    expect(first.emulators.map((emulator) => emulator.address.address)).toEqual(['127.0.0.1', '127.0.0.1']);
  });
});
