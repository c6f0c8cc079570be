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
  /** When the claim was taken: a claim older than the sender's timeout belongs to a crashed sender. */
  readonly claimedAt: string;
  readonly sentAt?: string;
  readonly providerMessageId?: string;
}

/** The log of replies: the claim is a conditional write, so a reply is handed to the provider once. */
export interface OutboundLog {
  /**
   * Takes the reply, unless it was sent (`SENT`) or another sender claimed it after `staleBefore`
   * and may still be sending it (`BUSY`).
   */
  claim(record: OutboundRecord, staleBefore: string): Promise<'CLAIMED' | 'SENT' | 'BUSY'>;
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
  deps: { provider: SmsProvider; log: OutboundLog; now: () => Date; claimTimeoutMs: number },
  message: OutboundSms,
): Promise<DeliveryOutcome> {
  const { encoding, segments } = countSegments(message.text);
  const now = deps.now();
  const record: OutboundRecord = {
    ...message,
    encoding,
    segments,
    status: 'SENDING',
    claimedAt: now.toISOString(),
  };
  const staleBefore = new Date(now.getTime() - deps.claimTimeoutMs).toISOString();
  // A sender killed between claim and send leaves a stale claim: the redelivered message takes it over.
  // The provider may then see the reply twice; it gets the same client reference both times.
  const claim = await deps.log.claim(record, staleBefore);
  if (claim === 'SENT') return 'ALREADY_SENT';
  // Not ours to drop: fail, so the queue brings the reply back once the other claim is stale or done.
  if (claim === 'BUSY') throw new ReplyBusyError(`Reply ${message.id} is being sent by another sender`);
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

export class ReplyBusyError extends Error {
  override readonly name = 'ReplyBusyError';
}
