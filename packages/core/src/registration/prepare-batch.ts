import type { RegistryMatch } from '../registry/registry-ports.js';
import { type ParsedRegistration, receivedAtOf } from './parse-registration.js';
import type { RecentMessage } from './ports.js';
import {
  type BatchContext,
  DEFAULT_MESSAGES_PER_PHONE_HOUR,
  PHONE_HISTORY_DEPTH,
  type ReconcileDeps,
} from './reconcile-deps.js';
import { StatsBatch } from './stats-batch.js';

/** Reads everything the batch needs: the people (with their decisions of record), campaigns, phones. */
export async function prepareBatch(
  deps: ReconcileDeps,
  items: readonly ParsedRegistration[],
): Promise<BatchContext> {
  const hashes = [...new Set(items.flatMap((p) => (p.cnicHash ? [p.cnicHash] : [])))];
  const phones = [...new Set(items.map((p) => p.phone))];
  const limit = deps.messagesPerPhoneHour ?? DEFAULT_MESSAGES_PER_PHONE_HOUR;
  const [matches, campaigns, recent] = await Promise.all([
    hashes.length > 0 ? deps.registry.resolve(hashes) : new Map<string, RegistryMatch>(),
    deps.campaigns.inForce(deps.clock.now()),
    deps.phones.recent(phones, Math.max(limit + 1, PHONE_HISTORY_DEPTH)),
  ]);
  const { messageRank, cnicsFromPhone, hours } = tallyPhones(items, recent);
  await countPhoneHours(deps, hours, messageRank);
  return { matches, campaigns, stats: new StatsBatch(), messageRank, cnicsFromPhone, replies: [] };
}

/** A phone's SMS in one hour of receipt, within a batch: how many were recorded before, and these. */
export interface HourTally {
  readonly phone: string;
  readonly hour: string;
  readonly before: number;
  readonly messages: readonly ParsedRegistration[];
}

/**
 * Each message's rank in its phone's hour (by receipt) and the CNICs its phone sent, from the phone's
 * recorded messages plus the batch's own, in receipt order. A redelivered message is counted once.
 */
export function tallyPhones(
  items: readonly ParsedRegistration[],
  recent: ReadonlyMap<string, readonly RecentMessage[]>,
): { messageRank: Map<string, number>; cnicsFromPhone: Map<string, number>; hours: HourTally[] } {
  const messageRank = new Map<string, number>();
  const cnicsFromPhone = new Map<string, number>();
  const hours: HourTally[] = [];
  const inBatch = new Set(items.map((i) => i.message.messageId));
  const byPhone = new Map<string, ParsedRegistration[]>();
  for (const item of items) byPhone.set(item.phone, [...(byPhone.get(item.phone) ?? []), item]);
  for (const [phone, messages] of byPhone) {
    const earlier = (recent.get(phone) ?? []).filter((m) => !inBatch.has(m.messageId));
    const perHour = new Map<string, number>();
    for (const m of earlier) {
      const hour = m.receivedAt.slice(0, 13);
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    const cnics = new Set(earlier.flatMap((m) => (m.cnicHash ? [m.cnicHash] : [])));
    const ordered = [...messages].sort((a, b) =>
      `${receivedAtOf(a.message)}#${a.message.messageId}`.localeCompare(
        `${receivedAtOf(b.message)}#${b.message.messageId}`,
      ),
    );
    const batchHours = new Map<string, ParsedRegistration[]>();
    for (const item of ordered) {
      if (item.cnicHash && item.command.kind === 'register') cnics.add(item.cnicHash);
      cnicsFromPhone.set(item.message.messageId, Math.max(cnics.size, 1));
      // A web registration counts in its phone's tally as an SMS does (in the hour it was accepted).
      const hour = receivedAtOf(item.message).slice(0, 13);
      batchHours.set(hour, [...(batchHours.get(hour) ?? []), item]);
    }
    for (const [hour, inHour] of batchHours) {
      const before = perHour.get(hour) ?? 0;
      hours.push({ phone, hour, before, messages: inHour });
      for (const [i, item] of inHour.entries()) messageRank.set(item.message.messageId, before + i + 1);
    }
  }
  return { messageRank, cnicsFromPhone, hours };
}

/**
 * Exact counting: every batch adds its messages of each phone and hour to an atomic counter, and
 * ranks them from the total it gets back, so no interleaving of batches answers more than the
 * allowance. Counting only phones already busy (by their records) was not exact: batches that saw a
 * phone calm ranked its messages from records that concurrent batches had not written yet, and
 * those answers never reached the counter. The cost is one `UpdateItem` per phone and hour a batch.
 */
async function countPhoneHours(
  deps: ReconcileDeps,
  hours: readonly HourTally[],
  messageRank: Map<string, number>,
): Promise<void> {
  await Promise.all(
    hours.map(async ({ phone, hour, before, messages }) => {
      const counted = await deps.phones.countMessages(phone, hour, messages.length);
      // The records are a floor (messages recorded before the counter existed, e.g. across a deploy).
      const base = Math.max(counted - messages.length, before);
      for (const [i, item] of messages.entries()) messageRank.set(item.message.messageId, base + i + 1);
    }),
  );
}
