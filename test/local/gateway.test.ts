import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpSmsProvider } from '@madad/adapters';
import type { OutboundSms } from '@madad/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpBridge, startHttpBridge } from '../../packages/local/src/http-bridge.js';
import { openSmsGateway, SMS_GATEWAY_PATH, type SmsGateway } from '../../packages/local/src/sms-gateway.js';
import type { GatewayDelivery } from '../../packages/local/src/sms-gateway-log.js';
import { createTempDataDir } from './temp-dir.js';

const KEY = 'gateway-test-key';
let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
let failRate = 0;
let gateway: SmsGateway;
let bridge: HttpBridge;
let url = '';

// The gateway behind the stack's HTTP bridge, as `startLocalStack` serves it.
async function start(): Promise<void> {
  gateway = await openSmsGateway({ dataDir: dataDir.path, apiKey: KEY, failRate: () => failRate });
  bridge = await startHttpBridge({
    handler: async () => ({ statusCode: 404, body: '' }),
    localRoutes: { [SMS_GATEWAY_PATH]: gateway.handle },
    port: 0,
  });
  url = `${bridge.url}${SMS_GATEWAY_PATH}`;
}

async function stop(): Promise<void> {
  await bridge.stop();
  await gateway.close();
}

const reply = (id: string, text = 'Madad: HELP reply', to = '+923001234567'): OutboundSms => ({
  id,
  to,
  text,
  lang: 'en',
  createdAt: '2026-11-25T11:00:00.000Z',
});

async function delivered(query = 'to=%2B923001234567'): Promise<GatewayDelivery[]> {
  const response = await fetch(`${url}?${query}`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: GatewayDelivery[] }).items;
}

beforeEach(async () => {
  dataDir = await createTempDataDir();
  failRate = 0;
  await start();
});

afterEach(async () => {
  await stop();
  await dataDir.remove();
});

describe('the local SMS gateway', () => {
  it('delivers a client reference once and answers a repeat with the first id', async () => {
    const provider = new HttpSmsProvider(url, KEY);

    const first = await provider.send(reply('reply-m1'));
    const again = await provider.send(reply('reply-m1'));

    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(await delivered()).toEqual([
      {
        id: first.providerMessageId,
        clientReference: 'reply-m1',
        to: '+923001234567',
        text: 'Madad: HELP reply',
        segments: 1,
        encoding: 'GSM-7',
        receivedAt: expect.any(String),
        duplicatesRefused: 1,
      },
    ]);
  });

  it('delivers one message for copies of a reference sent at the same time', async () => {
    const provider = new HttpSmsProvider(url, KEY);

    const ids = await Promise.all(Array.from({ length: 20 }, () => provider.send(reply('reply-m2'))));

    expect(new Set(ids.map((r) => r.providerMessageId)).size).toBe(1);
    expect(await delivered()).toMatchObject([{ clientReference: 'reply-m2', duplicatesRefused: 19 }]);
  });

  it('takes many in one request (bulk), answering each, and refuses the ones it has by id', async () => {
    const provider = new HttpSmsProvider(url, KEY);
    await provider.send(reply('reply-b1'));

    const results = await provider.sendMany([reply('reply-b1'), reply('reply-b2'), reply('reply-b3')]);

    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['reply-b1', true],
      ['reply-b2', true],
      ['reply-b3', true],
    ]);
    const log = await delivered();
    expect(log.map((d) => d.clientReference).sort()).toEqual(['reply-b1', 'reply-b2', 'reply-b3']);
    expect(log.find((d) => d.clientReference === 'reply-b1')?.duplicatesRefused).toBe(1);
  });

  it('refuses each message of a bulk request at MADAD_SMS_FAIL_RATE, on its own', async () => {
    const provider = new HttpSmsProvider(url, KEY);
    failRate = 1;

    const results = await provider.sendMany([reply('reply-b4'), reply('reply-b5')]);

    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await delivered()).toEqual([]);
  });

  it('answers 503 at MADAD_SMS_FAIL_RATE, read on every request, and delivers nothing then', async () => {
    const provider = new HttpSmsProvider(url, KEY);
    failRate = 1;

    await expect(provider.send(reply('reply-m3'))).rejects.toThrow('SMS provider answered 503');
    expect(await delivered()).toEqual([]);
    failRate = 0;
    await provider.send(reply('reply-m3'));

    expect(await delivered()).toMatchObject([{ clientReference: 'reply-m3', duplicatesRefused: 0 }]);
  });

  it('refuses a sender or a reader without its key', async () => {
    await expect(new HttpSmsProvider(url, 'wrong-key').send(reply('reply-m4'))).rejects.toThrow(
      'answered 401',
    );
    const listing = await fetch(`${url}?to=%2B923001234567`);

    expect(listing.status).toBe(401);
  });

  it('refuses a send that is not {to, text, clientReference}', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+923001234567', text: 'no reference' }),
    });

    expect(response.status).toBe(400);
    expect(await delivered()).toEqual([]);
  });

  it("lists a phone's deliveries newest first, up to the limit, with their encoding and segments", async () => {
    const provider = new HttpSmsProvider(url, KEY);
    await provider.send(reply('reply-a', 'first'));
    await provider.send(reply('reply-b', 'مدد: آپ کا اندراج ہو گیا'));
    await provider.send(reply('reply-c', 'to someone else', '+923009999999'));

    const mine = await delivered('to=%2B923001234567&limit=5');
    const newest = await delivered('limit=1');

    expect(mine.map((d) => [d.clientReference, d.encoding, d.segments])).toEqual([
      ['reply-b', 'UCS-2', 1],
      ['reply-a', 'GSM-7', 1],
    ]);
    expect(newest.map((d) => d.clientReference)).toEqual(['reply-c']);
  });

  it('keeps its delivery log across a restart: a repeat after it is still refused', async () => {
    const provider = () => new HttpSmsProvider(url, KEY);
    const first = await provider().send(reply('reply-m5'));
    await provider().send(reply('reply-m5'));

    await stop();
    await start();
    const again = await provider().send(reply('reply-m5'));

    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(await delivered()).toMatchObject([
      { id: first.providerMessageId, clientReference: 'reply-m5', duplicatesRefused: 2 },
    ]);
  });

  it('drops a line cut short by a crash (never answered), and appends after it cleanly', async () => {
    await new HttpSmsProvider(url, KEY).send(reply('reply-m6'));
    await stop();
    const log = join(dataDir.path, 'sms-gateway.ndjson');
    await appendFile(log, '{"type":"sent","id":"gw-cut","clientRef');

    await start();
    await new HttpSmsProvider(url, KEY).send(reply('reply-m7'));

    expect((await delivered()).map((d) => d.clientReference)).toEqual(['reply-m7', 'reply-m6']);
    const lines = (await readFile(log, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).clientReference)).toEqual(['reply-m6', 'reply-m7']);
  });
});
