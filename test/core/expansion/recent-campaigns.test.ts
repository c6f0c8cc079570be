import { type Campaign, recentCampaigns } from '@madad/core';
import { describe, expect, it } from 'vitest';

/** A campaign store that counts its reads; its campaign's status can be changed between reads. */
function countingStore() {
  let reads = 0;
  let status: Campaign['status'] = 'active';
  let failNext = false;
  return {
    store: {
      get: async (campaignId: string) => {
        reads++;
        if (failNext) {
          failNext = false;
          throw new Error('throttled');
        }
        return { campaignId, status, revision: reads } as Partial<Campaign> as Campaign & {
          revision: number;
        };
      },
    },
    reads: () => reads,
    close: () => {
      status = 'closed';
    },
    failOnce: () => {
      failNext = true;
    },
  };
}

function clockAt(start: number) {
  let now = start;
  return {
    clock: { now: () => new Date(now) },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('recentCampaigns', () => {
  it('reads a campaign once for all the pages that ask within the time, at once or one after another', async () => {
    const s = countingStore();
    const t = clockAt(0);
    const campaigns = recentCampaigns(s.store, t.clock, 2000);

    const many = await Promise.all(Array.from({ length: 10 }, () => campaigns.get('C-1')));
    t.advance(1999);
    const later = await campaigns.get('C-1');

    expect(s.reads()).toBe(1);
    expect(new Set([...many, later].map((c) => c?.revision))).toEqual(new Set([1]));
  });

  it('sees a campaign closed since, once the time has passed', async () => {
    const s = countingStore();
    const t = clockAt(0);
    const campaigns = recentCampaigns(s.store, t.clock, 2000);
    await campaigns.get('C-1');

    s.close();
    t.advance(2000);
    const after = await campaigns.get('C-1');

    expect(after?.status).toBe('closed');
    expect(s.reads()).toBe(2);
  });

  it('keeps no failed read: the next page reads again', async () => {
    const s = countingStore();
    const t = clockAt(0);
    const campaigns = recentCampaigns(s.store, t.clock, 2000);
    s.failOnce();

    await expect(campaigns.get('C-1')).rejects.toThrow('throttled');
    const retried = await campaigns.get('C-1');

    expect(retried?.status).toBe('active');
    expect(s.reads()).toBe(2);
  });

  it('reads each campaign for itself', async () => {
    const s = countingStore();
    const campaigns = recentCampaigns(s.store, clockAt(0).clock, 2000);

    const [a, b] = await Promise.all([campaigns.get('C-1'), campaigns.get('C-2')]);

    expect([a?.campaignId, b?.campaignId]).toEqual(['C-1', 'C-2']);
    expect(s.reads()).toBe(2);
  });
});
