import {
  type CampaignLimits,
  type CapPool,
  type CapShardState,
  type Enrollment,
  type EnrollmentClaims,
  type EnrollmentStore,
  type EnrollPageDeps,
  enrollmentKey,
  enrollWithinCaps,
  type PageCapLedger,
  type PageHold,
  type ShardLimits,
} from '@madad/core';

type MutableShard = { -readonly [K in keyof CapShardState]: CapShardState[K] };

/** Cap shards in memory, with the same conditions as the DynamoDB adapter's single-item writes. */
export class MemoryCapLedger implements PageCapLedger {
  readonly shards = new Map<string, MutableShard>();
  /** Reservation writes attempted (successful or refused), to prove repeats never touch the shards. */
  reserveCalls = 0;
  /** Page reservations attempted (successful or refused). */
  reservePageCalls = 0;

  async reservePage(campaignId: string, shard: number, holder: string, hold: PageHold, init: ShardLimits) {
    this.reservePageCalls++;
    const key = `${campaignId}#${shard}`;
    if (!this.shards.has(key)) this.shards.set(key, fresh(shard, init));
    const state = this.shards.get(key) as MutableShard;
    if (state.remainingHouseholds < hold.households || state.remainingBudget < hold.amount) return false;
    if (state.holds?.[holder]) return false;
    state.remainingHouseholds -= hold.households;
    state.remainingBudget -= hold.amount;
    state.households += hold.households;
    state.committed += hold.amount;
    state.holds = { ...state.holds, [holder]: { ...hold } };
    return true;
  }

  async settlePage(
    campaignId: string,
    shard: number,
    holder: string,
    unused: { households: number; amount: number },
  ) {
    const state = this.shards.get(`${campaignId}#${shard}`);
    if (!state?.holds?.[holder]) return;
    state.remainingHouseholds += unused.households;
    state.remainingBudget += unused.amount;
    state.households -= unused.households;
    state.committed -= unused.amount;
    const { [holder]: _settled, ...rest } = state.holds;
    state.holds = rest;
  }

  /** Page holds not yet settled, over all of a campaign's shards. */
  openHolds(campaignId: string): number {
    return [...this.shards.entries()]
      .filter(([k]) => k.startsWith(`${campaignId}#`))
      .reduce((n, [, s]) => n + Object.keys(s.holds ?? {}).length, 0);
  }

  async reserve(
    campaignId: string,
    shard: number,
    amount: number,
    holder: string,
    init: ShardLimits,
    pool: CapPool = 'open',
  ) {
    this.reserveCalls++;
    const key = `${campaignId}#${shard}`;
    if (!this.shards.has(key)) this.shards.set(key, fresh(shard, init));
    const state = this.shards.get(key) as MutableShard;
    const [h, b] =
      pool === 'held'
        ? (['heldHouseholds', 'heldBudget'] as const)
        : (['remainingHouseholds', 'remainingBudget'] as const);
    if (state[h] < 1 || state[b] < amount) return false;
    state[h] -= 1;
    state[b] -= amount;
    state.households += 1;
    state.committed += amount;
    state.lastHolder = holder;
    return true;
  }

  async release(campaignId: string, shard: number, amount: number) {
    const state = this.shards.get(`${campaignId}#${shard}`);
    if (!state) return;
    state.remainingHouseholds += 1;
    state.remainingBudget += amount;
    state.households -= 1;
    state.committed -= amount;
    delete state.lastHolder;
  }

  async releaseHeld(campaignId: string, shard: number, expected: CapShardState) {
    const state = this.shards.get(`${campaignId}#${shard}`);
    if (!state) return expected.heldHouseholds === 0 && expected.heldBudget === 0;
    if (state.heldHouseholds !== expected.heldHouseholds || state.heldBudget !== expected.heldBudget)
      return false;
    state.remainingHouseholds += state.heldHouseholds;
    state.remainingBudget += state.heldBudget;
    state.heldHouseholds = 0;
    state.heldBudget = 0;
    return true;
  }

  async read(campaignId: string, shards: number) {
    return Array.from({ length: shards }, (_, s) => {
      const state = this.shards.get(`${campaignId}#${s}`);
      return state ? { ...state, ...(state.holds ? { holds: { ...state.holds } } : {}) } : undefined;
    });
  }

  async setLimits(campaignId: string, shard: number, next: ShardLimits, expected: CapShardState | undefined) {
    const key = `${campaignId}#${shard}`;
    const state = this.shards.get(key);
    if (!expected) {
      if (state) return false;
      this.shards.set(key, fresh(shard, next));
      return true;
    }
    if (!state || state.revision !== expected.revision) return false;
    const dh = next.maxHouseholds - expected.maxHouseholds;
    const db = next.budget - expected.budget;
    if (dh >= 0 && db >= 0) {
      // A raise holds all the free room for the waitlist until the promotion has run.
      if (state.heldHouseholds !== expected.heldHouseholds || state.heldBudget !== expected.heldBudget)
        return false;
      Object.assign(state, {
        maxHouseholds: next.maxHouseholds,
        budget: next.budget,
        revision: next.revision,
      });
      state.heldHouseholds += state.remainingHouseholds + dh;
      state.heldBudget += state.remainingBudget + db;
      state.remainingHouseholds = 0;
      state.remainingBudget = 0;
      return true;
    }
    if (state.remainingHouseholds < -dh || state.remainingBudget < -db) return false;
    Object.assign(state, { maxHouseholds: next.maxHouseholds, budget: next.budget, revision: next.revision });
    state.remainingHouseholds += dh;
    state.remainingBudget += db;
    return true;
  }

