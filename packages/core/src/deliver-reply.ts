import type { OutboundSms } from './schemas.js';
import { countSegments, type SmsEncoding } from './segments.js';

/**
 * The SMS aggregator that carries replies to phones. It takes the reply's id as its client reference
 * and accepts a reference once: a repeat is answered with the first message's id and not sent again,
 * which is what makes a redelivered reply harmless.
 */
export interface SmsProvider {
  send(message: OutboundSms): Promise<{ providerMessageId: string }>;
}

/** What the provider took: its id for the message, and what the reply costs in segments. */
export interface Delivery {
  readonly providerMessageId: string;
  readonly encoding: SmsEncoding;
  readonly segments: number;
}

/**
 * Hands the reply to the provider and returns the provider's id. Nothing is written anywhere: the
 * reply's id is deterministic (derived from the inbound message), so a redelivered reply carries the
 * same client reference and the provider refuses to send it twice. A provider error is rethrown, so
 * the queue retries the reply with backoff.
 */
export async function deliverReply(deps: { provider: SmsProvider }, message: OutboundSms): Promise<Delivery> {
  const { encoding, segments } = countSegments(message.text);
  const { providerMessageId } = await deps.provider.send(message);
  return { providerMessageId, encoding, segments };
}
