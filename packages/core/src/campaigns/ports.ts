import type { Enrollment } from '../ports.js';
import type { ShardLimits } from './cap-shards.js';

/** One cap shard as stored: its slice of the limits, what is left of it and what it committed. */
export interface CapShardState extends ShardLimits {
  readonly shard: number;
  readonly remainingHouseholds: number;
  readonly remainingBudget: number;
  readonly households: number;
  readonly committed: number;
  /** The claim that reserved on this shard last: tells a resumed claim whether its reservation landed. */
  readonly lastHolder?: string;
}

/**
 * A campaign's cap counters, split over shards (each its own item, no hot key). Every change is one
 * conditional write on one shard.
 */
export interface CapLedger {
  /**
   * Takes one household and `amount` from the shard if both still fit (creating the shard from `init`
   * first when it does not exist yet); returns whether it did.
   */
  reserve(
    campaignId: string,
    shard: number,
    amount: number,
    holder: string,
    init: ShardLimits,
  ): Promise<boolean>;
  /** Gives a reservation back (an enrollment withdrawn before any payment). */
  release(campaignId: string, shard: number, amount: number): Promise<void>;
  /** Every shard, read consistently (undefined where a shard was never written). */
  read(campaignId: string, shards: number): Promise<(CapShardState | undefined)[]>;
  /**
   * Moves a shard to the slice `next`, on condition that it is still as `expected` says (revision)
   * and that a lowering leaves nothing committed past the new slice; creates it when `expected` is
   * undefined. Returns false when the condition failed (read again and retry).
   */
  setLimits(
    campaignId: string,
    shard: number,
    next: ShardLimits,
    expected: CapShardState | undefined,
  ): Promise<boolean>;
}

/** Where an enrollment stands against the caps; absent on enrollments made before caps held. */
export type CapState = 'reserving' | 'enrolled' | 'waitlisted';

/**
 * The enrollment item's steps. A claim is put first without the payments index key, so payment
 * batches never see an enrollment whose reservation is not settled.
 */
export interface EnrollmentClaims {
  /** Conditional create in state `reserving`; returns the enrollment already there otherwise. */
  claim(enrollment: Enrollment): Promise<{ created: true } | { created: false; existing: Enrollment }>;
  /**
   * Settles a claim (conditional on its state `reserving` and its `claimId`): `enrolled` makes it
   * visible to payments, `waitlisted` puts it on the campaign's waitlist in registration order.
   */
  settle(enrollment: Enrollment, state: 'enrolled' | 'waitlisted'): Promise<void>;
  /** Turns a waitlisted enrollment into a new claim (`waitlisted` to `reserving`); false if it changed. */
  reclaim(enrollment: Enrollment, claimId: string): Promise<boolean>;
  /** The oldest waitlisted enrollments of a campaign (and promotions in progress), oldest first. */
  waitlist(campaignId: string, limit: number): Promise<Enrollment[]>;
}