  /** Households and amount committed over all of a campaign's shards. */
  committed(campaignId: string): { households: number; amount: number } {
    const mine = [...this.shards.entries()].filter(([k]) => k.startsWith(`${campaignId}#`)).map(([, s]) => s);
    return {
      households: mine.reduce((n, s) => n + s.households, 0),
      amount: mine.reduce((n, s) => n + s.committed, 0),
    };
  }
}

function fresh(shard: number, limits: ShardLimits): MutableShard {
  return {
    shard,
    ...limits,
    remainingHouseholds: limits.maxHouseholds,
    remainingBudget: limits.budget,
    heldHouseholds: 0,
    heldBudget: 0,
    households: 0,
    committed: 0,
  };
}

/** Enrollment items in memory: claim, settle, reclaim and the waitlist in registration order. */
export class MemoryEnrollmentClaims implements EnrollmentClaims {
  readonly items = new Map<string, Enrollment>();

  /** Set by the caps fake it is built with: the lookup reads the home shard in the same step. */
  caps?: MemoryCapLedger;

  async lookup(enrollment: Enrollment, homeShard: number) {
    const existing = this.items.get(enrollmentKey(enrollment.campaignId, enrollment.householdId));
    const [shard] = (await this.caps?.read(enrollment.campaignId, homeShard + 1))?.slice(homeShard) ?? [];
    return { ...(existing ? { existing } : {}), ...(shard ? { homeShard: shard } : {}) };
  }

  async lookupPage(enrollments: readonly Enrollment[], homeShard: number) {
    const existing = new Map(
      enrollments.flatMap((e) => {
        const key = enrollmentKey(e.campaignId, e.householdId);
        const item = this.items.get(key);
        return item ? [[key, item] as const] : [];
      }),
    );
    const campaignId = enrollments[0]?.campaignId ?? '';
    const [shard] = (await this.caps?.read(campaignId, homeShard + 1))?.slice(homeShard) ?? [];
    return { existing, ...(shard ? { homeShard: shard } : {}) };
  }

  async create(enrollment: Enrollment) {
    const key = enrollmentKey(enrollment.campaignId, enrollment.householdId);
    const existing = this.items.get(key);
    if (existing) return { created: false as const, existing };
    this.items.set(key, enrollment);
    return { created: true as const };
  }

  async settle(enrollment: Enrollment, state: 'enrolled' | 'waitlisted') {
    const key = enrollmentKey(enrollment.campaignId, enrollment.householdId);
    const item = this.items.get(key);
    if (item?.capState !== 'reserving' || item.claimId !== enrollment.claimId) return;
    this.items.set(key, {
      ...item,
      capState: state,
      ...(enrollment.capShard === undefined ? {} : { capShard: enrollment.capShard }),
    });
  }

  async reclaim(enrollment: Enrollment, claimId: string) {
    const key = enrollmentKey(enrollment.campaignId, enrollment.householdId);
    const item = this.items.get(key);
    if (item?.capState !== 'waitlisted') return false;
    this.items.set(key, { ...item, capState: 'reserving', claimId });
    return true;
  }

  /** Waitlisted, and promotions in progress (a promotion's claim keeps its waitlist place). */
  async waitlist(campaignId: string, limit: number) {
    return [...this.items.values()]
      .filter(
        (e) =>
          e.campaignId === campaignId &&
          (e.capState === 'waitlisted' || (e.capState === 'reserving' && e.claimId?.includes('@promote-'))),
      )
      .sort((a, b) => `${a.enrolledAt}#${a.householdId}`.localeCompare(`${b.enrolledAt}#${b.householdId}`))
      .slice(0, limit);
  }

  /** What payment batches would see: enrollments settled as enrolled. */
  payable(campaignId: string): Enrollment[] {
    return [...this.items.values()].filter((e) => e.campaignId === campaignId && e.capState === 'enrolled');
  }

  inState(campaignId: string, state: Enrollment['capState']): Enrollment[] {
    return [...this.items.values()].filter((e) => e.campaignId === campaignId && e.capState === state);
  }
}

/** An EnrollmentStore over the fakes, enrolling through the core's `enrollWithinCaps`. */
export function memoryEnrollmentStore(
  caps = new MemoryCapLedger(),
  claims = new MemoryEnrollmentClaims(),
): EnrollmentStore & {
  caps: MemoryCapLedger;
  claims: MemoryEnrollmentClaims;
  pageDeps(concurrency: number): EnrollPageDeps;
} {
  claims.caps = caps;
  return {
    caps,
    claims,
    find: async (pairs) =>
      new Map(
        pairs.flatMap((p) => {
          const e = claims.items.get(enrollmentKey(p.campaignId, p.householdId));
          return e ? [[enrollmentKey(p.campaignId, p.householdId), e] as const] : [];
        }),
      ),
    enroll: (enrollment: Enrollment, limits: CampaignLimits) =>
      enrollWithinCaps({ claims, caps }, enrollment, limits),
    pageDeps: (concurrency: number) => ({ claims, caps, concurrency }),
  };
}
