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
