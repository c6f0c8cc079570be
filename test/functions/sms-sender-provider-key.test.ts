import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

const secretsMock = mockClient(SecretsManagerClient);
// The aggregator's bulk form: each message accepted on its own.
const fetchMock = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
  const { messages } = JSON.parse(String(init?.body)) as { messages: { clientReference: string }[] };
  const results = messages.map((m) => ({
    clientReference: m.clientReference,
    status: 200,
    id: 'provider-1',
  }));
  return new Response(JSON.stringify({ results }), { status: 200 });
});
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

const secretArn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:MadadSmsProviderKey-AbCdEf';

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_SMS_PROVIDER_URL', 'https://sms.example.test/send');
  vi.stubEnv('MADAD_SMS_PROVIDER_SECRET_ARN', secretArn);
  vi.stubGlobal('fetch', fetchMock);
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'aggregator-key-0123456789\n' });
  ({ handler } = (await import('../../functions/sms-sender/handler.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllGlobals();
  secretsMock.reset();
});

describe('sms-sender handler with an SMS aggregator configured', () => {
  it('sends with the key from Secrets Manager, read once per cold start, never from a plain variable', async () => {
    const event = loadEvent<SQSEvent>('sqs/outbound-batch.json');

    const first = await handler(event, lambdaContext);
    const second = await handler(loadEvent<SQSEvent>('sqs/outbound-batch.json'), lambdaContext);

    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(process.env.MADAD_SMS_PROVIDER_KEY).toBeUndefined();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe(secretArn);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('https://sms.example.test/send');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer aggregator-key-0123456789');
  });
});
