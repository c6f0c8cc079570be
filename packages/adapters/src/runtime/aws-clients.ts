import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeConfig } from './config.js';
import { emulatorSigner, isLoopbackEndpoint } from './emulator-signer.js';

// Emulators accept any credentials; an endpoint outside local mode (a VPC endpoint, DynamoDB Local in
// CI) uses the default provider chain like real AWS. On loopback in local mode the requests carry an
// unverified placeholder signature (`emulatorSigner`): the emulators never check one.
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const credentialsFor = (config: RuntimeConfig, endpoint: string, service: 'dynamodb' | 'sqs') =>
  config.stage === 'local'
    ? {
        credentials: localCredentials,
        ...(isLoopbackEndpoint(endpoint)
          ? { signer: emulatorSigner({ region: config.region, service }) }
          : {}),
      }
    : {};

/** One document client per process, created at module scope by the caller and injected. */
export function createDocumentClient(config: RuntimeConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, ...credentialsFor(config, config.dynamodbEndpoint, 'dynamodb') }
      : {}),
    maxAttempts: 5,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createSqsClient(config: RuntimeConfig): SQSClient {
  return new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint
      ? { endpoint: config.sqsEndpoint, ...credentialsFor(config, config.sqsEndpoint, 'sqs') }
      : {}),
    maxAttempts: 5,
  });
}
