import {
  type ActivationWork,
  type AreaIndex,
  type Campaign,
  crashOnceAt,
  type Enrollment,
  type ExpandDeps,
  expandArea,
  type HouseholdRecord,
  InjectedCrashError,
  type OutboundSms,
  planActivation,
  ruleSetVersionOf,
  setCrashHook,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryEnrollmentStore } from '../../support/cap-fakes.js';

const TOP_UP = 6000;
const THRESHOLD = 32;
const SMS_AMOUNT = 12_000;

function campaign(limits: { maxHouseholds: number; budgetCap: number; capShards: number }): Campaign {
  return {
    campaignId: 'C-PAGE',
    name: 'Page floods',
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }, { district: 'Jacobabad' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: THRESHOLD,
      exclusionFilters: [],
      amounts: { topUp: TOP_UP, newBeneficiary: SMS_AMOUNT },
      regularProgramme: 'KAFAALAT',
    },
    notifyTopUps: true,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: ruleSetVersionOf('C-PAGE', 1),
    createdBy: 'cell',
    createdAt: '2026-08-01T00:00:00Z',
    ...limits,
  } as Campaign;
}

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

/** The activation queue with four workers enrolling whole pages; a crashed page comes back. */
function world(limits: { maxHouseholds: number; budgetCap: number; capShards: number }) {
  const households = registry();
  const store = memoryEnrollmentStore();
  const counted = new Map<string, number>();
  const told: OutboundSms[] = [];
  const queue: ActivationWork[] = [];
  const deps: ExpandDeps = {
    campaigns: { get: async () => ({ ...campaign(limits), revision: 1 }) },
    areaIndex: areaIndexOf(households),
    enrollments: store,
    pageEnrollments: store.pageDeps(4),
    stats: {
      add: async (_id, counters) => {
        for (const [k, v] of Object.entries(counters)) counted.set(k, (counted.get(k) ?? 0) + Number(v));
      },
    },
    replies: { enqueue: async (messages) => void told.push(...messages) },
    next: { enqueueAll: async (items) => void queue.push(...items) },
    clock: { now: () => new Date('2026-08-20T10:00:00Z') },
    pageSize: 9,
  };
  let onCrash: () => void = () => undefined;
  const drain = async () => {
    let crashes = 0;
    const worker = async () => {
      for (let work = queue.shift(); work; work = queue.shift()) {
        try {
          await expandArea(deps, work);
        } catch (error) {
          if (!(error instanceof InjectedCrashError)) throw error;
          crashes++;
          onCrash();
          queue.push(work);
        }
      }
    };
    while (queue.length > 0) await Promise.all([worker(), worker(), worker(), worker()]);
    return crashes;
  };
  const eligible = households.filter((h) => h.pmtScore <= THRESHOLD).map((h) => h.householdId);
  queue.push(...planActivation(campaign(limits), THRESHOLD));
  return {
    deps,
    store,
    drain,
    counted,
    told,
    eligible,
    households,
    whenCrashed: (f: () => void) => {
      onCrash = f;
    },
  };
}

/** An SMS registrant outside the registry's regular programme, enrolled as a new beneficiary. */
function smsEnrollment(i: number): Enrollment {
  return {
    campaignId: 'C-PAGE',
    householdId: `SMS-${i}`,
    messageId: `m-${i}`,
    reference: `R-${i}`,
    cnicHash: `sms-${i}`,
    category: 'NEW_BENEFICIARY',
    amount: SMS_AMOUNT,
    district: 'Dadu',
    tehsil: 'Town',
    ruleSetVersion: ruleSetVersionOf('C-PAGE', 1),
    channel: 'sms',
    enrolledAt: '2026-08-20T10:00:00Z',
  };
}

const ROOMY = { maxHouseholds: 100_000, budgetCap: 1e12, capShards: 4 };

afterEach(() => {
  setCrashHook(undefined);
});

