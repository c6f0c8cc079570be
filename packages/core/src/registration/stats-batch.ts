import type { Decision } from '../eligibility/decision.js';

/** Counters of decisions not tied to a campaign (no campaign in force, invalid requests). */
export const GLOBAL_STATS = '_global';

/**
 * Counts a batch's decisions in memory, so that the batch ends with one counter update per campaign
 * (into a random shard) instead of one write per registration on a single hot item.
 */
export class StatsBatch {
  private readonly byCampaign = new Map<string, Map<string, number>>();
  /** Per campaign: decisions per minute, keyed `YYYY-MM-DDTHH:MM` (UTC). */
  private readonly byMinute = new Map<string, Map<string, number>>();

  /**
   * Counts one decision under `countedUnder` when given (see `campaignCountedUnder`: a registrant
   * pending verification counts under the campaign they registered during), else its own campaign.
   */
  count(decision: Decision | undefined, channel: string, countedUnder?: string): void {
    if (!decision) return;
    const campaignId = countedUnder ?? decision.campaignId ?? GLOBAL_STATS;
    const counters = this.counters(campaignId);
    const district = typeof decision.inputs.district === 'string' ? decision.inputs.district : undefined;
    this.bump(counters, 'decided');
    this.bump(counters, `channel:${channel}`);
    this.bump(counters, `status:${decision.status}`);
    for (const reason of decision.reasons) this.bump(counters, `reason:${reason}`);
    if (district) this.bump(counters, `district:${district}:${decision.status}`);
    const tehsil = typeof decision.inputs.tehsil === 'string' ? decision.inputs.tehsil : undefined;
    if (district && tehsil) this.bump(counters, `tehsil:${district}/${tehsil}:${decision.status}`);
    // Registrations only (not vertical expansion), by the minute they were decided: the dashboard's rate.
    if (channel !== 'vertical') {
      this.bump(this.counters(campaignId, this.byMinute), decision.decidedAt.slice(0, 16));
    }
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

  /** Registrations per minute to add, per campaign (`YYYY-MM-DDTHH:MM` to count); empty when none. */
  drainPerMinute(): Map<string, Record<string, number>> {
    const out = new Map([...this.byMinute].map(([id, c]) => [id, Object.fromEntries(c)]));
    this.byMinute.clear();
    return out;
  }

  private counters(campaignId: string, from = this.byCampaign): Map<string, number> {
    let counters = from.get(campaignId);
    if (!counters) {
      counters = new Map();
      from.set(campaignId, counters);
    }
    return counters;
  }

  private bump(counters: Map<string, number>, name: string, by = 1): void {
    counters.set(name, (counters.get(name) ?? 0) + by);
  }
}
