import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CorruptItemError, DynamoDbDecisionRecords } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const ddbMock = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

afterEach(() => {
  ddbMock.reset();
});

const record = (decision: Record<string, unknown>) => ({
  pk: 'PERSON#h1',
  sk: 'DEC#C-1',
  type: 'DECISION',
  campaignId: 'C-1',
  cnicHash: 'h1',
  messageId: 'm-1',
  reference: 'R-1',
  from: '+923001234567',
  channel: 'sms',
  lang: 'ur',
  decision,
});
const decided = {
  status: 'ELIGIBLE',
  reasons: [],
  ruleSetVersion: 'C-1/v1',
  inputs: { pmt: 12 },
  decidedAt: '2026-08-20T10:00:00Z',
};

describe('DynamoDbDecisionRecords reads decisions of record through their schema', () => {
  it('returns a good record with every field but its keys', async () => {
    ddbMock.on(QueryCommand).resolves({ Items: [{ ...record(decided), extra: 'kept' }] });

    const latest = await new DynamoDbDecisionRecords(doc, 'registry').latest('h1');

    expect(latest).toEqual({
      ...record(decided),
      pk: undefined,
      sk: undefined,
      type: undefined,
      extra: 'kept',
    });
  });

  it('refuses a record whose decision has no status, naming its key', async () => {
    const { status: _status, ...noStatus } = decided;
    ddbMock.on(QueryCommand).resolves({ Items: [record(noStatus)] });

    const read = new DynamoDbDecisionRecords(doc, 'registry').latest('h1');

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow('Corrupt decision item PERSON#h1/DEC#C-1: decision.status');
  });
});
