import { parseArgs } from 'node:util';
import { loadSecrets } from '@madad/adapters';
import { signWebhook } from '@madad/core';
import { useRunningStackEnv } from '../stack-env.js';

/** `madad sms "<text>" [--from +92...] [--url http://...]`: sends a correctly signed SMS to the webhook. */
export async function smsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string', default: '+923001234567' },
      url: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const text = positionals.join(' ');
  const { httpUrl } = await useRunningStackEnv();
  const base = values.url ?? httpUrl ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const body = JSON.stringify({
    from: values.from,
    to: '8171',
    text,
    messageId: values.id ?? `cli-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    receivedAt: new Date().toISOString(),
  });
  const { smsWebhookSecret } = await loadSecrets();
  const signature = signWebhook(smsWebhookSecret, Math.floor(Date.now() / 1000), body);
  const response = await fetch(`${base}/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-madad-signature': signature },
    body,
  });
  console.log(response.status, await response.text());
  return response.ok ? 0 : 1;
}
