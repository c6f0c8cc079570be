import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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

function registryHas() {
  ddbMock.on(BatchGetCommand).callsFake((input) => {
    const keys =
      Object.values(input.RequestItems as Record<string, { Keys: { pk: string; sk: string }[] }>)[0]?.Keys ??
      [];
    const items = keys.flatMap((k): Record<string, unknown>[] => {
      if (k.pk === `CNIC#${demoHash}` && k.sk === 'PERSON')
        return [{ ...k, householdId: 'HH-1', relation: 'head' }];
      if (k.pk === `CNIC#${demoHash}` && k.sk === 'IDENTITY')
        return [{ ...k, status: 'ALIVE', simPhones: [] }];
      if (k.pk === 'HH#HH-1') {
        return [
          {
            ...k,
            householdId: 'HH-1',
            district: 'Lahore',
            pmtScore: 18,
            members: [{ cnicHash: demoHash, relation: 'head' }],
          },
        ];
      }
      return [];
    });
    return { Responses: { 'test-registry': items } };
  });
}

describe('reconciler handler', () => {
  it('decides and replies to good records and reports only the poison record as failed', async () => {
    registryHas();
    ddbMock.on(PutCommand).resolves({});
    ddbMock.on(UpdateCommand).resolves({});
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'out-1' });
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2b3c4d5e-6f7a-4b2c-9d0e-1f2a3b4c5d6e' }]);
    // Registry (person, identity, flags), then households, and the senders' activity: 3 reads for the batch.
    expect(ddbMock.commandCalls(BatchGetCommand)).toHaveLength(3);
    const registration = ddbMock
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((item) => item?.messageId === 'agg-0001');
    expect(registration?.decision).toMatchObject({ status: 'NO_ACTIVE_CAMPAIGN', reasons: ['IN_REGISTRY'] });
    expect(registration?.gsi1pk).toBe(`CNIC#${demoHash}`);
    expect(JSON.stringify(registration)).not.toContain('3520212345672');
    const replies = sqsMock
      .commandCalls(SendMessageCommand)
      .map((c) => JSON.parse(c.args[0].input.MessageBody ?? ''));
    expect(replies.map((r) => r.to).sort()).toEqual(['+923001234567', '+923331112222']);
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.QueueUrl).toContain('test-outbound');
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
    ddbMock
      .on(GetCommand)
      .resolves({ Item: { pk: 'MSG#agg-0001', sk: 'REG', messageId: 'agg-0001', reply: storedReply } });
    ddbMock.on(UpdateCommand).resolves({ Attributes: { cnics: new Set(['x']) } });
    ddbMock.on(QueryCommand).resolves({ Items: [] });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'out-1' });
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');
    event.Records = event.Records.slice(0, 1);

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    const sent = sqsMock
      .commandCalls(SendMessageCommand)
      .map((c) => JSON.parse(c.args[0].input.MessageBody ?? ''));
    expect(sent).toEqual([storedReply]);
    const statsUpdates = ddbMock
      .commandCalls(UpdateCommand)
      .filter((c) => String(c.args[0].input.Key?.pk).startsWith('STATS#'));
    expect(statsUpdates).toHaveLength(0);
  });

  it('fails the whole batch, deleting nothing, when the registry cannot be read', async () => {
    ddbMock.on(BatchGetCommand).rejects(new Error('connect ECONNREFUSED'));
    const event = loadEvent<SQSEvent>('sqs/registrations-batch.json');
    await expect(handler(event, lambdaContext)).rejects.toThrow('ECONNREFUSED');
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
