import { request as httpRequest } from 'node:http';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { issueStaffToken } from '@madad/adapters';
import { signWebhook } from '@madad/core';
import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_COOKIE } from '../../packages/api/src/web/console/session.js';
import { startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';
import { registrationsOf } from '../support/registrations.js';
import { type AppRoute, appRoutes, fillPath } from './app-routes.js';

let t: TestStack;
let sqs: SQSClient;
let adminToken: string;

beforeAll(async () => {
  t = await startTestStack({ visibilityTimeoutSeconds: 1 });
  sqs = new SQSClient({
    endpoint: t.stack.sqsEndpoint,
    region: t.stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  adminToken = await issueStaffToken(t.stack.env.MADAD_JWT_SECRET ?? '', {
    user: 'hostile',
    roles: ['admin'],
  });
});

afterAll(async () => {
  sqs.destroy();
  await t.stop();
});

const KIB = 1024;
type RequestBody = NonNullable<RequestInit['body']>;
const now = () => Math.floor(Date.now() / 1000);
const webhookSecret = () => t.stack.env.MADAD_SMS_WEBHOOK_SECRET ?? '';

/** Message ids and phones of requests that were refused: none may leave a trace. */
const refused = { messageIds: [] as string[], phones: [] as string[] };

function smsBody(from: string, messageId: string, text: string): string {
  return JSON.stringify({ from, to: '8171', text, messageId });
}

function postWebhook(
  body: string,
  options: { at?: number; contentType?: string | null; signature?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    'x-madad-signature': options.signature ?? signWebhook(webhookSecret(), options.at ?? now(), body),
  };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  return fetch(`${t.stack.httpUrl}/sms/inbound`, { method: 'POST', headers, body });
}

function postJson(path: string, body: RequestBody, headers: Record<string, string> = {}) {
  return fetch(`${t.stack.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    // A stream goes out chunked, without a content length.
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

const admin = () => ({ authorization: `Bearer ${adminToken}` });

/** Sends the path exactly as given (fetch would resolve `..` segments before they reach the server). */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(t.stack.httpUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          resolve(
            new Response(Buffer.concat(chunks), {
              status: response.statusCode ?? 0,
              headers: responseHeaders,
            }),
          );
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** The API's error shape: a JSON body with `error.code` and the request's correlation id. */
async function expectJsonError(response: Response, status: number, code?: string): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown }; requestId?: unknown };
  expect(body.error?.code).toEqual(code ?? expect.any(String));
  expect(body.requestId).toEqual(expect.any(String));
  expect(response.headers.get('x-request-id')).toBe(body.requestId);
}

async function queueDepth(): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '',
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

type Reply = { id: string; text: string; inReplyTo?: string; status: string };
async function repliesTo(phone: string): Promise<Reply[]> {
  const response = await t.staff(`/api/v1/sms/outbound?to=${encodeURIComponent(phone)}`, ['auditor']);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Reply[] }).items;
}

async function registrationStatus(messageId: string, from: string): Promise<number> {
  const response = await t.staff(
    `/api/v1/registrations?messageId=${messageId}&from=${encodeURIComponent(from)}`,
    ['auditor'],
  );
  return response.status;
}

describe('POST /sms/inbound against hostile input', () => {
  it('refuses a correctly signed body over 16 KiB with 413 and queues nothing', async () => {
    const before = await queueDepth();
    const body = smsBody('+923005551001', 'hs-big-1', 'REG '.repeat(5000));
    expect(Buffer.byteLength(body)).toBeGreaterThan(16 * KIB);

    await expectJsonError(await postWebhook(body), 413, 'PAYLOAD_TOO_LARGE');

    refused.messageIds.push('hs-big-1');
    refused.phones.push('+923005551001');
    expect(await queueDepth()).toBeLessThanOrEqual(before);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['XML', 'application/xml'],
    ['no content type', null],
  ])('refuses a signed body sent as %s with 415', async (_case, contentType) => {
    const messageId = `hs-type-${refused.messageIds.length}`;
    const body = smsBody('+923005551002', messageId, DEMO_CNIC);

    await expectJsonError(await postWebhook(body, { contentType }), 415, 'UNSUPPORTED_MEDIA_TYPE');

    refused.messageIds.push(messageId);
    refused.phones.push('+923005551002');
  });

  it.each([
    ['truncated JSON', '{"from":"+923005551003","to":"8171","text":"HELP","messageId":"hs-json-1"'],
    ['a JSON array', '["+923005551003","8171","HELP","hs-json-2"]'],
    ['JSON null', 'null'],
    ['a bare string', '"HELP"'],
    ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['a NUL byte in the JSON', '{"from":"+923005551003",\u0000"to":"8171"}'],
    ['a number as text', '{"from":"+923005551003","to":"8171","text":42,"messageId":"hs-json-3"}'],
    ['a messageId with a path', smsBody('+923005551003', '../../registrations/x', 'HELP')],
    ['a messageId with a NUL', smsBody('+923005551003', 'hs-json-4\u0000', 'HELP')],
  ])('answers a signed body that is %s with 400', async (_case, body) => {
    await expectJsonError(await postWebhook(body), 400, 'VALIDATION_FAILED');
  });

  it('refuses stale, future-dated, tampered and foreign signatures with 401', async () => {
    const before = await queueDepth();
    const body = smsBody('+923005551004', 'hs-stale-1', DEMO_CNIC);
    // A minute past the 5-minute tolerance either way: the exact boundary is the signature unit tests'
    // (test/core/signature.test.ts); here a server slower than a second must not accept +301 s.
    const cases = [
      { at: now() - 360 },
      { at: now() + 360 },
      { signature: signWebhook(webhookSecret(), now(), body.replace(DEMO_CNIC, '3520299999991')) },
      { signature: signWebhook('another-secret', now(), body) },
      { signature: `t=${now()},v1=${'0'.repeat(64)}` },
      { signature: `t=${now()},v1=${'a'.repeat(10_000)}` },
      { signature: 'garbage' },
      { signature: '' },
    ];

    for (const options of cases) {
      await expectJsonError(await postWebhook(body, options), 401, 'UNAUTHORIZED');
    }

    refused.messageIds.push('hs-stale-1');
    refused.phones.push('+923005551004');
    expect(await queueDepth()).toBeLessThanOrEqual(before);
  });

  it('accepts a replay of the same signed request within 5 minutes, yet records one registration and sends one reply', async () => {
    const body = smsBody('+923005551005', 'hs-replay-1', DEMO_CNIC);
    const signature = signWebhook(webhookSecret(), now() - 60, body);

    const first = await postWebhook(body, { signature });
    const second = await postWebhook(body, { signature });
    // The third copy comes once the first two are handled: a replay of a message already answered.
    await waitForQuiet(t.stack);
    const third = await postWebhook(body, { signature });

    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    const delivered = () => listSmsGatewayDeliveries(t.stack.env, '+923005551005');
    await waitFor(
      async () => (await delivered()).find((d) => d.clientReference.startsWith('reply-hs-replay-1-')),
      20_000,
      'the reply to the replayed message, at the SMS gateway',
    );
    // Every copy reconciled (the queues stayed empty) before counting.
    await waitForQuiet(t.stack);
    expect(
      (await delivered()).filter((d) => d.clientReference.startsWith('reply-hs-replay-1-')),
    ).toHaveLength(1);
    expect((await repliesTo('+923005551005')).filter((r) => r.inReplyTo === 'hs-replay-1')).toHaveLength(1);
    expect(await registrationStatus('hs-replay-1', '+923005551005')).toBe(200);
  });

  it('queues a signed SMS with hostile unicode and answers every one, never crashing', async () => {
    const cases: [string, string][] = [
      ['lone surrogates', '\ud800REG \udfff 35202\ud83d'],
      ['RTL marks around a CNIC', `\u200fREG \u202e${DEMO_CNIC}\u202c\u200f`],
      ['NUL characters', `REG\u0000${DEMO_CNIC}\u0000`],
      ['emoji', '😀🇵🇰 REG 👍🏽 ۳۵۲۰۲😀'],
      ['non-characters SQS refuses', 'HELP \ufffe\uffff'],
      ['ten thousand characters', 'x'.repeat(10_000)],
      ['only invisible characters', '\u200b\u200c\u200d\ufeff\u2060'],
      ['combining marks', `R\u0301E\u0308G\u0327 ${'\u0300'.repeat(300)}`],
      ['Urdu with Arabic-Indic and fullwidth digits', 'رجسٹر ٣٥٢٠٢-１２３４５６７-۲'],
    ];
    const sent = cases.map(([label, text], i) => ({
      label,
      phone: `+9230055520${String(i).padStart(2, '0')}`,
      messageId: `hs-unicode-${i}`,
      text,
    }));

    for (const message of sent) {
      const response = await postWebhook(smsBody(message.phone, message.messageId, message.text));
      expect({ label: message.label, status: response.status }).toEqual({
        label: message.label,
        status: 200,
      });
    }
    for (const message of sent) {
      const reply = await waitFor(
        async () => (await repliesTo(message.phone)).find((r) => r.inReplyTo === message.messageId),
        20_000,
        `the reply to ${message.label}`,
      );
      expect(reply.text.length).toBeGreaterThan(0);
      expect(await registrationStatus(message.messageId, message.phone)).toBe(200);
    }
  });
});

describe('body limits and malformed bodies on the JSON API', () => {
  it('refuses a body over 256 KiB on any route with 413, with or without a content length', async () => {
    const big = JSON.stringify({ cnic: DEMO_CNIC, phone: '+923005551006', note: 'x'.repeat(300 * KIB) });
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 30; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(10 * KIB)));
          controller.close();
        },
      });

    await expectJsonError(await postJson('/api/v1/registrations', big), 413, 'PAYLOAD_TOO_LARGE');
    await expectJsonError(await postJson('/api/v1/status', big), 413, 'PAYLOAD_TOO_LARGE');
    await expectJsonError(await postJson('/api/v1/change-requests', big), 413, 'PAYLOAD_TOO_LARGE');
    await expectJsonError(await postJson('/api/v1/campaigns', big, admin()), 413, 'PAYLOAD_TOO_LARGE');
    await expectJsonError(await postJson('/api/v1/registrations', chunked()), 413, 'PAYLOAD_TOO_LARGE');
    refused.phones.push('+923005551006');
  });

  it('lets the local HTTP bridge cut bodies over 1 MiB with 413, as API Gateway would', async () => {
    const huge = JSON.stringify({ cnic: DEMO_CNIC, phone: '+923005551007', note: 'x'.repeat(1100 * KIB) });

    const response = await postJson('/api/v1/registrations', huge);

    expect(response.status).toBe(413);
    refused.phones.push('+923005551007');
  });

  it.each([
    ['invalid JSON', '{"cnic":'],
    ['JSON null', 'null'],
    ['a JSON array', '[]'],
    ['deep nesting', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ['a prototype key', '{"__proto__":{"roles":["admin"]},"constructor":{"prototype":{}}}'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ] as [string, RequestBody][])('answers %s with 400 on every JSON route', async (_case, body) => {
    for (const path of ['/api/v1/registrations', '/api/v1/status', '/api/v1/change-requests']) {
      await expectJsonError(await postJson(path, body), 400, 'VALIDATION_FAILED');
    }
    for (const path of ['/api/v1/campaigns', '/api/v1/households/lookup', '/api/v1/payment-batches']) {
      await expectJsonError(await postJson(path, body, admin()), 400, 'VALIDATION_FAILED');
    }
  });
});

/** Values an attacker puts where an id goes. Each is a whole path segment (percent-encoded). */
const JUNK_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2E%2E',
  'C-1%00',
  '%00',
  'x'.repeat(3000),
  'B-'.repeat(1500),
  '%F0%9F%98%80',
  '%E2%80%AE%E2%80%8F',
  '%ZZ',
  '%C0%AF',
  "'%20OR%201%3D1--",
  '%24%7Bjndi%3Aldap%3A%2F%2Fx%7D',
];

describe('ids with traversal and junk', () => {
  it.each([
    ['/api/v1/registrations/..%2F..%2Fetc', '/api/v1/registrations/..%2F..%2Fetc'],
    ['/api/v1/campaigns/C-1%00', '/api/v1/campaigns/C-1%00'],
    ['/api/v1/households/../../x', '/api/v1/households/../../x'],
    ['/api/v1/households/..%2F..%2Fx', '/api/v1/households/..%2F..%2Fx'],
    ['/api/v1/registrations/../../../etc/passwd', '/api/v1/registrations/../../../etc/passwd'],
    ['/api/v1/registrations/<8000 characters>', `/api/v1/registrations/${'W'.repeat(8000)}`],
    ['/api/v1/campaigns/<8000 characters>', `/api/v1/campaigns/${'C-'.repeat(4000)}`],
    ['/api/v1/payment-batches/%00/instructions.csv', '/api/v1/payment-batches/%00/instructions.csv'],
  ])('answers GET %s with a 4xx JSON error', async (_label, path) => {
    const response = await rawGet(path, { authorization: `Bearer ${adminToken}` });

    expect(response.status).toBeGreaterThanOrEqual(400);
    await expectJsonError(response, response.status);
    expect(response.status).toBeLessThan(500);
  });

  it('answers junk in every id of every API route with a 4xx JSON error, never a 500', async () => {
    const routes = appRoutes().filter((r) => r.path.startsWith('/api/v1/') && r.path.includes(':'));
    expect(routes.length).toBeGreaterThan(10);
    const failures: string[] = [];

    for (const route of routes) {
      for (const junk of JUNK_IDS) {
        const response = await send(
          route,
          fillPath(route.path, () => junk),
          validBody(route),
        );
        const text = await response.text();
        let code: unknown;
        try {
          code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
        } catch {
          code = undefined;
        }
        if (response.status < 400 || response.status >= 500 || typeof code !== 'string') {
          failures.push(
            `${route.method} ${route.path} with ${junk.slice(0, 40)}: ${response.status} ${text.slice(0, 80)}`,
          );
        }
      }
    }

    expect(failures).toEqual([]);
  });

  it('answers junk query parameters and hostile bodies on every route without a 500', async () => {
    const query =
      `?campaignId=${'C'.repeat(3000)}&status=%00&limit=-1&from=abc&to=%E2%80%AE` +
      `&messageId=..%2F..%2Fx&cnic=${'9'.repeat(40)}&next=%2F%2Fevil.example&lang=%00`;
    const bodies = ['{"a":', 'null', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'x'.repeat(200 * KIB)];
    const failures: string[] = [];

    for (const route of appRoutes()) {
      const path = fillPath(route.path, sampleId);
      const attempts =
        route.method === 'GET'
          ? [send(route, `${path}${query}`)]
          : [
              ...bodies.map((body) => send(route, `${path}${query}`, body)),
              send(
                route,
                path,
                '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
                'multipart/form-data; boundary=y',
              ),
            ];
      for (const response of await Promise.all(attempts)) {
        if (response.status >= 500) failures.push(`${route.method} ${route.path}: ${response.status}`);
        await response.body?.cancel();
      }
    }

    expect(failures).toEqual([]);
  });
});

describe('what a refused request leaves behind', () => {
  it('leaves no registration, reply or audit entry for anything refused above', async () => {
    const audit = await t.staff('/api/v1/audit', ['auditor']);
    const campaigns = await t.staff('/api/v1/campaigns', ['auditor']);

    const recorded = await registrationsOf(refused.phones);
    expect(recorded.filter((r) => refused.messageIds.includes(String(r.messageId)))).toEqual([]);
    for (const phone of refused.phones) {
      expect({ phone, replies: await repliesTo(phone) }).toEqual({ phone, replies: [] });
    }
    expect(((await audit.json()) as { items: unknown[] }).items).toEqual([]);
    expect(((await campaigns.json()) as { items: unknown[] }).items).toEqual([]);
  });
});

/** A plausible id for each parameter, so requests reach the handler's own checks. */
function sampleId(name: string): string {
  const ids: Record<string, string> = {
    id: 'C-NOSUCH',
    reference: 'W0000000',
    householdId: 'HH-NOSUCH',
    requestId: 'CR-NOSUCH',
  };
  return ids[name] ?? 'NOSUCH';
}

/** A body each write route accepts, so that only the id can be what is refused. */
function validBody(route: AppRoute): string {
  const reason = { reason: 'checked against the paper file' };
  if (route.path.endsWith('/resolve')) return JSON.stringify({ outcome: 'UPHELD', ...reason });
  if (route.path.endsWith('/replay')) return JSON.stringify({ apply: false });
  if (route.path.endsWith('/rules')) return JSON.stringify({ pmtThreshold: 30 });
  if (route.path.startsWith('/console/')) return 'reason=checked+against+the+paper+file&outcome=UPHELD';
  return JSON.stringify(reason);
}

/** Sends a request to a route as admin (bearer and console cookie), with a body for writes. */
function send(route: AppRoute, path: string, body?: string, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${adminToken}`,
    cookie: `${STAFF_COOKIE}=${adminToken}`,
  };
  if (route.method === 'GET') return fetch(`${t.stack.httpUrl}${path}`, { headers, redirect: 'manual' });
  const api = route.path.startsWith('/api/') || route.path.startsWith('/sms/');
  headers['content-type'] = contentType ?? (api ? 'application/json' : 'application/x-www-form-urlencoded');
  return fetch(`${t.stack.httpUrl}${path}`, {
    method: route.method,
    headers,
    body: body ?? (api ? '{}' : 'a=b'),
    redirect: 'manual',
  });
}
