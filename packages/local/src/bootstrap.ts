import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  deadLetterQueueId,
  type QueueId,
  type QueueSpec,
  queueEnvName,
  queues,
  type TableId,
  type TableSpec,
  tableEnvName,
  tables,
  visibilityTimeoutSeconds,
} from '@madad/adapters/resources';

/** A queue as created locally, with its dead-letter queue. */
export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

export interface BootstrapResult {
  readonly tables: Readonly<Record<TableId, string>>;
  readonly queues: Readonly<Record<QueueId, LocalQueue>>;
  /** `{[tableEnvName]: tableName, [queueEnvName]: queueUrl}`, what the handlers read. */
  readonly env: Readonly<Record<string, string>>;
  /** Table names created by this call (empty when every table already existed). */
  readonly createdTables: readonly string[];
}

export interface BootstrapOptions {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Prepended to every table and queue name; default `madad-local-`. */
  readonly namePrefix?: string;
  /**
   * Replaces every queue's visibility timeout (seconds). Only tests use it, to see redelivery and
   * dead-lettering in seconds instead of the production 6x-the-timeout minutes.
   */
  readonly visibilityTimeoutSeconds?: number;
}

const DAY_SECONDS = 86_400;

/**
 * Creates the tables and queues described in `resources.ts`, reusing any that already exist, so a
 * second start on the same data folder changes nothing.
 */
export async function bootstrapResources(options: BootstrapOptions): Promise<BootstrapResult> {
  const prefix = options.namePrefix ?? 'madad-local-';
  const tableNames = {} as Record<TableId, string>;
  const createdTables: string[] = [];
  for (const spec of Object.values(tables)) {
    const name = `${prefix}${spec.id}`;
    if (await ensureTable(options.dynamodb, spec, name)) createdTables.push(name);
    tableNames[spec.id] = name;
  }
  const queueRefs = {} as Record<QueueId, LocalQueue>;
  for (const spec of Object.values(queues)) {
    queueRefs[spec.id] = await ensureQueue(options.sqs, spec, prefix, options.visibilityTimeoutSeconds);
  }
  const env: Record<string, string> = {};
  for (const id of Object.keys(tableNames) as TableId[]) env[tableEnvName(id)] = tableNames[id];
  for (const id of Object.keys(queueRefs) as QueueId[]) env[queueEnvName(id)] = queueRefs[id].url;
  return { tables: tableNames, queues: queueRefs, env, createdTables };
}

/** Creates the table unless it exists; returns whether it was created. */
export async function ensureTable(client: DynamoDBClient, spec: TableSpec, name: string): Promise<boolean> {
  const existing = await describeTable(client, name);
  if (existing) {
    assertIndexesPresent(existing, spec, name);
    return false;
  }
  const keyAttributes = new Set([spec.partitionKey, spec.sortKey]);
  for (const index of spec.indexes) {
    keyAttributes.add(index.partitionKey);
    if (index.sortKey) keyAttributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttributes].map((attribute) => ({
        AttributeName: attribute,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: spec.partitionKey, KeyType: 'HASH' },
        { AttributeName: spec.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes:
        spec.indexes.length === 0
          ? undefined
          : spec.indexes.map((index) => ({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
              ],
              Projection: { ProjectionType: 'ALL' },
            })),
    }),
  );
  return true;
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

// dynalite cannot add an index to an existing table, so a stale data folder must fail loudly.
function assertIndexesPresent(table: TableDescription, spec: TableSpec, name: string): void {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = spec.indexes.filter((index) => !present.has(index.name)).map((index) => index.name);
  if (missing.length > 0) {
    throw new Error(
      `Table ${name} exists without index(es) ${missing.join(', ')} from resources.ts; ` +
        'delete the local data folder (or the table) to recreate it.',
    );
  }
}

/** Creates (or reconciles the attributes of) a queue and its dead-letter queue. */
export async function ensureQueue(
  client: SQSClient,
  spec: QueueSpec,
  prefix: string,
  visibilityOverride?: number,
): Promise<LocalQueue> {
  const retention = String(spec.retentionDays * DAY_SECONDS);
  const dlq = await upsertQueue(client, `${prefix}${deadLetterQueueId(spec)}`, {
    // A dead letter keeps the maximum SQS retention so there is time to inspect and redrive it.
    MessageRetentionPeriod: String(14 * DAY_SECONDS),
  });
  const main = await upsertQueue(client, `${prefix}${spec.id}`, {
    VisibilityTimeout: String(visibilityOverride ?? visibilityTimeoutSeconds(spec)),
    MessageRetentionPeriod: retention,
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
  });
  return { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
}

async function upsertQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  let url = await queueUrlIfExists(client, name);
  if (url) {
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  } else {
    url = (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
    if (!url) throw new Error(`CreateQueue returned no URL for ${name}`);
  }
  const described = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes returned no QueueArn for ${name}`);
  return { url, arn };
}

async function queueUrlIfExists(client: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return undefined;
    throw error;
  }
}
