import type { ShardLimits } from './cap-shards.js';
import type { Enrollment } from './enrollment-ports.js';

/**
 * One cap shard as stored: its slice of the limits, and where that slice is (always
 * `remaining + held + committed = slice`, for households and for the budget).
 */
export interface CapShardState extends ShardLimits {
  readonly shard: number;
  readonly remainingHouseholds: number;
  readonly remainingBudget: number;
  /**
   * Room a raise added, held for the waitlist: promotions reserve from it first, new registrations
   * cannot, so a household that waited is not overtaken by one registering during the promotion.
   * Released to the open room once the promotion has run.
   */
  readonly heldHouseholds: number;
  readonly heldBudget: number;
  readonly households: number;
  readonly committed: number;
  /** The claim that reserved on this shard last: tells a resumed claim whether its reservation landed. */
  readonly lastHolder?: string;
  /** Pages' reservations not yet settled, by page holder (`enrollPageWithinCaps`). */
  readonly holds?: Readonly<Record<string, PageHold>>;
}

/** A page's reservation on one shard: how many households, their summed amount, and which page. */
export interface PageHold {
  readonly households: number;
  readonly amount: number;
  /** `pageDigestOf` the page's households: a redelivery reuses the hold only for the same page. */
  readonly digest: string;
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
    pool?: CapPool,
  ): Promise<boolean>;
  /** Moves what is held for the waitlist to the open room, on condition the shard holds `expected`'s. */
  releaseHeld(campaignId: string, shard: number, expected: CapShardState): Promise<boolean>;
  /**
   * Gives a reservation back (a lost creation race, an enrollment withdrawn before any payment) and
   * clears the shard's last holder, so no resumed claim takes a released reservation for its own.
   */
  release(campaignId: string, shard: number, amount: number): Promise<void>;
  /** Every shard, read consistently (undefined where a shard was never written). */
  read(campaignId: string, shards: number): Promise<(CapShardState | undefined)[]>;
  /**
   * Moves a shard to the slice `next`, on condition that it is still as `expected` says
   * (revision, held room) and that a lowering takes only open room. A raise moves all the shard's
   * free room, the addition included, to the room held for the waitlist. Creates the shard when
   * `expected` is undefined. Returns false when the condition failed (read again).
   */
  setLimits(
    campaignId: string,
    shard: number,
    next: ShardLimits,
    expected: CapShardState | undefined,
  ): Promise<boolean>;
}

/** `open`: room any enrollment may take; `held`: room a raise keeps for promotions from the waitlist. */
export type CapPool = 'open' | 'held';

/** Where an enrollment stands against the caps; absent on enrollments made before caps held. */
export type CapState = 'reserving' | 'enrolled' | 'waitlisted';

/**
 * The enrollment item. A registration's enrollment is created once its reservation is known
 * (`enrolled` on the payments index, or `waitlisted`); a promotion moves a waitlisted one through
 * `reserving` (still on the waitlist index, so a re-run finds it) to `enrolled`.
 */
export interface EnrollmentClaims {
  /**
   * One consistent batch read: the enrollment if there is one, and the household's home cap shard
   * (whose last holder tells a redelivery whether its reservation landed).
   */
  lookup(
    enrollment: Enrollment,
    homeShard: number,
  ): Promise<{ existing?: Enrollment; homeShard?: CapShardState }>;
  /** Conditional create (state `enrolled` or `waitlisted`); returns the enrollment already there otherwise. */
  create(enrollment: Enrollment): Promise<{ created: true } | { created: false; existing: Enrollment }>;
  /** Settles a promotion's claim (conditional on state `reserving` and its `claimId`). */
  settle(enrollment: Enrollment, state: 'enrolled' | 'waitlisted'): Promise<void>;
  /** Turns a waitlisted enrollment into a promotion's claim (`waitlisted` to `reserving`); false if it changed. */
  reclaim(enrollment: Enrollment, claimId: string): Promise<boolean>;
  /** The oldest waitlisted enrollments of a campaign (and promotions in progress), oldest first. */
  waitlist(campaignId: string, limit: number): Promise<Enrollment[]>;
}
