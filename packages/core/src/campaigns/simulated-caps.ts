import type { ShardLimits } from './cap-shards.js';
import type { CapLedger, CapPool, CapShardState } from './ports.js';

type MutableShard = { -readonly [K in keyof CapShardState]: CapShardState[K] };

/**
 * A copy of a campaign's cap shards in memory, changed by reservations as the stored shards would
 * be (the same condition: one household and the amount must fit the pool), so an impact preview
 * can run the enrollment's own reservation steps without writing anything.
 */
export class SimulatedCapLedger implements CapLedger {
  private readonly shards = new Map<number, MutableShard>();

  constructor(states: readonly (CapShardState | undefined)[]) {
    for (const state of states) if (state) this.shards.set(state.shard, { ...state });
  }

  /** The home shard as `EnrollmentClaims.lookup` reports it. */
  homeShard(_campaignId: string, shard: number): { homeShard?: CapShardState } {
    const state = this.shards.get(shard);
    return state ? { homeShard: { ...state } } : {};
  }

  async reserve(
    _campaignId: string,
    shard: number,
    amount: number,
    holder: string,
    init: ShardLimits,
    pool: CapPool = 'open',
  ): Promise<boolean> {
    const state = this.shards.get(shard) ?? fresh(shard, init);
    this.shards.set(shard, state);
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

  async release(_campaignId: string, shard: number, amount: number): Promise<void> {
    const state = this.shards.get(shard);
    if (!state) return;
    state.remainingHouseholds += 1;
    state.remainingBudget += amount;
    state.households -= 1;
    state.committed -= amount;
    delete state.lastHolder;
  }

  async releaseHeld(): Promise<boolean> {
    return false;
  }

  async setLimits(): Promise<boolean> {
    return false;
  }

  async read(_campaignId: string, shards: number): Promise<(CapShardState | undefined)[]> {
    return Array.from({ length: shards }, (_, s) => {
      const state = this.shards.get(s);
      return state ? { ...state } : undefined;
    });
  }
}

function fresh(shard: number, init: ShardLimits): MutableShard {
  return {
    shard,
    ...init,
    remainingHouseholds: init.maxHouseholds,
    remainingBudget: init.budget,
    heldHouseholds: 0,
    heldBudget: 0,
    households: 0,
    committed: 0,
  };
}
