import { crashPoint } from '../faults/crash-point.js';
import { type CampaignLimits, capShardsOf, homeShardOf, shardLimitsOf } from './cap-shards.js';
import type { Enrollment, EnrollResult } from './enrollment-ports.js';
import type { CapLedger, CapPool, EnrollmentClaims } from './ports.js';

export interface EnrollWithinCapsDeps {
  readonly claims: Pick<EnrollmentClaims, 'lookup' | 'create'>;
  readonly caps: CapLedger;
}

/**
 * Names a registration's reservation: the same for every delivery of the message (so a redelivery
 * recognises its own), different for a later enrollment of the household under other rules, and for
 * another phone's message with the same aggregator id (the reference is keyed over phone and id).
 */
export function holderOf(
  enrollment: Pick<Enrollment, 'messageId' | 'reference' | 'householdId' | 'ruleSetVersion'>,
): string {
  return `${enrollment.messageId}#${enrollment.reference}#${enrollment.householdId}#${enrollment.ruleSetVersion}`;
}

/**
 * Enrolls a household within its campaign's household maximum and budget. One read and two
 * single-item writes, ordered so a crash at any point converges when the enrollment is made again:
 * 1. one consistent batch read of the enrollment and the household's home cap shard: an existing
 *    enrollment is returned as it is, so repeats and other members never touch the cap shards;
 * 2. one household and the amount are reserved on a cap shard (the home shard, else any other with
 *    room), unless the home shard says this very reservation landed before a crash;
 * 3. the enrollment is created (conditional): `enrolled`, on the payments index, or `waitlisted`,
 *    on the waitlist index, when no shard had room. Losing that race to a concurrent delivery or
 *    another member gives the reservation back.
 * A crash between 2 and 3 followed by other reservations on the shard leaves one slot counted but
 * unused: the caps are never exceeded (docs/enrollment-caps.md).
 */
export async function enrollWithinCaps(
  deps: EnrollWithinCapsDeps,
  enrollment: Enrollment,
  limits: CampaignLimits,
): Promise<EnrollResult> {
  const home = homeShardOf(enrollment.householdId, capShardsOf(limits));
  const holder = holderOf(enrollment);
  const found = await deps.claims.lookup(enrollment, home);
  if (found.existing) return { created: false, existing: found.existing };
  const shard =
    found.homeShard?.lastHolder === holder
      ? home
      : await reserveOnAnyShard(deps.caps, enrollment, holder, home, limits);
  crashPoint('enroll.after-reserve');
  const created = await deps.claims.create({
    ...enrollment,
    capState: shard === undefined ? 'waitlisted' : 'enrolled',
    capShard: shard ?? home,
    claimId: holder,
  });
  if (created.created) return { created: true, waitlisted: shard === undefined };
  if (shard !== undefined) await deps.caps.release(limits.campaignId, shard, enrollment.amount);
  return { created: false, existing: created.existing };
}

/**
 * Reserves one household and the claim's amount for a claim in state `reserving` (a promotion).
 * When `resumed` (found half-done), the reservation may have landed before the crash: if the home
 * shard's last holder is this claim it did, and is not taken again; otherwise it is taken again (at
 * worst one slot counted but unused, never one over the cap).
 */
export async function reserveForClaim(
  caps: CapLedger,
  claim: Enrollment,
  limits: CampaignLimits,
  resumed: boolean,
): Promise<number | undefined> {
  const home = claim.capShard ?? homeShardOf(claim.householdId, capShardsOf(limits));
  const holder = claim.claimId ?? holderOf(claim);
  if (resumed) {
    const states = await caps.read(limits.campaignId, capShardsOf(limits));
    if (states[home]?.lastHolder === holder) return home;
  }
  // Room a raise holds for the waitlist first, then any open room.
  return (
    (await reserveOnAnyShard(caps, claim, holder, home, limits, 'held')) ??
    (await reserveOnAnyShard(caps, claim, holder, home, limits, 'open'))
  );
}

/**
 * One conditional write on the home shard; only when it is full are the other shards read (one
 * consistent batch read) and those with room tried in turn, so the campaign is refused only when no
 * shard could take the household. Returns the shard reserved on.
 */
async function reserveOnAnyShard(
  caps: CapLedger,
  claim: Enrollment,
  holder: string,
  home: number,
  limits: CampaignLimits,
  pool: CapPool = 'open',
): Promise<number | undefined> {
  const shards = capShardsOf(limits);
  const { campaignId } = limits;
  const reserve = (shard: number) =>
    caps.reserve(campaignId, shard, claim.amount, holder, shardLimitsOf(limits, shard), pool);
  if (await reserve(home)) return home;
  if (shards === 1) return undefined;
  const states = await caps.read(campaignId, shards);
  for (let i = 1; i < shards; i++) {
    const shard = (home + i) % shards;
    const state = states[shard];
    const households = pool === 'held' ? state?.heldHouseholds : state?.remainingHouseholds;
    const budget = pool === 'held' ? state?.heldBudget : state?.remainingBudget;
    if (state && ((households ?? 0) < 1 || (budget ?? 0) < claim.amount)) continue;
    if (await reserve(shard)) return shard;
  }
  return undefined;
}

/** Whether an enrollment result means the household waits for funds (new, or found waiting). */
export function isWaitlisted(result: EnrollResult): boolean {
  return result.created ? result.waitlisted === true : result.existing.capState === 'waitlisted';
}

/** What an enrollment attempt of `messageId` came to: its own enrollment, or someone else's first. */
export function enrollOutcome(
  result: EnrollResult,
  messageId: string,
  reference?: string,
): 'enrolled' | 'waitlisted' | { readonly firstReference: string } {
  if (result.created) return result.waitlisted ? 'waitlisted' : 'enrolled';
  // Another message's enrollment, or another phone's message with the same aggregator id.
  if (
    result.existing.messageId !== messageId ||
    (reference !== undefined && result.existing.reference !== reference)
  )
    return { firstReference: result.existing.reference };
  return result.existing.capState === 'waitlisted' ? 'waitlisted' : 'enrolled';
}
