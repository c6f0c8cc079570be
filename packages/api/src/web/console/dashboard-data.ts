import type { QueueDepth } from '@madad/adapters';
import { type BudgetState, type Campaign, type CampaignFigures, campaignFigures } from '@madad/core';
import type { ApiDeps } from '../../deps.js';
import { summariseStats } from '../../stats-summary.js';
import { fillMinutes, type MinutePoint } from './rate-chart.js';

export interface DashboardData {
  readonly campaign: Campaign;
  readonly at: string;
  /** The campaign's defined figures (core `campaignFigures`), as the API and the public page give them. */
  readonly figures: CampaignFigures;
  readonly tiles: {
    readonly queued: number;
    readonly deadLetters: number;
  };
  readonly summary: ReturnType<typeof summariseStats>;
  readonly budget: BudgetState;
  readonly queues: Readonly<Record<string, QueueDepth>>;
  readonly perMinute: readonly MinutePoint[];
}

const WINDOW_MINUTES = 60;

/**
 * Everything the live dashboard shows, from the same sources as `GET /campaigns/{id}/stats` (sharded
 * counters, queue depths) plus the per-minute counters and the payment budget. A few key reads.
 */
export async function readDashboard(
  deps: Pick<ApiDeps, 'stats' | 'queueDepths' | 'registrationRate' | 'payments' | 'clock'>,
  campaign: Campaign,
): Promise<DashboardData> {
  const now = deps.clock.now();
  const from = new Date(now.getTime() - (WINDOW_MINUTES - 1) * 60_000);
  const id = campaign.campaignId;
  const [counters, queues, rate, budget] = await Promise.all([
    deps.stats.read(id),
    deps.queueDepths(),
    deps.registrationRate.readPerMinute(id, from, now),
    deps.payments.budget.read(id),
  ]);
  const summary = summariseStats(campaign, counters);
  const registrations = queues.registrations;
  return {
    campaign,
    at: now.toISOString(),
    figures: campaignFigures(counters, budget),
    tiles: {
      queued: registrations ? registrations.visible + registrations.inFlight : 0,
      deadLetters: Object.values(queues).reduce((sum, q) => sum + Math.max(0, q.deadLetters), 0),
    },
    summary,
    budget,
    queues,
    perMinute: fillMinutes(rate, from, now),
  };
}
