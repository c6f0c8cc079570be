import type { ApiDeps } from '../deps.js';
import { summariseStats } from '../stats-summary.js';
import { type PublicCampaignFigures, publicFigures } from './campaign-page.js';

const CAMPAIGN_ID = /^C-[A-Z0-9]{1,40}$/;
const TTL_MS = 15_000;
const MAX_CACHED = 200;

/**
 * Reads a campaign's public figures as of the start of the hour (what every batch had added by
 * then), cached for 15 seconds in this process: a popular transparency page must not turn every
 * visit into a read of all counter shards. Drafts are not public.
 */
export function campaignFiguresReader(
  deps: Pick<ApiDeps, 'campaigns' | 'stats' | 'payments' | 'clock'>,
): (campaignId: string) => Promise<PublicCampaignFigures | undefined> {
  const cache = new Map<string, { until: number; figures: PublicCampaignFigures }>();
  return async (campaignId) => {
    if (!CAMPAIGN_ID.test(campaignId)) return undefined;
    const now = deps.clock.now();
    const cached = cache.get(campaignId);
    if (cached && cached.until > now.getTime()) return cached.figures;
    const campaign = await deps.campaigns.get(campaignId);
    if (!campaign || campaign.status === 'draft') return undefined;
    const [published, budget] = await Promise.all([
      deps.stats.readAsOfHour(campaignId),
      deps.payments.budget.read(campaignId),
    ]);
    const figures = publicFigures(
      campaign,
      summariseStats(campaign, published.counters),
      { households: budget.paidHouseholds, amount: budget.paid },
      published.asOf,
    );
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(campaignId, { until: now.getTime() + TTL_MS, figures });
    return figures;
  };
}
