import type { OutboundSms } from '../schemas.js';

/**
 * The SMS aggregator that carries replies to phones. It takes the reply's id as its client reference
 * and accepts a reference once: a repeat is answered with the first message's id and not sent again,
 * which is what makes a redelivered reply harmless.
 */
export interface SmsProvider {
  send(message: OutboundSms): Promise<{ providerMessageId: string }>;
  /**
   * Many replies in one request, each accepted or refused on its own (most aggregators have a bulk
   * endpoint); the sender uses it when there is one.
   */
  sendMany?(messages: readonly OutboundSms[]): Promise<SendResult[]>;
}

export type SendResult =
  | { readonly id: string; readonly ok: true; readonly providerMessageId: string }
  | { readonly id: string; readonly ok: false; readonly error: string };

/**
 * Hands a pack of replies to the aggregator in bulk requests of `chunk`, each waiting its turn at the
 * sender's pace; returns the refusals (`id: error`). A refused pack is retried whole, and the
 * aggregator refuses by id what it already took.
 */
export async function deliverPack(
  deps: {
    readonly provider: Required<Pick<SmsProvider, 'sendMany'>>;
    readonly pacer: { take(count: number): Promise<unknown> };
  },
  replies: readonly OutboundSms[],
  chunk: number,
): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < replies.length; i += chunk) {
    const part = replies.slice(i, i + chunk);
    await deps.pacer.take(part.length);
    const results = await deps.provider.sendMany(part);
    for (const result of results) if (!result.ok) failures.push(`${result.id}: ${result.error}`);
  }
  return failures;
}
