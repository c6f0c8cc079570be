import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const ddbMock = mockClient(DynamoDBDocumentClient);
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  ({ handler } = (await import('../../functions/sms-sender/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => ddbMock.reset());

describe('sms-sender handler', () => {
  it('claims the reply in the outbound log, sends it and records segments and provider id', async () => {
    ddbMock.on(PutCommand).resolves({});
    ddbMock.on(UpdateCommand).resolves({});

    const result = await handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    const claim = ddbMock.commandCalls(PutCommand)[0]?.args[0].input;
    expect(claim?.ConditionExpression).toBe(
      'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :stale)',
    );
    expect(claim?.Item).toMatchObject({
      pk: 'SMS#+923001234567',
      id: 'reply-agg-0001',
      encoding: 'GSM-7',
      segments: 1,
    });
    expect(ddbMock.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':sent': 'SENT',
      ':pid': 'local-reply-agg-0001',
    });
  });

  it('does not send a reply twice when it was already sent', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddbMock.on(GetCommand).resolves({ Item: { status: 'SENT' } });

    const result = await handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('fails the record, for a later retry, while another sender holds a fresh claim', async () => {
    ddbMock.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddbMock.on(GetCommand).resolves({ Item: { status: 'SENDING', claimedAt: new Date().toISOString() } });

    const result = await handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '9f8e7d6c-5b4a-4321-8fed-cba987654321' }]);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('reports a malformed outbound message as a failed item', async () => {
    const event = loadEvent<SQSEvent>('sqs/outbound-batch.json');
    const first = event.Records[0];
    if (!first) throw new Error('fixture has no record');
    event.Records.push({ ...first, messageId: 'bad-1', body: '{"id":""}' });
    ddbMock.on(PutCommand).resolves({});
    ddbMock.on(UpdateCommand).resolves({});

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad-1' }]);
  });
});
