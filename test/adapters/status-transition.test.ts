import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { transitionStatus } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

afterEach(() => {
  ddbMock.reset();
});

const move = {
  table: 'registry',
  key: { pk: 'HH#HH-1', sk: 'RECT#r-1' },
  from: ['OPEN', 'FIELD_VISIT'],
  set: { status: 'ACCEPTED', decidedBy: 'officer-2', gsi1pk: 'RECT#ACCEPTED#DADU' },
  unset: ['claimedBy'],
  require: { district: 'Dadu' },
};

describe('transitionStatus: the one claim step of staff-reviewed items', () => {
  it('sends one conditional update: the fields set, the fields removed, the statuses it may leave', async () => {
    ddbMock.on(UpdateCommand).resolves({});

    const moved = await transitionStatus(doc, move);

    const [call] = ddbMock.commandCalls(UpdateCommand);
    expect(moved).toBe(true);
    expect(call?.args[0].input).toEqual({
      TableName: 'registry',
      Key: { pk: 'HH#HH-1', sk: 'RECT#r-1' },
      UpdateExpression: 'SET #status = :status, #decidedBy = :decidedBy, #gsi1pk = :gsi1pk REMOVE #claimedBy',
      ConditionExpression: '#district = :if_district AND #status IN (:from0, :from1)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#decidedBy': 'decidedBy',
        '#gsi1pk': 'gsi1pk',
        '#claimedBy': 'claimedBy',
        '#district': 'district',
      },
      ExpressionAttributeValues: {
        ':status': 'ACCEPTED',
        ':decidedBy': 'officer-2',
        ':gsi1pk': 'RECT#ACCEPTED#DADU',
        ':if_district': 'Dadu',
        ':from0': 'OPEN',
        ':from1': 'FIELD_VISIT',
      },
    });
  });

  it('answers false when another reviewer moved the item first (the condition failed)', async () => {
    ddbMock
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    await expect(transitionStatus(doc, move)).resolves.toBe(false);
  });

  it('lets any other failure through', async () => {
    ddbMock.on(UpdateCommand).rejects(new Error('throttled'));

    await expect(transitionStatus(doc, move)).rejects.toThrow('throttled');
  });
});
