import type { OutboundSms, SmsProvider } from '@madad/core';

/**
 * The local provider: nothing leaves the machine. The outbound log already holds every reply, which
 * `GET /api/v1/sms/outbound` lists; `MADAD_SMS_FAIL_RATE` makes it fail on purpose for fault tests.
 */
export class LocalSmsProvider implements SmsProvider {
  /** The failure rate is read on every send, so a fault test can turn the provider off and on again. */
  constructor(private readonly failRate: number | (() => number) = 0) {}

  async send(message: OutboundSms): Promise<{ providerMessageId: string }> {
    const rate = typeof this.failRate === 'function' ? this.failRate() : this.failRate;
    if (rate > 0 && Math.random() < rate) {
      throw new Error('Local SMS provider failure (MADAD_SMS_FAIL_RATE)');
    }
    return { providerMessageId: `local-${message.id}` };
  }
}

/**
 * An SMS aggregator reached over HTTP (JSON POST with a bearer key), with a per-request timeout.
 * Retries are the queue's job: a failure leaves the message for redelivery with backoff.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(message: OutboundSms): Promise<{ providerMessageId: string }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ to: message.to, text: message.text, clientReference: message.id }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
    const body = (await response.json()) as { id?: unknown };
    return { providerMessageId: typeof body.id === 'string' ? body.id : message.id };
  }
}
