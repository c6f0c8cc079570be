import type { CampaignRepository } from '../campaigns/campaign-service.js';
import type { Clock } from '../time/clock.js';

type CampaignReader = Pick<CampaignRepository, 'get'>;

/**
 * The campaign store's `get` with each campaign read at most once per `maxAgeMs` (reads in flight
 * shared; a failed read is not kept): an activation's pages, many at once in one worker, read their
 * campaign once in that time instead of once a page. A campaign closed or changed is seen by the
 * worker's next pages within `maxAgeMs`, about the time a page under way takes anyway; the caps are
 * not loosened by it (each enrollment is a conditional write against its cap shard's room).
 */
export function recentCampaigns(store: CampaignReader, clock: Clock, maxAgeMs: number): CampaignReader {
  const kept = new Map<string, { readonly at: number; readonly read: ReturnType<CampaignReader['get']> }>();
  return {
    get: (campaignId) => {
      const now = clock.now().getTime();
      const hit = kept.get(campaignId);
      if (hit && now - hit.at < maxAgeMs) return hit.read;
      const read = store.get(campaignId);
      kept.set(campaignId, { at: now, read });
      read.catch(() => {
        if (kept.get(campaignId)?.read === read) kept.delete(campaignId);
      });
      return read;
    },
  };
}
