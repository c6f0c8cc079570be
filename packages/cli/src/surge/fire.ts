import type { InboundSms, WebhookClient } from './webhook-client.js';

export interface FireOptions {
  /** Messages per second to aim at; 0 sends as fast as `concurrency` allows. */
  readonly rate: number;
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Attempts per message when the webhook fails (connection error or 5xx); default 3. */
  readonly attempts?: number;
  /** Message ids the aggregator delivers twice (a redelivery after a lost acknowledgement). */
  readonly redeliver?: ReadonlySet<string>;
}

/** What happened to one message on the webhook. */
export interface SendOutcome {
  readonly messageId: string;
  /** Epoch ms when the first attempt started. */
  readonly sentAt: number;
  /** Epoch ms when the webhook answered 200, if it did. */
  readonly acceptedAt?: number;
  /** The last HTTP status (0: no answer). */
  readonly status: number;
  readonly attempts: number;
}

export interface FireResult {
  readonly outcomes: SendOutcome[];
  /** Second deliveries of accepted messages and their statuses. */
  readonly redeliveries: { readonly messageId: string; readonly status: number }[];
  readonly seconds: number;
}

export interface FireProgress {
  sent: number;
  accepted: number;
  rejected: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Sends every message through the webhook at the target rate (message i is due at start + i / rate),
 * at most `concurrency` at a time, retrying failures like an aggregator does. A 4xx is final.
 */
export async function fire(
  client: WebhookClient,
  messages: readonly InboundSms[],
  options: FireOptions,
  progress: FireProgress = { sent: 0, accepted: 0, rejected: 0 },
): Promise<FireResult> {
  const outcomes: SendOutcome[] = new Array(messages.length);
  const redeliveries: FireResult['redeliveries'] = [];
  const attempts = options.attempts ?? 3;
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < messages.length; i = next++) {
      const sms = messages[i];
      if (!sms) break;
      if (options.rate > 0) await sleep(started + (i * 1000) / options.rate - Date.now());
      const sentAt = Date.now();
      progress.sent += 1;
      let status = 0;
      let tries = 0;
      while (tries < attempts) {
        tries += 1;
        status = await client.post(sms);
        if (status !== 0 && status < 500) break;
        await sleep(100 * 2 ** tries);
      }
      const accepted = status === 200;
      if (accepted) progress.accepted += 1;
      else progress.rejected += 1;
      outcomes[i] = {
        messageId: sms.messageId,
        sentAt,
        status,
        attempts: tries,
        ...(accepted ? { acceptedAt: Date.now() } : {}),
      };
      if (accepted && options.redeliver?.has(sms.messageId)) {
        redeliveries.push({ messageId: sms.messageId, status: await client.post(sms) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return { outcomes, redeliveries, seconds: (Date.now() - started) / 1000 };
}
