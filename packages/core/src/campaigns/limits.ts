import * as z from 'zod';
import { ConflictError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type { Campaign } from './campaign.js';
import type { CampaignRepository } from './campaign-service.js';
import { capShardsOf, shardLimitsOf } from './cap-shards.js';
import type { CapShardState } from './ports.js';
import { type PromoteDeps, type PromotionActor, promoteWaitlist } from './promote-waitlist.js';

/** `PATCH /api/v1/campaigns/{id}/limits`: a new household maximum and/or budget cap. */
export const LimitChangeSchema = z
  .strictObject({
    budgetCap: z.number().int().positive().max(1e13).optional(),
    maxHouseholds: z.number().int().positive().max(1e8).optional(),
  })
  .refine((c) => c.budgetCap !== undefined || c.maxHouseholds !== undefined, {
    message: 'Give budgetCap, maxHouseholds or both',
  });
export type LimitChange = z.infer<typeof LimitChangeSchema>;

export interface LimitsDeps extends PromoteDeps {
  readonly campaigns: Pick<CampaignRepository, 'get' | 'save'>;
}

export interface LimitsReport {
  readonly campaign: Campaign;
  readonly committed: { readonly households: number; readonly amount: number };
  readonly promoted: number;
}

/**
 * Changes a campaign's household maximum or budget cap, then promotes its waitlist in registration
 * order up to the new limits. A limit is never lowered below what is committed. Steps: the campaign
 * record (new limits, next revision), then each cap shard brought to that revision (a conditional
 * write on its revision), the ledger entry, the promotion. Sending the same change again after a crash
 * finishes whatever was left, without a new revision.
 */
export async function changeLimits(
  deps: LimitsDeps,
  campaignId: string,
  change: LimitChange,
  actor: PromotionActor,
): Promise<LimitsReport> {
  const stored = await deps.campaigns.get(campaignId);
  if (!stored) throw new NotFoundError(`No campaign ${campaignId}`);
  const { revision, ...current } = stored;
  if (current.status === 'closed') throw new ConflictError('The limits of a closed campaign cannot change');
  const next = {
    maxHouseholds: change.maxHouseholds ?? current.maxHouseholds,
    budgetCap: change.budgetCap ?? current.budgetCap,
  };
  const same = next.maxHouseholds === current.maxHouseholds && next.budgetCap === current.budgetCap;
  const limitsRevision = (current.limitsRevision ?? 0) + (same ? 0 : 1);
  const updated: Campaign = { ...current, ...next, limitsRevision };
  const shards = capShardsOf(current);
  refuseBelowCommitted(await deps.caps.read(campaignId, shards), updated);
  if (!same) await deps.campaigns.save(updated, revision);
  crashPoint('limits.after-campaign');
  for (let shard = 0; shard < shards; shard++) await bringShard(deps, updated, shard);
  crashPoint('limits.after-shards');
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'campaign.limits',
    subject: `campaign/${campaignId}`,
    before: same ? undefined : { maxHouseholds: current.maxHouseholds, budgetCap: current.budgetCap },
    after: { ...next, limitsRevision },
    actionId: `campaign.limits/${campaignId}/r${limitsRevision}`,
  });
  const first = await promoteWaitlist(deps, updated, actor);
  crashPoint('limits.after-promotion');
  // What the waitlist did not need opens to everyone; anyone waitlisted meanwhile gets it first.
  const released = await releaseHeldRoom(deps, updated);
  const second = released ? await promoteWaitlist(deps, updated, actor) : { promoted: [] };
  const committed = committedOf(await deps.caps.read(campaignId, shards));
  return { campaign: updated, committed, promoted: first.promoted.length + second.promoted.length };
}

function committedOf(states: readonly (CapShardState | undefined)[]) {
  return {
    households: states.reduce((n, s) => n + (s?.households ?? 0), 0),
    amount: states.reduce((n, s) => n + (s?.committed ?? 0), 0),
  };
}

/**
 * Lowering is refused when the campaign, or any one shard's new slice, would hold less than is
 * already committed there (each shard can only give back what it still has free).
 */
function refuseBelowCommitted(states: readonly (CapShardState | undefined)[], updated: Campaign): void {
  const committed = committedOf(states);
  const tooLow =
    updated.maxHouseholds < committed.households ||
    updated.budgetCap < committed.amount ||
    states.some((state, shard) => {
      const slice = shardLimitsOf(updated, shard);
      return state && (slice.maxHouseholds < state.households || slice.budget < state.committed);
    });
  if (tooLow)
    throw new ConflictError(
      `A limit cannot be lowered below what is committed: ${committed.households} households, PKR ${committed.amount}`,
      committed,
    );
}

/** Opens every shard's held room to new registrations; returns whether any was held. */
async function releaseHeldRoom(deps: LimitsDeps, campaign: Campaign): Promise<boolean> {
  let released = false;
  const shards = capShardsOf(campaign);
  for (let shard = 0; shard < shards; shard++) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const state = (await deps.caps.read(campaign.campaignId, shards))[shard];
      if (!state || (state.heldHouseholds === 0 && state.heldBudget === 0)) break;
      if (await deps.caps.releaseHeld(campaign.campaignId, shard, state)) {
        released = true;
        break;
      }
    }
  }
  return released;
}

/** Brings one shard to the campaign's limits revision: a conditional write, retried on a race. */
async function bringShard(deps: LimitsDeps, campaign: Campaign, shard: number): Promise<void> {
  const target = shardLimitsOf(campaign, shard);
  for (let attempt = 0; attempt < 10; attempt++) {
    const state = (await deps.caps.read(campaign.campaignId, capShardsOf(campaign)))[shard];
    if (state && state.revision >= target.revision) return;
    const lowering = state && (target.maxHouseholds < state.maxHouseholds || target.budget < state.budget);
    // A lowering takes open room: room an unfinished raise still holds is opened first.
    if (lowering && (state.heldHouseholds > 0 || state.heldBudget > 0)) {
      await deps.caps.releaseHeld(campaign.campaignId, shard, state);
      continue;
    }
    if (await deps.caps.setLimits(campaign.campaignId, shard, target, state)) return;
  }
  throw new ConflictError(
    `Cap shard ${shard} of ${campaign.campaignId} changed too often; send the change again`,
  );
}
