import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, SMS_BULK_MAX, smsDeliveryFromEnv } from '@madad/adapters';
import { describe, expect, it } from 'vitest';

const url = 'http://127.0.0.1:9/_gateway/sms';

describe('smsDeliveryFromEnv (the SMS sender set-up, read once at cold start)', () => {
  it('sends bulk requests of 100 at the default rate, one sender', () => {
    const delivery = smsDeliveryFromEnv({ MADAD_SMS_PROVIDER_URL: url });

    expect(delivery.chunk).toBe(SMS_BULK_MAX);
    expect(delivery.pacer.perSecond).toBe(1000);
  });

  it("paces each sender to its share of the provider's rate and fills each second evenly", () => {
    const delivery = smsDeliveryFromEnv({
      MADAD_SMS_PROVIDER_URL: url,
      MADAD_SMS_SEND_RATE: '500',
      MADAD_SMS_SENDERS: '2',
    });

    expect(delivery.pacer.perSecond).toBe(250);
    // 250 a second in requests of 100 would leave 50 a second unused: 3 requests of 83 instead.
    expect(delivery.chunk).toBe(83);
  });

  it('fails the cold start without a provider URL, naming the variable', () => {
    expect(() => smsDeliveryFromEnv({})).toThrow(ConfigurationError);
    expect(() => smsDeliveryFromEnv({})).toThrow(/MADAD_SMS_PROVIDER_URL/);
  });

  it("fails the cold start when a whole pack could not go out within one invocation at the sender's pace", () => {
    const env = { MADAD_SMS_PROVIDER_URL: url, MADAD_SMS_SEND_RATE: '100', MADAD_SMS_SENDERS: '10' };

    expect(() => smsDeliveryFromEnv(env)).toThrow(/cannot send a pack of 500/);
  });

  it("reaches the provider's URL with the key from the environment", async () => {
    const seen: { path?: string; headers?: IncomingHttpHeaders } = {};
    const server = createServer((request, response) => {
      seen.path = request.url;
      seen.headers = request.headers;
      request.resume();
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 'provider-1' }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const delivery = smsDeliveryFromEnv({
        MADAD_SMS_PROVIDER_URL: `http://127.0.0.1:${port}/_gateway/sms`,
        MADAD_SMS_PROVIDER_KEY: 'key-from-env',
      });

      const provider = await delivery.provider();
      const sent = await provider.send({
        id: 'reply-1',
        to: '+923001234567',
        text: 'Received',
        lang: 'en',
        createdAt: '2026-12-07T12:00:00.000Z',
      });

      expect(sent).toEqual({ providerMessageId: 'provider-1' });
      expect(seen.path).toBe('/_gateway/sms');
      expect(seen.headers?.authorization).toBe('Bearer key-from-env');
    } finally {
      server.close();
    }
  });

  it('refuses to build the provider without a key', async () => {
    const delivery = smsDeliveryFromEnv({ MADAD_SMS_PROVIDER_URL: url });

    await expect(delivery.provider()).rejects.toThrow(/MADAD_SMS_PROVIDER_KEY/);
  });
});
