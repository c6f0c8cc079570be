import {
  type ActivationPageRecord,
  type ActivationWork,
  type AreaIndex,
  type Campaign,
  type ExpandDeps,
  expandWorkItem,
  type HouseholdRecord,
  InjectedCrashError,
  planActivation,
  readActivationProgress,
  ruleSetVersionOf,
  setCrashHook,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryEnrollmentStore } from '../../support/cap-fakes.js';

const TOP_UP = 6000;
const THRESHOLD = 32;
const CAMPAIGN: Campaign = {
  campaignId: 'C-CARRY',
  name: 'Carry floods',
  nameUr: 'سیلاب',
  shockType: 'flood',
  areas: [{ district: 'Dadu' }, { district: 'Jacobabad' }],
  opensAt: '2026-08-01T00:00:00Z',
  closesAt: '2026-09-30T00:00:00Z',
  rules: {
    pmtThreshold: THRESHOLD,
    exclusionFilters: [],
    amounts: { topUp: TOP_UP, newBeneficiary: 12_000 },
    regularProgramme: 'KAFAALAT',
  },
  notifyTopUps: true,
  limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
  status: 'active',
  ruleSetVersion: ruleSetVersionOf('C-CARRY', 1),
  createdBy: 'cell',
  createdAt: '2026-08-01T00:00:00Z',
  maxHouseholds: 100_000,
  budgetCap: 1e12,
  capShards: 4,
} as Campaign;

/** 270 households over two districts, scores 0 to 50 (about two thirds at or below the threshold). */
function registry(): HouseholdRecord[] {
  return Array.from({ length: 270 }, (_, i) => ({
    householdId: `HH-${String(i).padStart(4, '0')}`,
    province: 'Sindh',
    district: i % 2 === 0 ? 'Dadu' : 'Jacobabad',
    tehsil: 'Town',
    pmtScore: Math.round((((i * 37) % 5000) / 100) * 100) / 100,
    programmes: ['KAFAALAT'],
    members: [{ cnicHash: `payee-${i}`, relation: 'head', gender: 'female', exclusions: [] }],
    phones: [`+92300${String(1000000 + i)}`],
    status: 'active',
  }));
}

/** The byDistrict index as DynamoDB reads it: sorted by score then id, a range, a page and a cursor. */
function areaIndexOf(households: HouseholdRecord[]): AreaIndex {
  const key = (h: HouseholdRecord) => `${h.pmtScore.toFixed(2).padStart(6, '0')}#${h.householdId}`;
  return {
    page: async ({ district, minScore, maxScore, cursor, limit }) => {
      const inRange = households
        .filter((h) => h.district === district && h.pmtScore <= maxScore && h.pmtScore >= (minScore ?? 0))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
      const from = cursor ? inRange.findIndex((h) => key(h) > cursor) : 0;
      const start = from < 0 ? inRange.length : from;
      const page = inRange.slice(start, start + limit);
      const last = page.at(-1);
      const more = last !== undefined && inRange.indexOf(last) < inRange.length - 1;
      return { households: page, ...(more && last ? { cursor: key(last) } : {}) };
    },
  };
}

/** One work item per district (one band each, so each item is a chain of pages), in memory. */
function world() {
  const households = registry();
  const store = memoryEnrollmentStore();
  const counted = new Map<string, number>();
  const pageRecords = new Map<string, ActivationPageRecord>();
  const queue: ActivationWork[] = planActivation(CAMPAIGN, THRESHOLD, 1);
  let queued = 0;
  const deps: ExpandDeps = {
    campaigns: { get: async () => ({ ...CAMPAIGN, revision: 1 }) },
    areaIndex: areaIndexOf(households),
    enrollments: store,
    pageEnrollments: store.pageDeps(4),
    stats: {
      add: async (_id, counters) => {
        for (const [k, v] of Object.entries(counters)) counted.set(k, (counted.get(k) ?? 0) + Number(v));
      },
    },
    replies: { enqueue: async () => undefined },
    next: {
      enqueueAll: async (items) => {
        queued += items.length;
        queue.push(...items);
      },
    },
    progress: {
      recordPage: async (campaignId, page) => {
        const key = `${campaignId}/${page.item}/${page.page}`;
        if (!pageRecords.has(key)) pageRecords.set(key, page);
      },
      pages: async () => [...pageRecords.values()],
    },
    clock: { now: () => new Date('2026-08-20T10:00:00Z') },
    pageSize: 9,
  };
  /** Two workers take items until none is left; an item that crashed goes back as it was received. */
  const drain = async (carryOn: () => boolean) => {
    let crashes = 0;
    const worker = async () => {
      for (let work = queue.shift(); work; work = queue.shift()) {
        try {
          await expandWorkItem(deps, work, carryOn);
        } catch (error) {
          if (!(error instanceof InjectedCrashError)) throw error;
          crashes++;
          queue.push(work);
        }
      }
    };
    while (queue.length > 0) await Promise.all([worker(), worker()]);
    return crashes;
  };
  const eligible = households.filter((h) => h.pmtScore <= THRESHOLD).map((h) => h.householdId);
  const inDadu = households.filter((h) => h.pmtScore <= THRESHOLD && h.district === 'Dadu').length;
  // Pages of 9 each district's households at or below the threshold make.
  const pages = {
    dadu: Math.ceil(inDadu / 9),
    all: Math.ceil(inDadu / 9) + Math.ceil((eligible.length - inDadu) / 9),
  };
  return { deps, store, queue, drain, counted, eligible, inDadu, pages, queued: () => queued };
}

