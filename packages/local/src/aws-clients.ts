import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Where the local stack's AWS SDK clients connect. */
export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
}

// Emulators accept any signature; real AWS (an overridden endpoint) uses the default credential chain.
const emulatorCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function isLoopback(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** A DynamoDB client for the stack's own bootstrap work (handlers build their own). */
export function createDynamoDbClient(target: AwsTarget): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: target.endpoint,
    region: target.region,
    ...(isLoopback(target.endpoint) ? { credentials: emulatorCredentials } : {}),
  });
}

/** An SQS client for bootstrap and the pollers. */
export function createSqsClient(target: AwsTarget): SQSClient {
  return new SQSClient({
    endpoint: target.endpoint,
    region: target.region,
    ...(isLoopback(target.endpoint) ? { credentials: emulatorCredentials } : {}),
  });
}
