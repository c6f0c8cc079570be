import { ConfigurationError } from '../runtime/config.js';

/** Default provider rate when `MADAD_SMS_SEND_RATE` is not set: messages a second, all senders together. */
export const DEFAULT_SMS_SEND_RATE = 1000;

export interface SmsSendRate {
  /** Messages a second the provider takes from the whole deployment. */
  readonly total: number;
  /** Senders that may run at once and share it. */
  readonly senders: number;
  /** Each sender's share. */
  readonly perSender: number;
}

/**
 * The provider's send rate and how many senders share it: `MADAD_SMS_SEND_RATE` (messages a second,
 * whole deployment) and `MADAD_SMS_SENDERS` (the sender's maximum concurrency, set by the CDK stack
 * from the outbound queue's event source; 1 locally, where concurrent invocations share one pacer).
 * Each sender paces itself to its share. Read once; a bad value fails the cold start.
 */
export function smsSendRateFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  /** A pack of this many replies must go out within this many seconds at a sender's share. */
  budget?: { readonly pack: number; readonly withinSeconds: number },
): SmsSendRate {
  const total = positive(env.MADAD_SMS_SEND_RATE, 'MADAD_SMS_SEND_RATE') ?? DEFAULT_SMS_SEND_RATE;
  const senders = positive(env.MADAD_SMS_SENDERS, 'MADAD_SMS_SENDERS') ?? 1;
  const perSender = total / senders;
  if (perSender < 1)
    throw new ConfigurationError(
      `MADAD_SMS_SEND_RATE ${total} shared by ${senders} senders leaves less than 1 message a second each`,
    );
  if (budget && budget.pack / perSender > budget.withinSeconds)
    throw new ConfigurationError(
      `MADAD_SMS_SEND_RATE ${total} shared by ${senders} senders (${perSender.toFixed(1)} a second each) cannot send a pack of ${budget.pack} within ${budget.withinSeconds} s`,
    );
  return { total, senders, perSender };
}

function positive(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigurationError(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}
