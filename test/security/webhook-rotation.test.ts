import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadSmsWebhookSecret, type WebhookKeys } from '@madad/adapters';
import { createSmsWebhookApp } from '@madad/api';
import { type RegistrationMessage, signWebhook } from '@madad/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const OLD_KEY = 'aggregator-key-2025-0123456789';
const NEW_KEY = 'aggregator-key-2026-9876543210';
const ROTATED_AT = new Date('2026-12-07T10:00:00Z');
/** The rotation window: the previous key is accepted for 24 hours after the new one is set. */
const WINDOW_CLOSES = new Date('2026-12-08T10:00:00Z');
const ROTATING: WebhookKeys = {
  current: NEW_KEY,
  previous: OLD_KEY,
  previousUntil: WINDOW_CLOSES.toISOString(),
};

function webhookAt(now: Date, keys: WebhookKeys) {
  const queued: RegistrationMessage[] = [];
  const app = createSmsWebhookApp({
    webhookSecret: async () => keys,
    enqueueRegistration: async (message) => {
      queued.push(message);
    },
    clock: { now: () => now },
  });
  const send = async (key: string, messageId: string) => {
    const body = JSON.stringify({ from: '+923001234567', to: '8171', text: '35202-1234567-1', messageId });
    const response = await app.request('/sms/inbound', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-madad-signature': signWebhook(key, Math.floor(now.getTime() / 1000), body),
      },
      body,
    });
    return response.status;
  };
  return { send, queued };
}

describe('SMS webhook key rotation', () => {
  it('accepts a message signed with the previous key inside the rotation window', async () => {
    const webhook = webhookAt(new Date(ROTATED_AT.getTime() + 60 * 60 * 1000), ROTATING);

    const status = await webhook.send(OLD_KEY, 'agg-old-1');

    expect(status).toBe(200);
    expect(webhook.queued.map((m) => m.messageId)).toEqual(['agg-old-1']);
  });

  it('refuses a message signed with the previous key once the window has closed', async () => {
    const webhook = webhookAt(new Date(WINDOW_CLOSES.getTime() + 1000), ROTATING);

    const status = await webhook.send(OLD_KEY, 'agg-old-2');

    expect(status).toBe(401);
    expect(webhook.queued).toEqual([]);
  });

  it('accepts the new key throughout, and refuses a key that was never set', async () => {
    const inside = webhookAt(new Date(ROTATED_AT.getTime() + 1000), ROTATING);
    const after = webhookAt(new Date(WINDOW_CLOSES.getTime() + 1000), ROTATING);

    expect(await inside.send(NEW_KEY, 'agg-new-1')).toBe(200);
    expect(await after.send(NEW_KEY, 'agg-new-2')).toBe(200);
    expect(await inside.send('someone-elses-key-000000', 'agg-x')).toBe(401);
  });

  it('keeps a single key (the embedded stack’s variable) working as before', async () => {
    const webhook = webhookAt(ROTATED_AT, 'local-dev-secret');

    expect(await webhook.send('local-dev-secret', 'agg-local')).toBe(200);
    expect(await webhook.send(OLD_KEY, 'agg-local-2')).toBe(401);
  });
});

describe('loadSmsWebhookSecret', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => {
    secrets.reset();
  });

  it('reads both keys and the end of the window from the secret, through a cache (one read for many calls)', async () => {
    const arn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-webhook-rotating';
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(ROTATING) });
    const env = { MADAD_STAGE: 'prod', MADAD_SMS_WEBHOOK_SECRET_ARN: arn };

    const reads = await Promise.all([1, 2, 3].map(() => loadSmsWebhookSecret(env)));
    const again = await loadSmsWebhookSecret(env);

    expect(reads).toEqual([ROTATING, ROTATING, ROTATING]);
    expect(again).toEqual(ROTATING);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId)).toEqual([arn]);
  });

  it('reads a plain key as the only key', async () => {
    const arn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-webhook-plain';
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `${NEW_KEY}\n` });

    const keys = await loadSmsWebhookSecret({ MADAD_STAGE: 'prod', MADAD_SMS_WEBHOOK_SECRET_ARN: arn });

    expect(keys).toEqual({ current: NEW_KEY });
  });
});