describe('activation pages enrolled with one reservation each', () => {
  it('reserves each page once, not each household, and settles every hold exactly', async () => {
    const w = world(ROOMY);

    await w.drain();

    const enrolled = w.store.claims.payable('C-PAGE').map((e) => e.householdId);
    expect([...enrolled].sort()).toEqual([...w.eligible].sort());
    expect(w.store.caps.reserveCalls).toBe(0);
    expect(w.store.caps.reservePageCalls).toBeLessThan(w.eligible.length / 4);
    expect(w.store.caps.committed('C-PAGE')).toEqual({
      households: w.eligible.length,
      amount: w.eligible.length * TOP_UP,
    });
    expect(w.store.caps.openHolds('C-PAGE')).toBe(0);
  });

  for (const point of [
    'enroll-page.after-reserve',
    'expand.after-enroll',
    'expand.after-notices',
    'expand.after-progress',
  ]) {
    it(`converges after crashes at ${point}: each household enrolled, counted and told once, no slot lost`, async () => {
      // Arrange: the first 6 pages to reach the step crash there.
      const w = world(ROOMY);
      setCrashHook(crashOnceAt(point, 6));

      // Act
      const crashes = await w.drain();

      // Assert
      expect(crashes).toBe(6);
      const enrolled = w.store.claims.payable('C-PAGE').map((e) => e.householdId);
      expect(new Set(enrolled).size).toBe(enrolled.length);
      expect([...enrolled].sort()).toEqual([...w.eligible].sort());
      expect(w.counted.get('status:ELIGIBLE')).toBe(w.eligible.length);
      // A notice queued again keeps its id: the aggregator takes each id once.
      const byId = new Map(w.told.map((m) => [m.id, m.to]));
      expect([...byId.values()].sort()).toEqual(
        w.households
          .filter((h) => h.pmtScore <= THRESHOLD)
          .map((h) => h.phones?.[0])
          .sort(),
      );
      expect(w.store.caps.committed('C-PAGE')).toEqual({
        households: w.eligible.length,
        amount: w.eligible.length * TOP_UP,
      });
      expect(w.store.caps.openHolds('C-PAGE')).toBe(0);
    });
  }

  it('never exceeds the cap when a crashed page comes back changed: its hold is dropped, not reused', async () => {
    // Arrange: a page is killed after its third enrollment; that household then leaves the registry,
    // so the page that comes back no longer shows everything its hold paid for.
    const w = world({ maxHouseholds: 150, budgetCap: 1e12, capShards: 2 });
    const create = w.store.claims.create.bind(w.store.claims);
    let created = 0;
    let gone: string | undefined;
    w.store.claims.create = async (enrollment) => {
      const result = await create(enrollment);
      if (result.created) created++;
      if (created === 3 && result.created && !gone) {
        gone = enrollment.householdId;
        throw new InjectedCrashError('test.mid-page');
      }
      return result;
    };
    w.whenCrashed(() => {
      w.households.splice(
        w.households.findIndex((h) => h.householdId === gone),
        1,
      );
    });

    // Act
    const crashes = await w.drain();

    // Assert: the ledger covers every payable household (it would count one short had the hold been reused).
    expect(crashes).toBe(1);
    const payable = w.store.claims.payable('C-PAGE');
    const committed = w.store.caps.committed('C-PAGE');
    expect(payable.map((e) => e.householdId)).toContain(gone);
    expect(committed.households).toBeLessThanOrEqual(150);
    expect(committed.households).toBeGreaterThanOrEqual(payable.length);
    expect(payable.length).toBeLessThanOrEqual(150);
    expect(w.store.caps.openHolds('C-PAGE')).toBe(0);
  });

  for (const cap of [
    { name: 'household maximum', limits: { maxHouseholds: 120, budgetCap: 1e12, capShards: 4 } },
    { name: 'budget', limits: { maxHouseholds: 100_000, budgetCap: 120 * TOP_UP, capShards: 4 } },
  ]) {
    it(`enrolls exactly up to the ${cap.name} with pages and SMS registrations at once, never over it`, async () => {
      // Arrange: 180 eligible households by activation, 40 SMS registrants (each worth two top-ups).
      const w = world(cap.limits);
      const limits = campaign(cap.limits);

      // Act: the activation's four workers and the SMS enrollments interleave.
      const sms = Array.from({ length: 40 }, (_, i) => w.store.enroll(smsEnrollment(i), limits));
      await Promise.all([w.drain(), ...sms]);

      // Assert
      const payable = w.store.claims.payable('C-PAGE');
      const committed = w.store.caps.committed('C-PAGE');
      const spent = payable.reduce((sum, e) => sum + e.amount, 0);
      expect(committed).toEqual({ households: payable.length, amount: spent });
      expect(payable.length).toBeLessThanOrEqual(cap.limits.maxHouseholds);
      expect(spent).toBeLessThanOrEqual(cap.limits.budgetCap);
      // Exactly at the cap: no one waits while a slot or a top-up's worth of budget is free.
      const waiting = w.store.claims.inState('C-PAGE', 'waitlisted');
      expect(payable.length + waiting.length).toBe(w.eligible.length + 40);
      if (cap.name === 'household maximum') expect(payable.length).toBe(120);
      else {
        // The budget is split over 4 shards: a top-up waits only when no shard has a top-up's worth.
        const shards = await w.store.caps.read('C-PAGE', 4);
        expect(waiting.some((e) => e.category === 'TOP_UP')).toBe(true);
        for (const shard of shards) expect(shard?.remainingBudget ?? 0).toBeLessThan(TOP_UP);
      }
      expect(new Set(payable.map((e) => e.householdId)).size).toBe(payable.length);
      expect(w.store.caps.openHolds('C-PAGE')).toBe(0);
    });
  }
});
