import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

describe('DynamoDbStats figures as of the hour (small cells on the public campaign page)', () => {
  const at = new Date('2026-03-01T11:20:00Z');
  const clocked = new DynamoDbStats(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'ops',
    { now: () => at },
  );

  it("adds a batch's counters to a live shard, then to the same shard of the hour's item", async () => {
    ddbMock.on(UpdateCommand).resolves({});

    await clocked.add('C-1', { 'district:Diamer:NOT_ELIGIBLE': 1, decided: 1 });

    const updates = ddbMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(2);
    const shard = String(updates[0]?.Key?.pk).slice(-2);
    expect(updates[0]?.Key).toEqual({ pk: `STATS#C-1#${shard}`, sk: 'SHARD' });
    expect(updates[1]?.Key).toEqual({ pk: `STATSHOUR#C-1#${shard}`, sk: 'H#2026-03-01T11' });
    expect(updates[1]?.UpdateExpression).toBe(updates[0]?.UpdateExpression);
    expect(updates[1]?.ExpressionAttributeValues).toEqual(updates[0]?.ExpressionAttributeValues);
  });

  it('reads the live and the hour shards in one BatchGet and publishes what stood at the start of the hour', async () => {
    ddbMock.on(BatchGetCommand).resolves({
      Responses: {
        ops: [
          {
            pk: 'STATS#C-1#03',
            sk: 'SHARD',
            'district:Lahore:ELIGIBLE': 30,
            'district:Diamer:NOT_ELIGIBLE': 1,
          },
          { pk: 'STATS#C-1#09', sk: 'SHARD', 'district:Lahore:ELIGIBLE': 12 },
          // Twenty seconds ago: the only household of Darel, and two in Lahore.
          { pk: 'STATSHOUR#C-1#09', sk: 'H#2026-03-01T11', 'district:Lahore:ELIGIBLE': 2 },
          { pk: 'STATSHOUR#C-1#03', sk: 'H#2026-03-01T11', 'district:Diamer:NOT_ELIGIBLE': 1 },
        ],
      },
    });

    const published = await clocked.readAsOfHour('C-1');

    const keys = ddbMock.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.ops?.Keys ?? [];
    expect(keys).toHaveLength(32);
    expect(keys).toContainEqual({ pk: 'STATSHOUR#C-1#15', sk: 'H#2026-03-01T11' });
    expect(published).toEqual({
      asOf: new Date('2026-03-01T11:00:00Z'),
      counters: { 'district:Lahore:ELIGIBLE': 40, 'district:Diamer:NOT_ELIGIBLE': 0 },
    });
  });
});
