import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type HttpApiHandler,
  type HttpBridge,
  startHttpBridge,
} from '../../packages/local/src/http-bridge.js';

let bridge: HttpBridge;
let calls: { event: APIGatewayProxyEventV2; context: Context }[];
let respond: HttpApiHandler;

beforeAll(async () => {
  bridge = await startHttpBridge({
    port: 0,
    handler: (event, context) => {
      calls.push({ event, context });
      return respond(event, context);
    },
  });
});

beforeEach(() => {
  calls = [];
  respond = async () => ({ statusCode: 204 });
});

afterAll(async () => {
  await bridge.stop();
});

describe('startHttpBridge', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(bridge.address.address).toBe('127.0.0.1');
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.address.port}`);
  });

  it('turns a request into an HTTP API payload 2.0 event', async () => {
    await fetch(`${bridge.url}/api/v1/things/a%20b?x=1&x=2&y=%2B92`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Custom': 'Yes',
        cookie: 'a=1; b=2',
        'user-agent': 'spec',
      },
      body: '{"hello":"world"}',
    });

    const [call] = calls;
    expect(call?.event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/api/v1/things/a%20b',
      rawQueryString: 'x=1&x=2&y=%2B92',
      queryStringParameters: { x: '1,2', y: '+92' },
      cookies: ['a=1', 'b=2'],
      headers: { 'content-type': 'application/json', 'x-custom': 'Yes', 'user-agent': 'spec' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/api/v1/things/a b', sourceIp: '127.0.0.1', userAgent: 'spec' },
        routeKey: '$default',
        stage: '$default',
      },
    });
    expect(call?.event.headers.cookie).toBeUndefined();
    expect(call?.event.requestContext.requestId).toMatch(/\S/);
    expect(Math.abs((call?.event.requestContext.timeEpoch ?? 0) - Date.now())).toBeLessThan(5000);
    expect(call?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('base64-encodes a binary body and leaves out an empty one', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await fetch(`${bridge.url}/upload`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await fetch(`${bridge.url}/plain`);

    expect(calls[0]?.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(calls[0]?.event.body ?? '', 'base64')).toEqual(bytes);
    expect(calls[1]?.event.body).toBeUndefined();
    expect(calls[1]?.event.queryStringParameters).toBeUndefined();
  });

  it('writes status, headers, cookies and a base64 body back', async () => {
    respond = async () => ({
      statusCode: 201,
      headers: { 'content-type': 'image/png', 'x-reply': 'ok' },
      cookies: ['session=abc; HttpOnly', 'theme=dark'],
      body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      isBase64Encoded: true,
    });

    const response = await fetch(`${bridge.url}/logo.png`);

    expect(response.status).toBe(201);
    expect(response.headers.get('x-reply')).toBe('ok');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71]));
  });

  it('sends a result without statusCode as a 200 JSON body', async () => {
    respond = async () => ({ ok: true });

    const response = await fetch(`${bridge.url}/plain-object`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers 500 without internals when the handler throws', async () => {
    respond = async () => {
      throw new Error('secret detail');
    };

    const response = await fetch(`${bridge.url}/boom`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('refuses a body over 1 MiB with 413 without calling the handler', async () => {
    const response = await fetch(`${bridge.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(calls).toEqual([]);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const response = await fetch(`${bridge.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(1024 * 1024),
    });

    expect(response.status).toBe(204);
    expect(calls[0]?.event.body?.length).toBe(1024 * 1024);
  });
});
