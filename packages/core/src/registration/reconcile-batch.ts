import { RegistrationMessageSchema } from '../schemas.js';
import { type ParsedRegistration, parseRegistration } from './parse-registration.js';
import type { StatsSink } from './ports.js';
import { prepareBatch } from './prepare-batch.js';
import type { ReconcileDeps } from './reconcile-deps.js';
import { reconcileOne } from './reconcile-one.js';
import { flushReplies } from './record-reply.js';

/** A queued message as the reconciler receives it: the queue's id for it and its body, unread. */
export interface QueuedRegistration {
  readonly id: string;
  readonly body: string;
}

/** The batch's counters, written by campaign (shards) and by campaign and minute. */
export interface BatchStatsSink extends StatsSink {
  addPerMinute(campaignId: string, perMinute: Readonly<Record<string, number>>): Promise<void>;
}

export interface ReconcileBatchDeps extends ReconcileDeps {
  readonly stats: BatchStatsSink;
}

export interface ReconcileBatchResult {
  /** Messages that failed on their own (a poison record, a conditional write lost): retried by the queue. */
  readonly failedIds: readonly string[];
  /** Bodies that are no registration message at all: no retry cures them, so they go on to the DLQ. */
  readonly unreadableIds: readonly string[];
  /** The batch's counters by campaign (`status:<STATUS>`, channel, area), as added to the stats. */
  readonly counters: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Replies queued for the SMS sender in this batch (redelivered ones queued again included). */
  readonly replies: number;
}

/**
 * Reconciles a batch of queued registrations, the one entry of the flow: a few batched reads for the
 * whole batch (people, campaigns, phones), then each message on its own, so a poison message fails
 * alone while the rest succeed; the replies are queued together and the counters added once.
 * Throws when the batch's reads fail (the database out of reach): then the whole batch comes back.
 * The replies are queued before the counters are added: if queueing fails the batch fails, and its
 * redelivery queues the stored replies again (the aggregator sends each reply id once).
 */
export async function reconcileBatch(
  deps: ReconcileBatchDeps,
  records: readonly QueuedRegistration[],
): Promise<ReconcileBatchResult> {
  const items = new Map(records.map((r) => [r.id, readRegistration(deps.pepper, r.body)]));
  const readable = [...items.values()].filter((i) => i !== undefined);
  const ctx = await prepareBatch(deps, readable);
  const outcomes = await Promise.allSettled(
    records.map(async (record) => {
      const item = items.get(record.id);
      if (item) await reconcileOne(deps, item, ctx);
    }),
  );
  const unreadableIds = records.filter((r) => !items.get(r.id)).map((r) => r.id);
  const failedIds = records.filter((_, i) => outcomes[i]?.status === 'rejected').map((r) => r.id);
  const replies = ctx.replies.length;
  await flushReplies(deps, ctx);
  const counters = ctx.stats.drain();
  await Promise.all([...counters].map(([campaignId, counted]) => deps.stats.add(campaignId, counted)));
  await Promise.all(
    [...ctx.stats.drainPerMinute()].map(([campaignId, perMinute]) =>
      deps.stats.addPerMinute(campaignId, perMinute),
    ),
  );
  return { failedIds, unreadableIds, counters, replies };
}

function readRegistration(pepper: string, body: string): ParsedRegistration | undefined {
  try {
    const parsed = RegistrationMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parseRegistration(pepper, parsed.data) : undefined;
  } catch {
    return undefined;
  }
}
