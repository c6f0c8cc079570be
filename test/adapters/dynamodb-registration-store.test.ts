import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbRegistrationStore } from '@madad/adapters';
import { type RegistrationRecord, renderForwardedReply, renderReply } from '@madad/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const docMock = mockClient(DynamoDBDocumentClient);
afterEach(() => docMock.reset());

const record: RegistrationRecord = {
  messageId: 'agg-77',
  channel: 'sms',
  from: '+923001234567',
  receivedAt: '2026-11-25T11:00:00Z',
  acceptedAt: '2026-11-25T11:00:00.120Z',
  command: 'register',
  cnicHash: 'a'.repeat(40),
  lang: 'ur',
  reference: 'R7K2M9Q4',
  decision: {
    status: 'DUPLICATE',
    reasons: ['ALREADY_ENROLLED'],
    campaignId: 'C-FLOOD-2026',
    householdId: 'HH-000123',
    ruleSetVersion: 'C-FLOOD-2026@v00001',
    inputs: {
      firstReference: 'R1AAAAAA',
      district: 'Dadu',
      tehsil: 'Johi',
      pmtScore: 21.5,
      programmes: 'KAFAALAT',
    },
    decidedAt: '2026-11-25T11:00:01.000Z',
  },
  reply: {
    id: 'reply-agg-77',
    to: '+923001234567',
    text: renderReply({
      status: 'DUPLICATE',
      reasons: ['ALREADY_ENROLLED'],
      lang: 'ur',
      reference: 'R1AAAAAA',
    }),
    lang: 'ur',
    inReplyTo: 'agg-77',
    reference: 'R7K2M9Q4',
    createdAt: '2026-11-25T11:00:00.120Z',
  },
};

describe('DynamoDbRegistrationStore', () => {
  it('stores a record in one write unit (under 1 KB) even with an Urdu reply, and gives back the very same reply', async () => {
    docMock.on(PutCommand).resolves({});
    const store = new DynamoDbRegistrationStore(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
      'ops',
    );

    expect(await store.record(record)).toEqual({ fresh: true });

    const item = docMock.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    expect(item).toMatchObject({ pk: 'PHONE#+923001234567', sk: 'MSG#agg-77' });
    expect(item.reply).toEqual({ id: 'reply-agg-77', text: record.reply?.text });
    // The decision's trace is the person's decision of record's; a duplicate keeps what it points at.
    expect(item.decision.inputs).toEqual({ firstReference: 'R1AAAAAA' });
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1024);

    // A redelivery: DynamoDB hands back the stored item with the refusal; the reply is rebuilt whole.
    docMock.on(PutCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'exists',
        $metadata: {},
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
    const again = await store.record(record);
    expect(again.fresh).toBe(false);
    expect(again.fresh === false && again.existing.reply).toEqual(record.reply);
  });
});

describe('DynamoDbRegistrationStore, a message from a phone not tied to the household (issue 14, finding 1)', () => {
  it("stores the household's notice beside the reply and gives back the very same notice on redelivery", async () => {
    // Arrange: a stranger's Urdu registration, answered "received", its outcome sent to the household.
    docMock.on(PutCommand).resolves({});
    const store = new DynamoDbRegistrationStore(
      DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
      'ops',
    );
    const { inReplyTo: _none, ...outcome } = record.reply ?? ({} as never);
    const stranger: RegistrationRecord = {
      ...record,
      reply: { ...(record.reply ?? ({} as never)), text: renderForwardedReply('ur', true) },
      notice: { ...outcome, id: 'notice-agg-77-R7K2M9Q4', to: '+923211234567' },
    };

    // Act
    await store.record(stranger);
    const item = docMock.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    docMock.on(PutCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'exists',
        $metadata: {},
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
    const again = await store.record(stranger);

    // Assert
    expect(item.notice).toEqual({ id: 'notice-agg-77-R7K2M9Q4', to: '+923211234567', text: outcome.text });
    expect(again.fresh === false && again.existing.notice).toEqual(stranger.notice);
    expect(again.fresh === false && again.existing.reply).toEqual(stranger.reply);
    // Two Urdu texts (967 bytes for a duplicate's): one write unit; a long refusal may take two.
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1024);
  });
});
