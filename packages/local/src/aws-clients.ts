import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { emulatorSigner, isLoopbackEndpoint } from '@madad/adapters/emulator-signer';

/** Where the local stack's AWS SDK clients connect. */
export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
}

// Emulators accept any signature, so they get a placeholder one (`emulatorSigner`); real AWS (an
// overridden endpoint) uses the default credential chain and real SigV4.
const emulatorAccess = (target: AwsTarget, service: 'dynamodb' | 'sqs') =>
  isLoopbackEndpoint(target.endpoint)
    ? {
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        signer: emulatorSigner({ region: target.region, service }),
      }
    : {};

/** A DynamoDB client for the stack's own bootstrap work (handlers build their own). */
export function createDynamoDbClient(target: AwsTarget): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: target.endpoint,
    region: target.region,
    ...emulatorAccess(target, 'dynamodb'),
  });
}

/** An SQS client for bootstrap and the pollers. */
export function createSqsClient(target: AwsTarget): SQSClient {
  return new SQSClient({
    endpoint: target.endpoint,
    region: target.region,
    ...emulatorAccess(target, 'sqs'),
  });
}
