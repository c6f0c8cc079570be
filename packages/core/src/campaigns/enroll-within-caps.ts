import { crashPoint } from '../faults/crash-point.js';
import type { Enrollment, EnrollResult } from '../ports.js';
import { type CampaignLimits, capShardsOf, homeShardOf, shardLimitsOf } from './cap-shards.js';
import type { CapLedger, EnrollmentClaims } from './ports.js';

export interface EnrollWithinCapsDeps {
  readonly claims: EnrollmentClaims;
  readonly caps: CapLedger;
}

/** Names one attempt to reserve for an enrollment; a promotion makes a new one. */
export function claimIdOf(enrollment: Pick<Enrollment, 'messageId' | 'enrolledAt'>): string {
  return `${enrollment.messageId}@${enrollment.enrolledAt}`;
}

/**
 * Enrolls a household within its campaign's household maximum and budget, as three single-item
 * writes ordered so a crash at any point converges when the same enrollment is made again:
 * 1. the enrollment is claimed (`reserving`, invisible to payments); an existing one is returned,
 *    so repeats and other members of the household never touch the cap shards;
 * 2. one household and the amount are reserved on a cap shard (its home shard, else any other);
 * 3. the claim is settled: `enrolled` (visible to payment batches) or `waitlisted` (no room).
 * A redelivery that finds its own claim still `reserving` finishes it (see {@link settleClaim}).
 */
export async function enrollWithinCaps(
  deps: EnrollWithinCapsDeps,
  enrollment: Enrollment,
  limits: CampaignLimits,
): Promise<EnrollResult> {
  const shards = capShardsOf(limits);
  const claim: Enrollment = {
    ...enrollment,
    capState: 'reserving',
    capShard: homeShardOf(enrollment.householdId, shards),
    claimId: claimIdOf(enrollment),
  };
  const claimed = await deps.claims.claim(claim);
  if (!claimed.created) {
    const { existing } = claimed;
    // Someone else's enrollment, or one already settled: nothing to reserve.
    if (existing.capState !== 'reserving' || existing.messageId !== enrollment.messageId)
      return { created: false, existing };
    return { created: true, waitlisted: (await settleClaim(deps, existing, limits, true)) === 'waitlisted' };
  }
  crashPoint('enroll.after-claim');
  return { created: true, waitlisted: (await settleClaim(deps, claim, limits, false)) === 'waitlisted' };
}

/** Reserves for a claim and settles it: `enrolled`, or `waitlisted` when no shard had room. */
export async function settleClaim(
  deps: EnrollWithinCapsDeps,
  claim: Enrollment,
  limits: CampaignLimits,
  resumed: boolean,
): Promise<'enrolled' | 'waitlisted'> {
  const reserved = await reserveForClaim(deps.caps, claim, limits, resumed);
  crashPoint('enroll.after-reserve');
  const state = reserved ? 'enrolled' : 'waitlisted';
  await deps.claims.settle(claim, state);
  return state;
}

/**
 * Reserves one household and the claim's amount. When `resumed` (a claim found half-done), the
 * reservation may have landed before the crash: if the home shard's last holder is this claim it
 * did, and is not taken again. Otherwise it is taken again: if the lost run had in fact reserved, one
 * slot of the cap stays unused (counted, never spent). The caps are never exceeded; see
 * docs/enrollment-caps.md.
 */
export async function reserveForClaim(
  caps: CapLedger,
  claim: Enrollment,
  limits: CampaignLimits,
  resumed: boolean,
): Promise<boolean> {
  if (resumed && claim.claimId !== undefined && claim.capShard !== undefined) {
    const states = await caps.read(limits.campaignId, capShardsOf(limits));
    if (states[claim.capShard]?.lastHolder === claim.claimId) return true;
  }
  return reserveOnAnyShard(caps, claim, limits);
}

/**
 * One conditional write on the home shard; only when it is full are the other shards read (one
 * consistent batch read) and those with room tried in turn, so the campaign is refused only when no
 * shard could take the household.
 */
async function reserveOnAnyShard(
  caps: CapLedger,
  claim: Enrollment,
  limits: CampaignLimits,
): Promise<boolean> {
  const shards = capShardsOf(limits);
  const home = claim.capShard ?? homeShardOf(claim.householdId, shards);
  const holder = claim.claimId ?? claimIdOf(claim);
  const { campaignId } = limits;
  if (await caps.reserve(campaignId, home, claim.amount, holder, shardLimitsOf(limits, home))) return true;
  if (shards === 1) return false;
  const states = await caps.read(campaignId, shards);
  for (let i = 1; i < shards; i++) {
    const shard = (home + i) % shards;
    const state = states[shard];
    if (state && (state.remainingHouseholds < 1 || state.remainingBudget < claim.amount)) continue;
    if (await caps.reserve(campaignId, shard, claim.amount, holder, shardLimitsOf(limits, shard)))
      return true;
  }
  return false;
}

/** Whether an enrollment result means the household waits for funds (new, or found waiting). */
export function isWaitlisted(result: EnrollResult): boolean {
  return result.created ? result.waitlisted === true : result.existing.capState === 'waitlisted';
}

/** What an enrollment attempt of `messageId` came to: its own enrollment, or someone else's first. */
export function enrollOutcome(
  result: EnrollResult,
  messageId: string,
): 'enrolled' | 'waitlisted' | { readonly firstReference: string } {
  if (result.created) return result.waitlisted ? 'waitlisted' : 'enrolled';
  if (result.existing.messageId !== messageId) return { firstReference: result.existing.reference };
  return result.existing.capState === 'waitlisted' ? 'waitlisted' : 'enrolled';
}
