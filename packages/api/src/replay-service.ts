import {
  addTallies,
  type Campaign,
  EMPTY_TALLY,
  NotFoundError,
  type ReplayDecisionsPort,
  type ReplayReport,
  type ReplayTally,
  replayRecords,
  STATS_SHARDS,
} from '@madad/core';

export interface ReplayPreviewDeps {
  readonly campaigns: { get(id: string): Promise<Campaign | undefined> };
  readonly decisions: Pick<ReplayDecisionsPort, 'decisionsPage'>;
}

/**
 * Rules replay preview: re-evaluates up to `limit` of a campaign's past decisions under its current
 * rule-set version and reports what would change, changing nothing. It reads the decisions by index
 * (a campaign's shards), page by page, in the request: bounded by `limit`, `truncated` past it.
 * A replay with apply is a queued job instead (`startReplay`).
 */
export async function previewReplay(
  deps: ReplayPreviewDeps,
  campaignId: string,
  options: { limit: number },
): Promise<ReplayReport> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  let tally: ReplayTally = EMPTY_TALLY;
  let truncated = false;
  for (let shard = 0; shard < STATS_SHARDS && !truncated; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const room = options.limit - tally.examined;
      const page = await deps.decisions.decisionsPage(campaignId, shard, cursor, Math.min(room, 1000));
      cursor = page.cursor;
      tally = addTallies(tally, await replayRecords(campaign, page.items));
      truncated = tally.examined >= options.limit && (cursor !== undefined || shard < STATS_SHARDS - 1);
    } while (cursor && !truncated);
  }
  return { campaignId, ruleSetVersion: campaign.ruleSetVersion, ...tally, applied: false, truncated };
}
