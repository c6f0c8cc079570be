import { OUTBOUND_PACK_MAX, SendPacer } from '@madad/core';
import { smsSendRateFromEnv } from '../notifications/sms-send-rate.js';
import { queues } from '../resources.js';
import { requireEnv } from '../runtime/config.js';
import { loadSmsProviderKey } from '../runtime/secrets.js';
import { HttpSmsProvider } from './sms-providers.js';

/** Replies a bulk request to the aggregator carries, at most. */
export const SMS_BULK_MAX = 100;

/** What the outbound sender needs to hand replies to the aggregator at its share of the send rate. */
export interface SmsDelivery {
  /** One pacer per process, shared by concurrent invocations (the local stack runs several at once). */
  readonly pacer: SendPacer;
  /** Replies a bulk request carries: up to 100, fewer at a low rate so each second is filled evenly. */
  readonly chunk: number;
  /** The aggregator's client, its key read from Secrets Manager (or the local stack's environment). */
  provider(): Promise<HttpSmsProvider>;
}

/**
 * The sender's set-up, read once at cold start: the aggregator in the cloud, the stack's SMS gateway
 * locally (`MADAD_SMS_PROVIDER_URL`: the same contract, the same code path), and the sender's share of
 * the provider's send rate, so a 100,000-line batch's notices reach the aggregator at that pace, never
 * in a burst. A whole pack must go out within one invocation's timeout at that pace, else the cold
 * start fails with a ConfigurationError naming the rate.
 */
export function smsDeliveryFromEnv(env: NodeJS.ProcessEnv = process.env): SmsDelivery {
  const url = requireEnv('MADAD_SMS_PROVIDER_URL', env);
  const rate = smsSendRateFromEnv(env, {
    pack: OUTBOUND_PACK_MAX,
    withinSeconds: queues.outbound.consumerTimeoutSeconds - 5,
  });
  const pacer = new SendPacer(rate.perSender);
  return {
    pacer,
    chunk: pacer.chunkSize(SMS_BULK_MAX),
    provider: async () => new HttpSmsProvider(url, await loadSmsProviderKey(env)),
  };
}
