import { createHash } from 'node:crypto';
import type { Campaign } from './campaign.js';

/** What a reservation needs to know of its campaign: the limits and how they are split. */
export type CampaignLimits = Pick<Campaign, 'campaignId' | 'maxHouseholds' | 'budgetCap'> & {
  /** Fixed when the campaign is declared (`capShardsFor`); absent on older campaigns: one shard. */
  readonly capShards?: number;
  /** Bumped by every change of the limits; each cap shard records the revision it holds. */
  readonly limitsRevision?: number;
};

/** One shard's slice of a campaign's limits, at a revision of those limits. */
export interface ShardLimits {
  readonly maxHouseholds: number;
  readonly budget: number;
  readonly revision: number;
}

/** Households a shard is sized for: one item then takes a few hundred writes a second at most. */
export const HOUSEHOLDS_PER_CAP_SHARD = 2_000;
export const MAX_CAP_SHARDS = 64;

/**
 * How many counter items share a campaign's caps, from what it can enroll at most (the household
 * maximum, or the budget over the smaller amount if that is fewer). Small campaigns get one shard, so
 * a small cap is reached exactly; large ones spread the surge's reservations over up to 64 items.
 * Fixed at declaration: raising a cap later only grows each shard's slice, so no shard over-commits.
 */
export function capShardsFor(
  limits: Pick<Campaign, 'maxHouseholds' | 'budgetCap'> & { rules: Pick<Campaign['rules'], 'amounts'> },
): number {
  const smallest = Math.max(1, Math.min(limits.rules.amounts.topUp, limits.rules.amounts.newBeneficiary));
  const capacity = Math.min(limits.maxHouseholds, Math.floor(limits.budgetCap / smallest));
  return Math.min(MAX_CAP_SHARDS, Math.max(1, Math.ceil(capacity / HOUSEHOLDS_PER_CAP_SHARD)));
}

export function capShardsOf(limits: Pick<CampaignLimits, 'capShards'>): number {
  return Math.max(1, limits.capShards ?? 1);
}

/** Shard `shard`'s part of `total` split over `shards`: the remainder goes to the first shards. */
export function sliceOf(total: number, shards: number, shard: number): number {
  const base = Math.floor(total / shards);
  return base + (shard < total - base * shards ? 1 : 0);
}

export function shardLimitsOf(limits: CampaignLimits, shard: number): ShardLimits {
  const shards = capShardsOf(limits);
  return {
    maxHouseholds: sliceOf(limits.maxHouseholds, shards, shard),
    budget: sliceOf(limits.budgetCap, shards, shard),
    revision: limits.limitsRevision ?? 0,
  };
}

/** A household's home shard: stable, so its redelivered registrations look in the same place. */
export function homeShardOf(householdId: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash('sha256').update(householdId).digest().readUInt32BE(0) % shards;
}
