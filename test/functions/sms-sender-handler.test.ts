import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const docMock = mockClient(DynamoDBDocumentClient);
const ddbMock = mockClient(DynamoDBClient);
const sqsMock = mockClient(SQSClient);
// The aggregator: answers each client reference with an id, or 503 for the references in `refuse`.
const refuse = new Set<string>();
// The sender uses the bulk form (`{messages}`), which answers each message on its own.
const aggregator = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
  const { messages } = JSON.parse(String(init?.body)) as { messages: { clientReference: string }[] };
  const results = messages.map(({ clientReference }) =>
    refuse.has(clientReference)
      ? { clientReference, status: 503 }
      : { clientReference, status: 200, id: `agg-${clientReference}` },
  );
  return new Response(JSON.stringify({ results }), { status: 200 });
});
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

const sentBodies = () =>
  aggregator.mock.calls.flatMap(
    ([, init]) => (JSON.parse(String(init?.body)) as { messages: Record<string, string>[] }).messages,
  );
const dynamoDbCalls = () => docMock.calls().length + ddbMock.calls().length;

function outboundEvent(...ids: string[]): SQSEvent {
  const event = loadEvent<SQSEvent>('sqs/outbound-batch.json');
  const [template] = event.Records;
  if (!template) throw new Error('fixture has no record');
  event.Records = ids.map(
    (id, n): SQSRecord => ({
      ...template,
      messageId: `msg-${n}`,
      receiptHandle: `handle-${n}`,
      body: JSON.stringify({ ...JSON.parse(template.body), id, inReplyTo: id.replace(/^reply-/, '') }),
    }),
  );
  return event;
}

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_SMS_PROVIDER_URL', 'http://127.0.0.1:9/_gateway/sms');
  vi.stubEnv('MADAD_SMS_PROVIDER_KEY', 'test-provider-key');
  vi.stubGlobal('fetch', aggregator);
  ({ handler } = (await import('../../functions/sms-sender/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  docMock.reset();
  ddbMock.reset();
  sqsMock.reset();
  aggregator.mockClear();
  refuse.clear();
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('sms-sender handler', () => {
  it('hands the reply to the aggregator under its own id, and makes no DynamoDB call at all', async () => {
    docMock.onAnyCommand().rejects(new Error('the sender must not touch DynamoDB'));
    ddbMock.onAnyCommand().rejects(new Error('the sender must not touch DynamoDB'));

    const result = await handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(sentBodies()).toEqual([
      {
        to: '+923001234567',
        text: expect.stringContaining('Ref 7K2QX9MA'),
        clientReference: 'reply-agg-0001',
      },
    ]);
    const [url, init] = aggregator.mock.calls[0] ?? [];
    expect(url).toBe('http://127.0.0.1:9/_gateway/sms');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer test-provider-key');
    expect(dynamoDbCalls()).toBe(0);
  });

  it('sends a redelivered reply under the same client reference, still with no DynamoDB call', async () => {
    await handler(outboundEvent('reply-m1'), lambdaContext);
    await handler(outboundEvent('reply-m1'), lambdaContext);

    // The aggregator refuses the second copy of a reference; the sender keeps no record of its own.
    expect(sentBodies().map((b) => b.clientReference)).toEqual(['reply-m1', 'reply-m1']);
    expect(dynamoDbCalls()).toBe(0);
  });

  it('fails only the record the aggregator refuses, and backs that one off', async () => {
    refuse.add('reply-m2');

    const result = await handler(outboundEvent('reply-m1', 'reply-m2', 'reply-m3'), lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(sentBodies().map((b) => b.clientReference)).toEqual(['reply-m1', 'reply-m2', 'reply-m3']);
    const backoff = sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input;
    expect(backoff?.Entries?.map((e) => e.ReceiptHandle)).toEqual(['handle-1']);
    expect(dynamoDbCalls()).toBe(0);
  });

  it('reports a malformed outbound message as a failed item', async () => {
    const event = loadEvent<SQSEvent>('sqs/outbound-batch.json');
    const first = event.Records[0];
    if (!first) throw new Error('fixture has no record');
    event.Records.push({ ...first, messageId: 'bad-1', body: '{"id":""}' });

    const result = await handler(event, lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad-1' }]);
    expect(sentBodies()).toHaveLength(1);
  });

  it('sends every reply of a pack, and fails the pack (to be retried whole) when one is refused', async () => {
    const event = outboundEvent('reply-p1');
    const [record] = event.Records;
    if (!record) throw new Error('no record');
    const reply = JSON.parse(record.body) as Record<string, string>;
    record.body = JSON.stringify({
      replies: ['reply-p1', 'reply-p2', 'reply-p3'].map((id) => ({ ...reply, id, inReplyTo: id.slice(6) })),
    });
    refuse.add('reply-p2');
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({});

    const failed = await handler(event, lambdaContext);

    expect(
      sentBodies()
        .map((b) => b.clientReference)
        .sort(),
    ).toEqual(['reply-p1', 'reply-p2', 'reply-p3']);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    refuse.clear();
    aggregator.mockClear();
    // The retry hands all three again; the aggregator refuses the two it has (by id), sends the third.
    expect((await handler(event, lambdaContext)).batchItemFailures).toEqual([]);
    expect(sentBodies()).toHaveLength(3);
    expect(dynamoDbCalls()).toBe(0);
  });
});
