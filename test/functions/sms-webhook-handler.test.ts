import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { signWebhook } from '@madad/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const sqsMock = mockClient(SQSClient);
const ddbMock = mockClient(DynamoDBDocumentClient);
const secretsMock = mockClient(SecretsManagerClient);
const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-sms-webhook-AbCdEf';
type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  // As deployed: its own secret's ARN, no application secrets, and no local defaults to fall back on.
  vi.stubEnv('MADAD_STAGE', 'prod');
  vi.stubEnv('MADAD_SMS_WEBHOOK_SECRET_ARN', WEBHOOK_SECRET_ARN);
  vi.stubEnv('MADAD_SMS_WEBHOOK_SECRET', '');
  vi.stubEnv('MADAD_CNIC_PEPPER', '');
  vi.stubEnv('MADAD_JWT_SECRET', '');
  ({ handler } = (await import('../../functions/sms-webhook/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  sqsMock.reset();
  ddbMock.reset();
});

function signedSmsEvent(body: string): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
  event.body = body;
  event.headers['x-madad-signature'] = signWebhook(TEST_SECRETS.webhook, Math.floor(Date.now() / 1000), body);
  return event;
}

const smsBody = (messageId: string) =>
  JSON.stringify({ from: '+923001234567', to: '8171', text: '35202-1234567-2', messageId });

describe('finding 10: the sms-webhook function', () => {
  it('queues a correctly signed SMS, with the key read from its own secret and no table touched', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: TEST_SECRETS.webhook });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    const result = await handler(signedSmsEvent(smsBody('agg-0001')), lambdaContext);

    expect(result.statusCode).toBe(200);
    const sent = sqsMock.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args[0].input.QueueUrl).toContain('test-registrations');
    expect(JSON.parse(sent[0]?.args[0].input.MessageBody ?? '{}')).toMatchObject({
      messageId: 'agg-0001',
      channel: 'sms',
    });
    const secretIds = secretsMock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId);
    expect(new Set(secretIds)).toEqual(new Set([WEBHOOK_SECRET_ARN]));
    expect(ddbMock.calls()).toHaveLength(0);
  });

  it('refuses a bad signature with 401 and queues nothing', async () => {
    const event = signedSmsEvent(smsBody('x1'));
    event.headers['x-madad-signature'] = 't=1,v1=00';

    const result = await handler(event, lambdaContext);

    expect(result.statusCode).toBe(401);
    expect(sqsMock.calls()).toHaveLength(0);
  });

  it('gathers concurrent SMS into shared SendMessageBatch requests (group commit)', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-first' });
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })),
      Failed: [],
    }));
    const ids = Array.from({ length: 12 }, (_, i) => `agg-group-${i}`);

    const results = await Promise.all(ids.map((id) => handler(signedSmsEvent(smsBody(id)), lambdaContext)));

    expect(results.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
    const batches = sqsMock.commandCalls(SendMessageBatchCommand);
    const queued = [
      ...sqsMock.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}')),
      ...batches.flatMap((c) =>
        (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? '{}')),
      ),
    ].map((m: { messageId: string }) => m.messageId);
    expect(queued.sort()).toEqual([...ids].sort());
    expect(batches.length).toBeGreaterThan(0);
    expect(sqsMock.calls().length).toBeLessThan(ids.length);
  });

  it('serves nothing but the webhook: staff and web routes are the api function\u2019s', async () => {
    const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
    event.rawPath = '/api/v1/campaigns';
    event.requestContext.http.path = '/api/v1/campaigns';
    event.requestContext.http.method = 'GET';
    event.routeKey = 'ANY /api/v1/{proxy+}';
    event.body = undefined;

    const result = await handler(event, lambdaContext);

    expect(result.statusCode).toBe(404);
    expect(sqsMock.calls()).toHaveLength(0);
  });
});
