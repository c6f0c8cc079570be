import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStats } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const stats = new DynamoDbStats(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  'ops',
);

afterEach(() => {
  ddbMock.reset();
});

describe('DynamoDbStats registrations per minute', () => {
  it('writes one update per hour touched, one attribute per minute, into a shard of that hour', async () => {
    ddbMock.on(UpdateCommand).resolves({});

    await stats.addPerMinute('C-1', { '2026-03-01T10:59': 4, '2026-03-01T11:00': 2, '2026-03-01T11:01': 0 });

    const updates = ddbMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[0]?.Key).toMatchObject({
      pk: 'RATE#C-1',
      sk: expect.stringMatching(/^H#2026-03-01T10#\d{2}$/),
    });
    expect(updates[0]?.ExpressionAttributeNames).toEqual({ '#m0': 'm59' });
    expect(updates[0]?.ExpressionAttributeValues).toEqual({ ':m0': 4 });
    expect(updates[1]?.Key).toMatchObject({ sk: expect.stringMatching(/^H#2026-03-01T11#\d{2}$/) });
    expect(updates[1]?.ExpressionAttributeNames).toEqual({ '#m0': 'm00' });
  });

  it('reads the hours of a window and sums the shards, minute by minute, inside the window', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [
        { pk: 'RATE#C-1', sk: 'H#2026-03-01T10#03', m58: 1, m59: 2 },
        { pk: 'RATE#C-1', sk: 'H#2026-03-01T10#11', m59: 3 },
        { pk: 'RATE#C-1', sk: 'H#2026-03-01T11#00', m00: 5, m30: 9 },
      ],
    });

    const counts = await stats.readPerMinute(
      'C-1',
      new Date('2026-03-01T10:59:00Z'),
      new Date('2026-03-01T11:10:00Z'),
    );

    expect(ddbMock.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toEqual({
      ':pk': 'RATE#C-1',
      ':from': 'H#2026-03-01T10',
      ':to': 'H#2026-03-01T11#~',
    });
    expect(counts).toEqual([
      { minute: '2026-03-01T10:59', count: 5 },
      { minute: '2026-03-01T11:00', count: 5 },
    ]);
  });
});
