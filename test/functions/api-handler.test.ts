import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { issueStaffToken } from '@madad/adapters';
import { signWebhook } from '@madad/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  ({ handler } = (await import('../../functions/api/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  sqsMock.reset();
  ddbMock.reset();
});

function signedSmsEvent(body: string, at = Math.floor(Date.now() / 1000)): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
  event.body = body;
  event.headers['x-madad-signature'] = signWebhook(TEST_SECRETS.webhook, at, body);
  return event;
}

describe('api handler: POST /sms/inbound', () => {
  it('queues a correctly signed SMS and answers 200', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const body = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json').body ?? '';

    const result = await handler(signedSmsEvent(body), lambdaContext);

    expect(result.statusCode).toBe(200);
    const sent = sqsMock.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    const queued = JSON.parse(sent[0]?.args[0].input.MessageBody ?? '{}');
    expect(queued).toMatchObject({ messageId: 'agg-0001', channel: 'sms', text: '35202-1234567-2' });
    expect(sent[0]?.args[0].input.QueueUrl).toContain('test-registrations');
  });

  it('refuses a bad signature with 401 and queues nothing', async () => {
    const event = signedSmsEvent('{"from":"+923001234567","to":"8171","text":"HELP","messageId":"x1"}');
    event.headers['x-madad-signature'] = 't=1,v1=00';

    const result = await handler(event, lambdaContext);

    expect(result.statusCode).toBe(401);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('refuses a stale signature (6 minutes old) with 401', async () => {
    const body = '{"from":"+923001234567","to":"8171","text":"HELP","messageId":"x2"}';
    const result = await handler(signedSmsEvent(body, Math.floor(Date.now() / 1000) - 360), lambdaContext);
    expect(result.statusCode).toBe(401);
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('refuses a signed body of the wrong shape with 400 naming the field', async () => {
    const result = await handler(signedSmsEvent('{"from":"+923001234567","text":"HELP"}'), lambdaContext);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('messageId');
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});

describe('api handler: GET /api/v1/sms/outbound', () => {
  it('refuses a request without a token', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('apigw/staff-outbound.json');
    delete event.headers.authorization;
    const result = await handler(event, lambdaContext);
    expect(result.statusCode).toBe(401);
  });

  it('refuses a role that may not read messages', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('apigw/staff-outbound.json');
    const token = await issueStaffToken(TEST_SECRETS.jwt, { user: 'carol', roles: ['approver'] });
    event.headers.authorization = `Bearer ${token}`;
    const result = await handler(event, lambdaContext);
    expect(result.statusCode).toBe(403);
  });

  it('lists the replies to a phone for a program officer, from its message records', async () => {
    const record = {
      channel: 'sms',
      from: '+923001234567',
      command: 'REGISTER',
      lang: 'en',
      reference: 'R-1',
      receivedAt: '2026-08-20T10:00:00Z',
      acceptedAt: '2026-08-20T10:00:00Z',
    };
    const reply = {
      id: 'reply-1',
      to: '+923001234567',
      text: 'Hi',
      lang: 'en',
      createdAt: '2026-08-20T10:00:00Z',
    };
    ddbMock.on(QueryCommand).resolves({
      Items: [
        { pk: 'PHONE#+923001234567', sk: 'MSG#2026-08-20T10:00:00Z#m1', messageId: 'm1', ...record, reply },
        { pk: 'PHONE#+923001234567', sk: 'MSG#2026-08-20T09:00:00Z#m0', messageId: 'm0', ...record },
      ],
    });
    const event = loadEvent<APIGatewayProxyEventV2>('apigw/staff-outbound.json');
    const token = await issueStaffToken(TEST_SECRETS.jwt, { user: 'alice', roles: ['program-officer'] });
    event.headers.authorization = `Bearer ${token}`;

    const result = await handler(event, lambdaContext);

    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body ?? '{}');
    // The flooded message (no reply) is not listed; segments are counted for the one that was answered.
    expect(body.items).toEqual([{ ...reply, encoding: 'GSM-7', segments: 1 }]);
    expect(ddbMock.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toEqual({
      ':pk': 'PHONE#+923001234567',
      ':msg': 'MSG#',
    });
  });
});
