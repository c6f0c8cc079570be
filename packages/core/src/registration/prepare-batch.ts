import type { Campaign } from '../campaigns/campaign.js';
import type { RegistryMatch } from '../registry/registry-ports.js';
import { NO_CAMPAIGN } from './decide-registration.js';
import { type ParsedRegistration, receivedAtOf } from './parse-registration.js';
import type { PhoneTallyBefore } from './ports.js';
import type { BatchContext, ReconcileDeps } from './reconcile-deps.js';
import { StatsBatch } from './stats-batch.js';

/**
 * Reads everything the batch needs, concurrently: the people (with their decisions of record), the
 * campaigns, and each phone's tally, to which the batch adds its messages in the same call.
 */
export async function prepareBatch(
  deps: ReconcileDeps,
  items: readonly ParsedRegistration[],
): Promise<BatchContext> {
  const hashesOf = (some: readonly ParsedRegistration[]) => [
    ...new Set(some.flatMap((p) => (p.cnicHash ? [p.cnicHash] : []))),
  ];
  // STATUS and appeals speak of the person's latest decision in any campaign: every one is read.
  const whole = hashesOf(items.filter((i) => i.command.kind === 'status' || i.command.kind === 'appeal'));
  const wholeSet = new Set(whole);
  const partial = hashesOf(items).filter((hash) => !wholeSet.has(hash));
  const people = async (campaigns: readonly Campaign[]) => {
    const decisionsIn = [...campaigns.map((c) => c.campaignId), NO_CAMPAIGN];
    const [some, all] = await Promise.all([
      partial.length > 0 ? deps.registry.resolve(partial, { decisionsIn }) : new Map<string, RegistryMatch>(),
      whole.length > 0 ? deps.registry.resolve(whole) : new Map<string, RegistryMatch>(),
    ]);
    return new Map([...some, ...all]);
  };
  // Grouped and sorted once: the tally writes and the ranks read the same order.
  const phones = byPhone(items);
  const [[campaigns, matches], before] = await Promise.all([
    deps.campaigns.inForce(deps.clock.now()).then(async (c) => [c, await people(c)] as const),
    countPhones(deps, phones),
  ]);
  const { messageRank, cnicsFromPhone } = tallyPhones(items, before, phones);
  return {
    matches,
    partial: new Set(partial),
    campaigns,
    stats: new StatsBatch(),
    messageRank,
    cnicsFromPhone,
    replies: [],
    references: [],
  };
}

/** A phone's messages in a batch, in receipt order (a web registration counts as an SMS does). */
function byPhone(items: readonly ParsedRegistration[]): Map<string, ParsedRegistration[]> {
  const phones = new Map<string, ParsedRegistration[]>();
  const ordered = [...items].sort((a, b) =>
    `${receivedAtOf(a.message)}#${a.message.messageId}`.localeCompare(
      `${receivedAtOf(b.message)}#${b.message.messageId}`,
    ),
  );
  for (const item of ordered) phones.set(item.phone, [...(phones.get(item.phone) ?? []), item]);
  return phones;
}

const hourOf = (item: ParsedRegistration) => receivedAtOf(item.message).slice(0, 13);
const registered = (item: ParsedRegistration) =>
  item.cnicHash && item.command.kind === 'register' ? [item.cnicHash] : [];

/**
 * Exact counting, one write per phone a batch: every batch adds its messages of each phone (a count
 * per hour of receipt) and the CNICs they register to the phone's tally atomically, and ranks them
 * from what the tally held before, so no interleaving of batches answers more than the allowance or
 * lets a phone register more CNICs than `cnicsPerPhone` unseen. (Before session 7 a Query read each
 * phone's message records, up to 2,000 of them, beside a counter per phone and hour: two calls a phone
 * and the heaviest read of a batch. Messages recorded before the tally existed are not counted.)
 */
async function countPhones(
  deps: ReconcileDeps,
  phones: ReadonlyMap<string, readonly ParsedRegistration[]>,
): Promise<Map<string, PhoneTallyBefore>> {
  const tallies = await Promise.all(
    [...phones].map(async ([phone, messages]) => {
      const hours: Record<string, number> = {};
      for (const item of messages) hours[hourOf(item)] = (hours[hourOf(item)] ?? 0) + 1;
      const cnics = [...new Set(messages.flatMap(registered))];
      return [phone, await deps.phones.tally(phone, hours, cnics)] as const;
    }),
  );
  return new Map(tallies);
}

/**
 * Each message's rank in its phone's hour (by receipt) and the CNICs its phone registered, counting
 * the message's own: from what the phone's tally held before the batch, plus the batch's own messages
 * in receipt order. A redelivered message is counted again (as a delivery), as the counter always did.
 */
export function tallyPhones(
  items: readonly ParsedRegistration[],
  before: ReadonlyMap<string, PhoneTallyBefore>,
  phones: ReadonlyMap<string, readonly ParsedRegistration[]> = byPhone(items),
): { messageRank: Map<string, number>; cnicsFromPhone: Map<string, number> } {
  const messageRank = new Map<string, number>();
  const cnicsFromPhone = new Map<string, number>();
  for (const [phone, messages] of phones) {
    const earlier = before.get(phone);
    const cnics = new Set(earlier?.cnics ?? []);
    const counted = new Map<string, number>();
    for (const item of messages) {
      for (const cnic of registered(item)) cnics.add(cnic);
      cnicsFromPhone.set(item.message.messageId, Math.max(cnics.size, 1));
      const hour = hourOf(item);
      const rank = (counted.get(hour) ?? earlier?.hours[hour] ?? 0) + 1;
      counted.set(hour, rank);
      messageRank.set(item.message.messageId, rank);
    }
  }
  return { messageRank, cnicsFromPhone };
}
