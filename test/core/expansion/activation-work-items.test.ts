import {
  type ActivationPageRecord,
  type ActivationWork,
  type AreaIndex,
  type Campaign,
  capShardsFor,
  crashOnceAt,
  type ExpandDeps,
  expandArea,
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

function campaign(): Campaign {
  const declared = {
    campaignId: 'C-BANDS',
    name: 'Band floods',
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
    ruleSetVersion: ruleSetVersionOf('C-BANDS', 1),
    createdBy: 'cell',
    createdAt: '2026-08-01T00:00:00Z',
    maxHouseholds: 100_000,
    budgetCap: 1e12,
  } as Campaign;
  return { ...declared, capShards: capShardsFor(declared) };
}

/** Households over both districts, scores from 0 to 50 in steps of 0.37 (a third above the threshold). */
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
      const start = cursor ? inRange.findIndex((h) => key(h) > cursor) : 0;
      const page = inRange.slice(
        start < 0 ? inRange.length : start,
        (start < 0 ? inRange.length : start) + limit,
      );
      const last = page.at(-1);
      const more = last !== undefined && inRange.indexOf(last) < inRange.length - 1;
      return { households: page, ...(more && last ? { cursor: key(last) } : {}) };
    },
  };
}

/** The activation queue and its workers, in memory: a record that throws comes back, as SQS redelivers. */
function world() {
  const households = registry();
  const store = memoryEnrollmentStore();
  const pageRecords = new Map<string, ActivationPageRecord>();
  const counted = new Map<string, number>();
  const queue: ActivationWork[] = [];
  const deps: ExpandDeps = {
    campaigns: { get: async () => ({ ...campaign(), revision: 1 }) },
    areaIndex: areaIndexOf(households),
    enrollments: store,
    stats: {
      add: async (_id, counters) => {
        for (const [k, v] of Object.entries(counters)) counted.set(k, (counted.get(k) ?? 0) + Number(v));
      },
    },
    replies: { enqueue: async () => undefined },
    next: { enqueueAll: async (items) => void queue.push(...items) },
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
  /** Four workers take items off the queue until it is empty; a crashed item goes back on it. */
  const drain = async () => {
    let crashes = 0;
    const worker = async () => {
      for (let work = queue.shift(); work; work = queue.shift()) {
        try {
          await expandArea(deps, work);
        } catch (error) {
          if (!(error instanceof InjectedCrashError)) throw error;
          crashes++;
          queue.push(work);
        }
      }
    };
    // Workers that find the queue empty while another is mid-page would stop early: go round again.
    while (queue.length > 0) await Promise.all([worker(), worker(), worker(), worker()]);
    return crashes;
  };
  const eligible = households.filter((h) => h.pmtScore <= THRESHOLD).map((h) => h.householdId);
  return { deps, store, queue, drain, counted, eligible };
}

afterEach(() => {
  setCrashHook(undefined);
});

describe('activation in work items', () => {
  it('plans score bands per area that cover every hundredth from 0 to the threshold once', () => {
    const plan = planActivation(campaign(), 32.57, 8);

    expect(plan).toHaveLength(16);
    expect(plan.map((w) => w.item)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (const district of ['Dadu', 'Jacobabad']) {
      const cents = plan
        .filter((w) => w.district === district)
        .flatMap((w) =>
          w.band
            ? Array.from(
                { length: w.band.toCents - w.band.fromCents + 1 },
                (_, k) => (w.band?.fromCents ?? 0) + k,
              )
            : [],
        );
      expect(cents).toEqual(Array.from({ length: 3258 }, (_, k) => k));
    }
  });

  it('enrolls every eligible household once with items in parallel, and reports it done', async () => {
    const w = world();
    w.queue.push(...planActivation(campaign(), THRESHOLD));

    await w.drain();

    const enrolled = w.store.claims
      .payable('C-BANDS')
      .map((e) => e.householdId)
      .sort();
    expect(enrolled).toEqual([...w.eligible].sort());
    const progress = await readActivationProgress({ progress: w.deps.progress ?? fail() }, 'C-BANDS');
    expect(progress).toMatchObject({ items: 16, itemsDone: 16, households: w.eligible.length, done: true });
  });

  for (const point of ['expand.after-enroll', 'expand.after-notices', 'expand.after-progress']) {
    it(`converges after crashes at ${point}: each household enrolled and counted once`, async () => {
      // Arrange: the step crashes on its first 5 passes, whichever items reach it.
      const w = world();
      w.queue.push(...planActivation(campaign(), THRESHOLD));
      setCrashHook(crashOnceAt(point, 5));

      // Act
      const crashes = await w.drain();

      // Assert
      expect(crashes).toBe(5);
      const enrolled = w.store.claims.payable('C-BANDS').map((e) => e.householdId);
      expect(new Set(enrolled).size).toBe(enrolled.length);
      expect([...enrolled].sort()).toEqual([...w.eligible].sort());
      expect(w.store.caps.committed('C-BANDS')).toEqual({
        households: w.eligible.length,
        amount: w.eligible.length * TOP_UP,
      });
      expect(w.counted.get('status:ELIGIBLE')).toBe(w.eligible.length);
      const progress = await readActivationProgress({ progress: w.deps.progress ?? fail() }, 'C-BANDS');
      expect(progress).toMatchObject({ itemsDone: 16, households: w.eligible.length, done: true });
    });
  }
});

function fail(): never {
  throw new Error('no progress store');
}
