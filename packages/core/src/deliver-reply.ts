import type { OutboundSms } from './schemas.js';
import { countSegments } from './segments.js';

/** The SMS aggregator or gateway that carries replies to phones. */
export interface SmsProvider {
  send(message: OutboundSms): Promise<{ providerMessageId: string }>;
}

export interface OutboundRecord extends OutboundSms {
  readonly encoding: 'GSM-7' | 'UCS-2';
  readonly segments: number;
  readonly status: 'SENDING' | 'SENT';
  readonly sentAt?: string;
  readonly providerMessageId?: string;
}

/** The log of replies: the claim is a conditional write, so a reply is handed to the provider once. */
export interface OutboundLog {
  claim(record: OutboundRecord): Promise<boolean>;
  markSent(record: OutboundRecord, providerMessageId: string, sentAt: string): Promise<void>;
  release(record: OutboundRecord): Promise<void>;
  listFor(to: string, limit: number): Promise<OutboundRecord[]>;
}

export type DeliveryOutcome = 'SENT' | 'ALREADY_SENT';

/**
 * Claims the reply in the log, hands it to the provider, and records the provider's id. When the
 * provider fails the claim is released and the error rethrown, so the queue retries with backoff.
 */
export async function deliverReply(
  deps: { provider: SmsProvider; log: OutboundLog; now: () => Date },
  message: OutboundSms,
): Promise<DeliveryOutcome> {
  const { encoding, segments } = countSegments(message.text);
  const record: OutboundRecord = { ...message, encoding, segments, status: 'SENDING' };
  if (!(await deps.log.claim(record))) return 'ALREADY_SENT';
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.provider.send(message));
  } catch (error) {
    await deps.log.release(record);
    throw error;
  }
  await deps.log.markSent(record, providerMessageId, deps.now().toISOString());
  return 'SENT';
}
