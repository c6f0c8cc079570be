import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { personItems } from '@madad/adapters';
import { hashCnic } from '@madad/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;
const demoHash = hashCnic(TEST_SECRETS.pepper, '3520212345672');

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  ({ handler } = (await import('../../functions/reconciler/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  sqsMock.reset();
  ddbMock.reset();
});

/**
 * The registry knows the demo CNIC: its partition (decision view and identity) is one Query, or its
 * items by key (BatchGetItem) for a batch that only registers it.
 */
function registryHas() {
  const household = {
    householdId: 'HH-1',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Lahore City',
    pmtScore: 18,
    programmes: [],
    status: 'active',
    members: [{ cnic: '35202-1234567-2', cnicHash: demoHash, relation: 'head', gender: 'female' }],
  };
  const partition = [
    ...personItems(household, () => []),
    { pk: `CNIC#${demoHash}`, sk: 'IDENTITY', status: 'ALIVE', simPhones: [] },
  ];
  ddbMock.on(QueryCommand).callsFake((input) => {
    const pk = input.ExpressionAttributeValues?.[':pk'];
    return { Items: input.TableName === 'test-registry' && pk === `CNIC#${demoHash}` ? partition : [] };
  });
  ddbMock.on(BatchGetCommand).callsFake((input) => {
    const keys = (input.RequestItems?.['test-registry']?.Keys ?? []) as { pk: string; sk: string }[];
    const found = partition.filter((item) => keys.some((k) => k.pk === item.pk && k.sk === item.sk));
    return { Responses: { 'test-registry': found } };
  });
  // The references a batch told households, indexed together.
  ddbMock.on(BatchWriteCommand).resolves({});
}

/** The replies queued to the outbound queue: packs (one message for the batch's replies). */
function repliesQueued(): Record<string, unknown>[] {
  const bodies = [
    ...sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input),
    ...sqsMock
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) =>
        (c.args[0].input.Entries ?? []).map((e) => ({ ...e, QueueUrl: c.args[0].input.QueueUrl })),
      ),
  ].filter((m) => m.QueueUrl?.includes('test-outbound'));
  return bodies.flatMap(
    (m) => (JSON.parse(m.MessageBody ?? '{}') as { replies: Record<string, unknown>[] }).replies,
  );
}

describe('reconciler handler', () => {
  it('decides and replies to good records and reports only the poison record as failed', async () => {
    registryHas();
    ddbMock.on(PutCommand).resolves({});
    ddbMock.on(UpdateCommand).resolves({});
    // Nothing else is stored: no appeal pointer for the STATUS record's person (one GetItem).
    ddbMock.on(GetCommand).resolves({});
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2b3c4d5e-6f7a-4b2c-9d0e-1f2a3b4c5d6e' }]);
    // One Query for the person (a STATUS reads every decision of record), one tally write per phone
    // (no read of the phones' records); nothing else read.
    const queries = ddbMock.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.filter((q) => q.TableName === 'test-registry')).toHaveLength(1);
    const phones = queries.filter((q) => String(q.ExpressionAttributeValues?.[':pk']).startsWith('PHONE#'));
    expect(phones).toHaveLength(0);
    const tallies = ddbMock.commandCalls(UpdateCommand).filter((c) => c.args[0].input.Key?.sk === 'TALLY');
    expect(tallies.map((c) => c.args[0].input.Key?.pk).sort()).toEqual([
      'PHONE#+923001234567',
      'PHONE#+923331112222',
    ]);
    expect(ddbMock.commandCalls(BatchGetCommand)).toHaveLength(0);
    const registration = ddbMock
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((item) => item?.messageId === 'agg-0001' && item.type === 'REGISTRATION');
    expect(registration?.decision).toMatchObject({ status: 'NO_ACTIVE_CAMPAIGN', reasons: ['IN_REGISTRY'] });
    // In its phone's partition, with no index key; the person's decision of record beside the person.
    const put = ddbMock
      .commandCalls(PutCommand)
      .find(
        (c) =>
          c.args[0].input.Item?.messageId === 'agg-0001' && c.args[0].input.TableName === 'test-operations',
      );
    expect(put?.args[0].input.Item).toMatchObject({ pk: 'PHONE#+923001234567', sk: 'MSG#agg-0001' });
    expect(registration?.gsi1pk).toBeUndefined();
    const ofRecord = ddbMock
      .commandCalls(PutCommand)
      .find((c) => c.args[0].input.TableName === 'test-registry');
    expect(ofRecord?.args[0].input.Item).toMatchObject({ pk: `CNIC#${demoHash}`, sk: 'DEC#-' });
    expect(JSON.stringify(registration)).not.toContain('3520212345672');
    // Both replies in one message (a pack) at the end of the batch: one SQS request, not one each.
    expect(
      repliesQueued()
        .map((r) => r.to)
        .sort(),
    ).toEqual(['+923001234567', '+923331112222']);
    const outbound = sqsMock.calls().filter((c) => JSON.stringify(c.args[0].input).includes('test-outbound'));
    expect(outbound).toHaveLength(1);
  });

  it('queues the stored reply again, and records nothing new, for a redelivered message', async () => {
    registryHas();
    const storedReply = {
      id: 'reply-agg-0001',
      to: '+923001234567',
      text: 'first answer',
      lang: 'en',
      createdAt: '2026-11-25T11:00:00.120Z',
    };
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddbMock.on(GetCommand).resolves({
      Item: {
        pk: 'PHONE#+923001234567',
        sk: 'MSG#agg-0001',
        messageId: 'agg-0001',
        // The first delivery's record, with the whole reply (as records before compaction held it).
        channel: 'sms',
        from: '+923001234567',
        command: 'REGISTER',
        lang: 'en',
        reference: 'R-1',
        receivedAt: '2026-11-25T11:00:00.100Z',
        acceptedAt: '2026-11-25T11:00:00.100Z',
        reply: storedReply,
      },
    });
    ddbMock.on(UpdateCommand).resolves({});
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'out-1' });
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');
    event.Records = event.Records.slice(0, 1);

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(repliesQueued()).toEqual([storedReply]);
    const statsUpdates = ddbMock
      .commandCalls(UpdateCommand)
      .filter((c) => String(c.args[0].input.Key?.pk).startsWith('STATS#'));
    expect(statsUpdates).toHaveLength(0);
  });

  it('fails the whole batch, deleting nothing, when the registry cannot be read', async () => {
    ddbMock.on(QueryCommand).rejects(new Error('connect ECONNREFUSED'));
    ddbMock.on(BatchGetCommand).rejects(new Error('connect ECONNREFUSED'));
    ddbMock.on(UpdateCommand).resolves({});
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');
    await expect(handler(event, lambdaContext)).rejects.toThrow('ECONNREFUSED');
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(
      sqsMock
        .commandCalls(SendMessageBatchCommand)
        .filter((c) => c.args[0].input.QueueUrl?.includes('test-outbound')),
    ).toHaveLength(0);
  });
});
