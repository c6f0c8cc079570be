import { type QueueId, queueEnvName, queues, type TableId, tableEnvName, tables } from '../resources.js';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Reads a required variable once, failing fast with a message that says what is missing. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`Missing environment variable ${name}`);
  }
  return value;
}

export interface RuntimeConfig {
  readonly stage: string;
  readonly region: string;
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
  readonly tables: Record<TableId, string>;
  readonly queues: Record<QueueId, string>;
}

/** The deployment's shape, from the environment the CDK stack or the local stack sets. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const tableNames = Object.fromEntries(
    (Object.keys(tables) as TableId[]).map((id) => [id, requireEnv(tableEnvName(id), env)]),
  ) as Record<TableId, string>;
  const queueUrls = Object.fromEntries(
    (Object.keys(queues) as QueueId[]).map((id) => [id, requireEnv(queueEnvName(id), env)]),
  ) as Record<QueueId, string>;
  return {
    stage: env.MADAD_STAGE ?? 'local',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(env.MADAD_DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.MADAD_DYNAMODB_ENDPOINT } : {}),
    ...(env.MADAD_SQS_ENDPOINT ? { sqsEndpoint: env.MADAD_SQS_ENDPOINT } : {}),
    tables: tableNames,
    queues: queueUrls,
  };
}
