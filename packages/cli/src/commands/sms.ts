import { loadSecrets } from '@madad/adapters';
import { signWebhook } from '@madad/core';
import type { CommandInput } from '../command.js';
import type { smsOptions } from '../declarations/sms.js';
import { useRunningStackEnv } from '../stack-env.js';

/** `madad sms "<text>" [--from +92...] [--url http://...]`: sends a correctly signed SMS to the webhook. */
export async function smsCommand({ values, positionals }: CommandInput<typeof smsOptions>): Promise<number> {
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
  const answer = await response.text();
  if (values.json) console.log(JSON.stringify({ status: response.status, body: parseJson(answer) }));
  else console.log(response.status, answer);
  return response.ok ? 0 : 1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
