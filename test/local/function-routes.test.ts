import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpBridge, startHttpBridge } from '../../packages/local/src/http-bridge.js';
import { SMS_WEBHOOK_PATH } from '../../packages/local/src/stack.js';

/** A handler that answers with the function that served the request, as Lambda names it. */
const answerAs = async (event: APIGatewayProxyEventV2, context: Context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ functionName: context.functionName, path: event.rawPath }),
});

describe('finding 10: the embedded stack routes the SMS webhook to its own function, as the cloud does', () => {
  let bridge: HttpBridge;

  beforeAll(async () => {
    bridge = await startHttpBridge({
      handler: answerAs,
      functionName: 'api',
      functionRoutes: { [SMS_WEBHOOK_PATH]: { functionName: 'sms-webhook', handler: answerAs } },
      port: 0,
    });
  });

  afterAll(async () => {
    await bridge.stop();
  });

  it('sends POST /sms/inbound to the sms-webhook function', async () => {
    const response = await fetch(`${bridge.url}/sms/inbound`, { method: 'POST', body: '{}' });

    expect(await response.json()).toEqual({ functionName: 'sms-webhook', path: '/sms/inbound' });
  });

  it('sends every other path to the api function', async () => {
    for (const path of ['/api/v1/registrations', '/health', '/sms/inbound/other']) {
      const response = await fetch(`${bridge.url}${path}`);

      expect(await response.json(), path).toEqual({ functionName: 'api', path });
    }
  });
});
