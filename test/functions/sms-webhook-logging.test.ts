import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { signWebhook } from '@madad/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

/**
 * What the sms-webhook leaves in CloudWatch Logs (the cost model's claim): nothing for an accepted SMS,
 * one error line for a 500. Observed on the function's output, not its source text.
 */
const sqsMock = mockClient(SQSClient);
const secretsMock = mockClient(SecretsManagerClient);
type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_STAGE', 'prod');
  vi.stubEnv(
    'MADAD_SMS_WEBHOOK_SECRET_ARN',
    'arn:aws:secretsmanager:ap-south-1:123456789012:secret:hook-AbCdEf',
  );
  vi.stubEnv('MADAD_SMS_WEBHOOK_SECRET', '');
  vi.stubEnv('POWERTOOLS_DEV', '');
  vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'INFO');
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: TEST_SECRETS.webhook });
  ({ handler } = (await import('../../functions/sms-webhook/handler.js')) as unknown as { handler: Handler });
});

afterEach(() => {
  vi.restoreAllMocks();
  sqsMock.reset();
});
afterAll(() => vi.unstubAllEnvs());

function signedSmsEvent(messageId: string): APIGatewayProxyEventV2 {
  const body = JSON.stringify({ from: '+923001234567', to: '8171', text: '35202-1234567-2', messageId });
  const event = loadEvent<APIGatewayProxyEventV2>('apigw/sms-inbound.json');
  event.body = body;
  event.headers['x-madad-signature'] = signWebhook(TEST_SECRETS.webhook, Math.floor(Date.now() / 1000), body);
  return event;
}

/** Every line the function writes: console (the Lambda runtime's) and stdout/stderr (Powertools'). */
function captureOutput(): string[] {
  const written: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  }
  return written;
}

describe('what the sms-webhook writes to its logs', () => {
  it('writes nothing for an accepted SMS', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    sqsMock.on(SendMessageBatchCommand).rejects(new Error('not expected'));
    // Warm the secret cache first, as a warm function would be.
    await handler(signedSmsEvent('warm-0'), lambdaContext);
    const written = captureOutput();

    const result = await handler(signedSmsEvent('agg-0001'), lambdaContext);

    expect(result.statusCode).toBe(200);
    expect(written).toEqual([]);
  });

  it('writes one error line when it answers 500', async () => {
    sqsMock.onAnyCommand().rejects(new Error('SQS is down'));
    const written = captureOutput();

    const result = await handler(signedSmsEvent('agg-0002'), lambdaContext);

    expect(result.statusCode).toBe(500);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^console\.error: /);
  });
});
