import type { QueueDepth } from '@madad/adapters';
import { type BudgetState, type Campaign, GLOBAL_STATS } from '@madad/core';
import type { ApiDeps } from '../../deps.js';
import { summariseStats } from '../../stats-summary.js';
import { fillMinutes, type MinutePoint } from './rate-chart.js';

export interface DashboardData {
  readonly campaign: Campaign;
  readonly at: string;
  readonly tiles: {
    readonly received: number;
    readonly decided: number;
    readonly eligible: number;
    /** Eligible, past the household maximum or the budget: promoted if a cap is raised. */
    readonly waitlisted: number;
    readonly pending: number;
    readonly vertical: number;
    readonly queued: number;
    readonly deadLetters: number;
    /** Decisions outside any campaign (flags, unknown CNICs, no campaign): all campaigns share them. */
    readonly outside: number;
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
  const [counters, global, queues, rate, budget] = await Promise.all([
    deps.stats.read(id),
    deps.stats.read(GLOBAL_STATS),
    deps.queueDepths(),
    deps.registrationRate.readPerMinute(id, from, now),
    deps.payments.budget.read(id),
  ]);
  const summary = summariseStats(campaign, counters);
  const channel = summary.byChannel;
  const registrations = queues.registrations;
  return {
    campaign,
    at: now.toISOString(),
    tiles: {
      received: (channel.sms ?? 0) + (channel.web ?? 0),
      decided: summary.decided,
      eligible: summary.byStatus.ELIGIBLE ?? 0,
      waitlisted: summary.byStatus.WAITLISTED ?? 0,
      pending: summary.byStatus.PENDING_VERIFICATION ?? 0,
      vertical: channel.vertical ?? 0,
      queued: registrations ? registrations.visible + registrations.inFlight : 0,
      deadLetters: Object.values(queues).reduce((sum, q) => sum + Math.max(0, q.deadLetters), 0),
      outside: global.decided ?? 0,
    },
    summary,
    budget,
    queues,
    perMinute: fillMinutes(rate, from, now),
  };
}