/** Crashes at `point` on every `nth` pass, `times` times: past the first page of a chain, not only on it. */
function crashEveryNth(point: string, nth: number, times: number) {
  let passes = 0;
  let left = times;
  return (reached: string) => {
    if (reached !== point) return;
    passes++;
    if (passes % nth === 0 && left > 0) {
      left--;
      throw new InjectedCrashError(point);
    }
  };
}

afterEach(() => {
  setCrashHook(undefined);
});

describe('expandWorkItem (an item carried on page after page in one invocation)', () => {
  it('expands every page of an item in one call while there is time, and queues no page', async () => {
    // Arrange
    const w = world();
    const [dadu] = w.queue.splice(0, 1);

    // Act
    const run = await expandWorkItem(w.deps, dadu as ActivationWork, () => true);

    // Assert: every page of Dadu's in this call, none queued.
    expect(w.pages.dadu).toBeGreaterThan(5);
    expect(run).toMatchObject({ pages: w.pages.dadu, enrolled: w.inDadu, queuedNext: false });
    expect(w.queued()).toBe(0);
    const progress = await readActivationProgress({ progress: w.deps.progress ?? fail() }, 'C-CARRY');
    expect(progress).toMatchObject({ items: 2, itemsDone: 1, pages: w.pages.dadu, households: w.inDadu });
  });

  it('queues the next page once the time is up, and the queued page goes on from there', async () => {
    // Arrange: time for two more pages after the first.
    const w = world();
    let asks = 0;

    // Act
    const run = await expandWorkItem(w.deps, w.queue.shift() as ActivationWork, () => ++asks <= 2);
    const crashes = await w.drain(() => false);

    // Assert
    expect(run).toMatchObject({ pages: 3, queuedNext: true });
    expect(crashes).toBe(0);
    const enrolled = w.store.claims.payable('C-CARRY').map((e) => e.householdId);
    expect([...enrolled].sort()).toEqual([...w.eligible].sort());
    const progress = await readActivationProgress({ progress: w.deps.progress ?? fail() }, 'C-CARRY');
    expect(progress).toMatchObject({
      itemsDone: 2,
      pages: w.pages.all,
      households: w.eligible.length,
      done: true,
    });
  });

  for (const point of [
    'enroll-page.after-reserve',
    'expand.after-enroll',
    'expand.after-notices',
    'expand.after-progress',
  ]) {
    it(`converges after crashes at ${point} mid-chain: each household enrolled and counted once, caps exact`, async () => {
      // Arrange: every third page to reach the step crashes there (5 in all), deep in its chain.
      const w = world();
      setCrashHook(crashEveryNth(point, 3, 5));

      // Act
      const crashes = await w.drain(() => true);

      // Assert
      expect(crashes).toBe(5);
      const enrolled = w.store.claims.payable('C-CARRY').map((e) => e.householdId);
      expect(new Set(enrolled).size).toBe(enrolled.length);
      expect([...enrolled].sort()).toEqual([...w.eligible].sort());
      expect(w.store.caps.committed('C-CARRY')).toEqual({
        households: w.eligible.length,
        amount: w.eligible.length * TOP_UP,
      });
      expect(w.store.caps.openHolds('C-CARRY')).toBe(0);
      expect(w.counted.get('status:ELIGIBLE')).toBe(w.eligible.length);
      const progress = await readActivationProgress({ progress: w.deps.progress ?? fail() }, 'C-CARRY');
      expect(progress).toMatchObject({
        itemsDone: 2,
        pages: w.pages.all,
        households: w.eligible.length,
        done: true,
      });
    });
  }
});

function fail(): never {
  throw new Error('no progress store');
}
