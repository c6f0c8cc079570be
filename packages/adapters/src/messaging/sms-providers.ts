import type { OutboundSms, SendResult, SmsProvider } from '@madad/core';

/**
 * An SMS aggregator reached over HTTP: `POST {to, text, clientReference}` with `Authorization: Bearer
 * <key>`, answered `200 {id}`. The client reference is the reply's id, the same for every copy of a
 * reply; the aggregator accepts a reference once and answers a repeat with the first message's id
 * (200) without sending it again, so the sender needs no record of its own. Locally the stack's SMS
 * gateway (`packages/local`) keeps the same contract. Retries are the queue's job: any other answer,
 * or no answer within the timeout, fails the reply, which comes back with backoff. `POST {messages:
 * [...]}` (up to 100) is the bulk form: `200 {results: [{clientReference, status, id}]}`, each message
 * accepted or refused on its own.
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
    if (!response.ok) {
      // Release the connection for the next reply; the body of a refusal says nothing the status does not.
      await response.body?.cancel();
      throw new Error(`SMS provider answered ${response.status}`);
    }
    const body = (await response.json()) as { id?: unknown };
    return { providerMessageId: typeof body.id === 'string' ? body.id : message.id };
  }

  async sendMany(messages: readonly OutboundSms[]): Promise<SendResult[]> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({
        messages: messages.map((m) => ({ to: m.to, text: m.text, clientReference: m.id })),
      }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      const error = `SMS provider answered ${response.status}`;
      return messages.map((m) => ({ id: m.id, ok: false, error }));
    }
    const body = (await response.json()) as {
      results?: { clientReference?: unknown; status?: unknown; id?: unknown }[];
    };
    const answered = new Map((body.results ?? []).map((r) => [String(r.clientReference), r]));
    return messages.map((m): SendResult => {
      const result = answered.get(m.id);
      return result?.status === 200
        ? { id: m.id, ok: true, providerMessageId: typeof result.id === 'string' ? result.id : m.id }
        : {
            id: m.id,
            ok: false,
            error: `SMS provider refused it (${String(result?.status ?? 'no answer')})`,
          };
    });
  }
}
