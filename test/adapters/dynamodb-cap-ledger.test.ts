import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCapLedger } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const ledger = new DynamoDbCapLedger(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  'ops',
);
const LIMITS = { maxHouseholds: 10, budget: 120_000, revision: 0 };
const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    {
      ...(item ? { Item: item } : {}),
    },
  );

afterEach(() => {
  ddbMock.reset();
});

describe('DynamoDbCapLedger.reserve', () => {
  it('reserves on a shard another consumer created after its first attempt found none (not full: tried again)', async () => {
    // Arrange: the shard is absent at the first attempt; a concurrent consumer creates it before our create.
    ddbMock.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    ddbMock.on(GetCommand).resolves({ Item: { pk: 'CAP#C-1#00', sk: 'CAP', remainingHouseholds: 10 } });
    ddbMock.on(PutCommand).rejects(conditionFailed());

    // Act
    const reserved = await ledger.reserve('C-1', 0, 12_000, 'm1#HH-1#C-1/v2', LIMITS);

    // Assert
    expect(reserved).toBe(true);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('refuses at once a shard that exists and has no room', async () => {
    ddbMock
      .on(UpdateCommand)
      .rejects(conditionFailed({ pk: 'CAP#C-1#00', sk: 'CAP', remainingHouseholds: 0 }));

    const reserved = await ledger.reserve('C-1', 0, 12_000, 'm1#HH-1#C-1/v2', LIMITS);

    expect(reserved).toBe(false);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(ddbMock.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a full shard when the condition failure carries no item (as the embedded DynamoDB answers)', async () => {
    ddbMock.on(UpdateCommand).rejects(conditionFailed());
    ddbMock.on(GetCommand).resolves({ Item: { pk: 'CAP#C-1#00', sk: 'CAP', remainingHouseholds: 0 } });
    ddbMock.on(PutCommand).rejects(conditionFailed());

    const reserved = await ledger.reserve('C-1', 0, 12_000, 'm1#HH-1#C-1/v2', LIMITS);

    expect(reserved).toBe(false);
  });
});
