import type { Decision } from './decision.js';

/** Counters of decisions not tied to a campaign (no campaign in force, invalid requests). */
export const GLOBAL_STATS = '_global';

/**
 * Counts a batch's decisions in memory, so that the batch ends with one counter update per campaign
 * (into a random shard) instead of one write per registration on a single hot item.
 */
export class StatsBatch {
  private readonly byCampaign = new Map<string, Map<string, number>>();

  count(decision: Decision | undefined, channel: string): void {
    if (!decision) return;
    const counters = this.counters(decision.campaignId ?? GLOBAL_STATS);
    const district = typeof decision.inputs.district === 'string' ? decision.inputs.district : undefined;
    this.bump(counters, 'decided');
    this.bump(counters, `channel:${channel}`);
    this.bump(counters, `status:${decision.status}`);
    for (const reason of decision.reasons) this.bump(counters, `reason:${reason}`);
    if (district) this.bump(counters, `district:${district}:${decision.status}`);
    if (decision.status === 'ELIGIBLE' && decision.category) {
      this.bump(counters, `category:${decision.category}`);
      this.bump(counters, 'committedAmount', decision.amount ?? 0);
      if (district) this.bump(counters, `district:${district}:amount`, decision.amount ?? 0);
    }
  }

  /** The counters to add, per campaign; empty when nothing was counted. */
  drain(): Map<string, Record<string, number>> {
    const out = new Map([...this.byCampaign].map(([id, c]) => [id, Object.fromEntries(c)]));
    this.byCampaign.clear();
    return out;
  }

  private counters(campaignId: string): Map<string, number> {
    let counters = this.byCampaign.get(campaignId);
    if (!counters) {
      counters = new Map();
      this.byCampaign.set(campaignId, counters);
    }
    return counters;
  }

  private bump(counters: Map<string, number>, name: string, by = 1): void {
    counters.set(name, (counters.get(name) ?? 0) + by);
  }
}
