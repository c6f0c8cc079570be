import { createHash } from 'node:crypto';
import { crashPoint } from '../faults/crash-point.js';
import {
  type CampaignLimits,
  capShardsOf,
  homeShardOf,
  type ShardLimits,
  shardLimitsOf,
} from './cap-shards.js';
import { enrollWithinCaps } from './enroll-within-caps.js';
import { type Enrollment, type EnrollResult, enrollmentKey } from './enrollment-ports.js';
import type { CapLedger, CapShardState, EnrollmentClaims, PageHold } from './ports.js';

/** A page's reservation as the cap ledger writes it: k households and their summed amount in one write. */
export interface PageCapLedger extends CapLedger {
  /**
   * Takes `hold.households` and `hold.amount` from the shard's open room and records the hold under
   * `holder`, if both fit and the holder holds nothing there yet (creating the shard from `init` when
   * it does not exist); returns whether it did.
   */
  reservePage(
    campaignId: string,
    shard: number,
    holder: string,
    hold: PageHold,
    init: ShardLimits,
  ): Promise<boolean>;
  /** Gives `unused` back to the open room and forgets the hold, if the hold is still there (else nothing). */
  settlePage(
    campaignId: string,
    shard: number,
    holder: string,
    unused: { readonly households: number; readonly amount: number },
  ): Promise<void>;
}

export interface EnrollPageDeps {
  readonly claims: Pick<EnrollmentClaims, 'lookup' | 'create'> & {
    /** One consistent batch read: the enrollments of these households, and the page's home cap shard. */
    lookupPage(
      enrollments: readonly Enrollment[],
      homeShard: number,
    ): Promise<{ existing: Map<string, Enrollment>; homeShard?: CapShardState }>;
  };
  readonly caps: PageCapLedger;
  /** Creations in flight at once. */
  readonly concurrency: number;
}

/** A page's holder id, stable over its redeliveries: its campaign, area, band, page and cursor. */
export function pageHolderOf(parts: readonly (string | number | undefined)[]): string {
  return `page#${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24)}`;
}

/** Names a page's households, whatever order they come in: a redelivery checks its page is unchanged. */
export function pageDigestOf(householdIds: readonly string[]): string {
  return createHash('sha256')
    .update([...householdIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Enrolls a page of households (one campaign) within its caps with one reservation for the page:
 * 1. one consistent batch read of the page's enrollments and of its home cap shard (by holder);
 * 2. the households not yet enrolled are reserved together (their number and summed amount, one
 *    conditional write) on the home shard, the hold recorded on it under the page's holder; when the
 *    home shard has no room for all of them, each is enrolled on its own (`enrollWithinCaps`: on any
 *    shard with room, else waitlisted, exactly at the cap);
 * 3. each is created `enrolled` (conditional, `concurrency` at a time; losing to another
 *    enrollment of the household frees its slot);
 * 4. what the hold did not use is given back and the hold forgotten (one conditional write).
 * A redelivery after a crash between 2 and 4 finds the hold: if the page is the same (its digest), it
 * creates what is left with what is left of the hold and settles exactly; if not, the hold is forgotten
 * without giving anything back (slots counted but unused, never one over the cap) and the page reserves
 * again. Returns each household's result, keyed by `enrollmentKey`.
 */
export async function enrollPageWithinCaps(
  deps: EnrollPageDeps,
  page: readonly Enrollment[],
  limits: CampaignLimits,
  holder: string,
): Promise<Map<string, EnrollResult>> {
  const results = new Map<string, EnrollResult>();
  if (page.length === 0) return results;
  const { campaignId } = limits;
  const home = homeShardOf(holder, capShardsOf(limits));
  const { existing: found, homeShard: state } = await deps.claims.lookupPage(page, home);
  const keyOf = (e: Enrollment) => enrollmentKey(e.campaignId, e.householdId);
  const todo: Enrollment[] = [];
  const ours: Enrollment[] = [];
  for (const e of page) {
    const existing = found.get(keyOf(e));
    if (!existing) todo.push(e);
    else {
      results.set(keyOf(e), { created: false, existing });
      if (existing.claimId === holder) ours.push(existing);
    }
  }
  const digest = pageDigestOf(page.map((e) => e.householdId));
  let reserved = resumed(state, home, holder, digest, ours, todo);
  if (!reserved) {
    // A hold from another version of the page: forgotten, nothing given back (never over the cap).
    if (state?.holds?.[holder])
      await deps.caps.settlePage(campaignId, home, holder, { households: 0, amount: 0 });
    if (todo.length === 0) return results;
    reserved = await reserveForPage(deps.caps, limits, state, home, holder, todo, digest);
  }
  if (!reserved) {
    // No shard has room for the whole page: one by one, each on any shard with room, or waitlisted.
    await mapBounded(todo, deps.concurrency, async (e) => {
      results.set(keyOf(e), await enrollWithinCaps({ claims: deps.claims, caps: deps.caps }, e, limits));
    });
    return results;
  }
  crashPoint('enroll-page.after-reserve');
  const { shard } = reserved;
  let unusedHouseholds = reserved.households;
  let unusedAmount = reserved.amount;
  await mapBounded(todo, deps.concurrency, async (e) => {
    const created = await deps.claims.create({
      ...e,
      capState: 'enrolled',
      capShard: shard,
      claimId: holder,
    });
    const mine = created.created || created.existing.claimId === holder;
    if (mine) {
      unusedHouseholds -= 1;
      unusedAmount -= e.amount;
    }
    results.set(keyOf(e), created.created ? { created: true, waitlisted: false } : created);
  });
  await deps.caps.settlePage(campaignId, shard, holder, {
    households: unusedHouseholds,
    amount: unusedAmount,
  });
  return results;
}

interface Reserved {
  readonly shard: number;
  /** What is left of the hold for the households still to create. */
  readonly households: number;
  readonly amount: number;
}

/** This page's hold found on its home shard, for the same page, with room for what is left to create. */
function resumed(
  state: CapShardState | undefined,
  shard: number,
  holder: string,
  digest: string,
  ours: readonly Enrollment[],
  todo: readonly Enrollment[],
): Reserved | undefined {
  const hold = state?.holds?.[holder];
  if (!hold || hold.digest !== digest) return undefined;
  const households = hold.households - ours.length;
  const amount = hold.amount - ours.reduce((sum, e) => sum + e.amount, 0);
  if (todo.length > households || todo.reduce((sum, e) => sum + e.amount, 0) > amount) return undefined;
  return { shard, households, amount };
}

/** The page's households and summed amount reserved on its home shard, if it has room for them all. */
async function reserveForPage(
  caps: PageCapLedger,
  limits: CampaignLimits,
  state: CapShardState | undefined,
  shard: number,
  holder: string,
  todo: readonly Enrollment[],
  digest: string,
): Promise<Reserved | undefined> {
  const hold = { households: todo.length, amount: todo.reduce((sum, e) => sum + e.amount, 0), digest };
  if (state && (state.remainingHouseholds < hold.households || state.remainingBudget < hold.amount))
    return undefined;
  if (!(await caps.reservePage(limits.campaignId, shard, holder, hold, shardLimitsOf(limits, shard))))
    return undefined;
  return { shard, households: hold.households, amount: hold.amount };
}

async function mapBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await task(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
