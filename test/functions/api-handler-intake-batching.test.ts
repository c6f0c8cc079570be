import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

/** The web route checks areas against the stored gazetteer (one Query per instance a minute): none stored. */
function mockNoStoredGazetteer() {
  ddbMock.on(QueryCommand).resolves({ Items: [] });
}

function smsEvent(messageId: string): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
  const body = JSON.stringify({ from: '+923001234567', to: '8171', text: '35202-1234567-2', messageId });
  event.body = body;
  event.headers['content-length'] = String(Buffer.byteLength(body));
  event.headers['x-madad-signature'] = signWebhook(TEST_SECRETS.webhook, Math.floor(Date.now() / 1000), body);
  return event;
}

function webRegistrationEvent(): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
  const body = JSON.stringify({
    cnic: '37405-7654321-8',
    phone: '0333 7654321',
    district: 'rawalpindi',
    tehsil: 'Murree',
    lang: 'en',
  });
  event.rawPath = '/api/v1/registrations';
  event.requestContext.http.path = '/api/v1/registrations';
  event.body = body;
  event.headers['content-length'] = String(Buffer.byteLength(body));
  delete event.headers['x-madad-signature'];
  return event;
}

/** Holds the first SendMessage in flight until `release`; batch entries pass unless `refuse` names them. */
function mockRegistrationsQueue(refuse: (body: { messageId: string }) => boolean) {
  let release = () => {};
  sqsMock.onAnyCommand().rejects(new Error('unexpected command'));
  sqsMock
    .on(SendMessageCommand)
    .callsFakeOnce(() => new Promise((resolve) => (release = () => resolve({ MessageId: 'first' }))))
    .resolves({ MessageId: 'later' });
  sqsMock.on(SendMessageBatchCommand).callsFake(async (input: SendMessageBatchCommandInput) => {
    const entries = input.Entries ?? [];
    const refused = entries.filter((entry) => refuse(JSON.parse(entry.MessageBody ?? '{}')));
    return {
      Successful: entries
        .filter((entry) => !refused.includes(entry))
        .map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: '' })),
      Failed: refused.map((entry) => ({ Id: entry.Id, Code: 'InvalidParameterValue', SenderFault: true })),
    };
  });
  return { release: () => release() };
}

describe('api handler: registrations arriving together', () => {
  it('queues concurrent webhook and web registrations in one batch while a send is in flight', async () => {
    mockNoStoredGazetteer();
    const queue = mockRegistrationsQueue(() => false);

    const first = handler(smsEvent('agg-1'), lambdaContext);
    const gathered = [
      handler(smsEvent('agg-2'), lambdaContext),
      handler(webRegistrationEvent(), lambdaContext),
      handler(smsEvent('agg-3'), lambdaContext),
    ];
    await vi.waitFor(() => expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1));
    queue.release();
    const results = await Promise.all([first, ...gathered]);

    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 202, 200]);
    const batches = sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.Entries).toHaveLength(3);
    expect(batches[0]?.QueueUrl).toContain('test-registrations');
    const bodies = [
      ...sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input.MessageBody),
      ...(batches[0]?.Entries ?? []).map((entry) => entry.MessageBody),
    ].map((body) => JSON.parse(body ?? '{}'));
    expect(bodies.map((body) => body.channel).sort()).toEqual(['sms', 'sms', 'sms', 'web']);
  });

  it('answers 500 only to the request whose message SQS refused; the others get 200', async () => {
    const queue = mockRegistrationsQueue((body) => body.messageId === 'agg-2');

    const first = handler(smsEvent('agg-1'), lambdaContext);
    const gathered = ['agg-2', 'agg-3'].map((id) => handler(smsEvent(id), lambdaContext));
    await vi.waitFor(() => expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(1));
    queue.release();
    const results = await Promise.all([first, ...gathered]);

    expect(results.map((r) => r.statusCode)).toEqual([200, 500, 200]);
    expect(results[1]?.body ?? '').not.toContain('InvalidParameterValue');
  });
});
