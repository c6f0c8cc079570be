import type { GatewayDelivery } from './sms-gateway-log.js';

/**
 * What a local stack's SMS gateway delivered to a phone, newest first: the proof that a reply reached
 * the aggregator, once. `env` is the stack's environment (`LocalStack.env`, or `env` in `stack.json`),
 * which names the gateway and its key.
 */
export async function listSmsGatewayDeliveries(
  env: Readonly<Record<string, string | undefined>>,
  to: string,
  limit = 1000,
): Promise<GatewayDelivery[]> {
  const url = env.MADAD_SMS_PROVIDER_URL;
  const key = env.MADAD_SMS_PROVIDER_KEY;
  if (!url || !key) throw new Error('No SMS gateway in this environment (MADAD_SMS_PROVIDER_URL and _KEY)');
  const response = await fetch(`${url}?to=${encodeURIComponent(to)}&limit=${limit}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (response.status !== 200) {
    throw new Error(
      `SMS gateway listing answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
  }
  return ((await response.json()) as { items: GatewayDelivery[] }).items;
}
