import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbDecisionRecords,
  DynamoDbEnrollmentStore,
  DynamoDbRegistryLookup,
  decisionIndexKeys,
  operationsKeys,
  SMS_BULK_MAX,
  SqsJsonQueue,
  SqsReplyQueue,
} from '@madad/adapters';
import { type DecisionOfRecord, OUTBOUND_PACK_MAX, type OutboundSms } from '@madad/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The SDK commands behind the cost model's steps, observed by driving the adapters with mocked clients
 * (instead of matching their source text): what the model bills is what the code sends.
 */
const sqsMock = mockClient(SQSClient);
const docMock = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  sqsMock.reset();
  docMock.reset();
});

const reply = (n: number, text = 'آپ کی درخواست موصول ہو گئی۔'): OutboundSms => ({
  id: `reply-${n}`,
  to: '+923001234567',
  text,
  lang: 'ur',
  inReplyTo: `msg-${n}`,
  createdAt: '2026-12-07T12:00:00.000Z',
});
const replies = (count: number, text?: string) => Array.from({ length: count }, (_, n) => reply(n, text));

function replyQueue() {
  const sqs = new SQSClient({ region: 'ap-south-1' });
  return new SqsReplyQueue(new SqsJsonQueue(sqs, 'https://sqs.local/outbound'));
}
const packsSent = () => [
  ...sqsMock.commandCalls(SendMessageCommand).map((c) => String(c.args[0].input.MessageBody)),
  ...sqsMock
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => String(e.MessageBody))),
];

describe('the reply queue bills a batch as the cost model does', () => {
  it("sends a batch's 100 replies of about 0.4 KB as one SendMessage: one pack", async () => {
    sqsMock.onAnyCommand().resolves({});

    await replyQueue().enqueue(replies(100, 'x'.repeat(300)));

    expect(sqsMock.calls()).toHaveLength(1);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(JSON.parse(packsSent()[0] ?? '{}').replies).toHaveLength(100);
  });

  it(`starts a new pack past ${OUTBOUND_PACK_MAX} replies, sending both packs in one batch request`, async () => {
    sqsMock.onAnyCommand().resolves({ Successful: [], Failed: [] });

    await replyQueue().enqueue(replies(OUTBOUND_PACK_MAX + 1, 'ok'));

    expect(sqsMock.calls()).toHaveLength(1);
    expect(packsSent().map((body) => JSON.parse(body).replies.length)).toEqual([OUTBOUND_PACK_MAX, 1]);
  });

  it('keeps each pack within 200 KiB, under the 256 KiB SQS message limit', async () => {
    sqsMock.onAnyCommand().resolves({ Successful: [], Failed: [] });

    // 300 replies of about 1 KB: 300 KB, more than one pack can hold.
    await replyQueue().enqueue(replies(300, 'y'.repeat(900)));

    const packs = packsSent();
    expect(packs.length).toBe(2);
    expect(packs.flatMap((body) => JSON.parse(body).replies)).toHaveLength(300);
    for (const body of packs) {
      // The pack's replies fill at most 200 KiB; the envelope adds a few bytes.
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(200 * 1024 + 1024);
    }
    // The first pack is filled up to the limit before the second starts.
    expect(Buffer.byteLength(packs[0] ?? '')).toBeGreaterThan(199 * 1024);
  });
});

describe("the registry reads the cost model bills for the reconciler's person lookup", () => {
  it("reads a person's partition with Query commands keyed 'pk = :pk', nothing else", async () => {
    docMock.onAnyCommand().resolves({ Items: [] });
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' }));
    const lookup = new DynamoDbRegistryLookup(doc, 'registry');

    await lookup.resolve(['hash-a', 'hash-b', 'hash-a']);

    const calls = docMock.calls();
    expect(calls.map((c) => c.args[0].constructor.name)).toEqual(['QueryCommand', 'QueryCommand']);
    for (const call of docMock.commandCalls(QueryCommand)) {
      expect(call.args[0].input.KeyConditionExpression).toBe('pk = :pk');
      expect(call.args[0].input.IndexName).toBeUndefined();
    }
  });
});

describe("the sms-sender's bulk size", () => {
  it('sends a pack of 100 replies to the aggregator in one bulk request (the imported constant)', () => {
    // How smsDeliveryFromEnv chunks by it is specified in test/adapters/sms-delivery.test.ts.
    expect(SMS_BULK_MAX).toBe(100);
  });
});

describe('the decision of record the cost model bills with one index write', () => {
  it("puts one item carrying the sparse byCampaignDecision index's keys", async () => {
    docMock.onAnyCommand().resolves({});
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' }));
    const record: DecisionOfRecord = {
      campaignId: 'flood-2026',
      cnicHash: 'hash-a',
      messageId: 'm-1',
      reference: 'R-1',
      from: '923331234567',
      channel: 'sms',
      lang: 'ur',
      decision: {
        status: 'ELIGIBLE',
        reasons: ['IN_REGISTRY'],
        ruleSetVersion: 'flood-2026/v1',
        campaignId: 'flood-2026',
        householdId: 'HH-1',
        category: 'TOP_UP',
        amount: 10_000,
        inputs: { pmtScore: 18.4, district: 'Tharparkar', memberFlags: null, identity: 'ALIVE' },
        decidedAt: '2026-12-07T00:00:00.000Z',
      },
    };

    await new DynamoDbDecisionRecords(doc, 'registry').put(record);

    const puts = docMock.commandCalls(PutCommand);
    expect(docMock.calls()).toHaveLength(1);
    expect(puts[0]?.args[0].input.Item).toMatchObject(decisionIndexKeys('hash-a', 'flood-2026'));
    expect(puts[0]?.args[0].input.Item?.gsi3pk).toEqual(expect.any(String));
  });
});

describe('the enrollment the cost model bills with one index write', () => {
  it("puts one item carrying the byCampaign index's keys: the campaign and district payment batches read", async () => {
    docMock.onAnyCommand().resolves({});
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' }));

    const result = await new DynamoDbEnrollmentStore(doc, 'operations').create({
      campaignId: 'flood-2026',
      householdId: 'HH-1',
      messageId: 'm-1',
      reference: 'R-1',
      cnicHash: 'hash-a',
      category: 'TOP_UP',
      amount: 10_000,
      district: 'Tharparkar',
      tehsil: 'Mithi',
      ruleSetVersion: 'flood-2026/v1',
      channel: 'sms',
      enrolledAt: '2026-12-07T00:00:00.000Z',
    });

    const puts = docMock.commandCalls(PutCommand);
    expect(result).toEqual({ created: true });
    expect(docMock.calls()).toHaveLength(1);
    expect(puts[0]?.args[0].input.Item).toMatchObject({
      gsi2pk: operationsKeys.enrollmentsByDistrict('flood-2026', 'Tharparkar'),
      gsi2sk: '2026-12-07T00:00:00.000Z#HH-1',
    });
  });
});
