import {
  type Appeal,
  type Campaign,
  ConflictError,
  capShardsFor,
  changeLimits,
  countSegments,
  crashOnceAt,
  type DecisionOfRecord,
  type Enrollment,
  enrollWithinCaps,
  expandArea,
  flushReplies,
  type HouseholdRecord,
  hashCnic,
  InjectedCrashError,
  latestOf,
  type OutboundSms,
  parseRegistration,
  prepareBatch,
  type ReconcileDeps,
  type RegistrationRecord,
  type RegistryMatch,
  reconcileOne,
  resolveAppeal,
  ruleSetVersionOf,
  setCrashHook,
  sliceOf,
  startReplay,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';
import { MemoryCapLedger, MemoryEnrollmentClaims, memoryEnrollmentStore } from '../support/cap-fakes.js';
import { memoryReferences } from '../support/reference-fakes.js';
import { memoryReplayDecisions, memoryReplayJobs, memoryReplayQueue } from '../support/replay-fakes.js';

const PEPPER = 'unit-pepper-0123456789';
const TOP_UP = 6000;
const NEW_BENEFICIARY = 12000;

function campaignWith(limits: { maxHouseholds: number; budgetCap: number; capShards?: number }): Campaign {
  const declared = {
    campaignId: 'C-CAPS',
    name: 'Cap floods',
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: TOP_UP, newBeneficiary: NEW_BENEFICIARY },
      regularProgramme: 'KAFAALAT',
    },
    notifyTopUps: true,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: ruleSetVersionOf('C-CAPS', 1),
    createdBy: 'cell',
    createdAt: '2026-08-01T00:00:00Z',
    ...limits,
  } as Campaign;
  return { ...declared, capShards: limits.capShards ?? capShardsFor(declared) };
}

const cnicOf = (i: number) => `42301${String(i).padStart(7, '0')}2`;
const phoneOf = (i: number) => `+92300${String(1000000 + i)}`;

function householdOf(i: number, hash: string, programmes: string[] = []): HouseholdRecord {
  return {
    householdId: `HH-${String(i).padStart(3, '0')}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    pmtScore: 12,
    programmes,
    members: [{ cnicHash: hash, relation: 'head', gender: 'female', exclusions: [] }],
    phones: [phoneOf(i)],
    status: 'active',
  };
}

/** The reconciler's ports in memory; enrollments go through the core's caps over in-memory shards. */
function world(campaign: Campaign) {
  const registrations = new Map<string, RegistrationRecord>();
  const records = new Map<string, DecisionOfRecord>();
  const sent: OutboundSms[] = [];
  const store = memoryEnrollmentStore();
  const ledger = memoryAuditLog();
  let clock = Date.parse('2026-08-20T10:00:00Z');
  const now = () => new Date(clock);
  const matchOf = (hash: string): RegistryMatch => {
    const i = [...Array(500).keys()].find((n) => hashCnic(PEPPER, cnicOf(n)) === hash);
    if (i === undefined) return { exclusions: [] };
    return {
      exclusions: [],
      person: { cnicHash: hash, householdId: householdOf(i, hash).householdId, relation: 'head' },
      identity: { cnicHash: hash, status: 'ALIVE', simPhones: [] },
      household: householdOf(i, hash),
      decisionsOfRecord: [...records.values()].filter((d) => d.cnicHash === hash),
    };
  };
  const decisions = {
    put: async (d: DecisionOfRecord) => {
      const key = `${d.cnicHash}|${d.campaignId}`;
      if (records.get(key)?.decision.status !== 'ELIGIBLE') records.set(key, d);
    },
    latest: async (h: string) => latestOf([...records.values()].filter((d) => d.cnicHash === h)),
  };
  const replies = { enqueue: async (r: readonly OutboundSms[]) => void sent.push(...r) };
  const deps: ReconcileDeps = {
    pepper: PEPPER,
    references: memoryReferences(),
    clock: { now },
    registry: {
      resolve: async (hashes) => new Map(hashes.map((h) => [h, matchOf(h)])),
      addProvisional: async () => undefined,
    },
    campaigns: { inForce: async () => [current.campaign] },
    phones: {
      tally: async () => ({ hours: {}, cnics: [] }),
    },
    decisions,
    replies,
    appeals: {
      open: async (a: Appeal) => a,
      get: async () => undefined,
      list: async () => [],
      claim: async () => false,
      complete: async () => undefined,
    },
    enrollments: store,
    registrations: {
      record: async (r) => {
        const existing = registrations.get(r.messageId);
        if (existing) return { fresh: false, existing };
        registrations.set(r.messageId, r);
        return { fresh: true };
      },
    },
  };
  const current = { campaign, revision: 1 };
  const campaigns = {
    get: async (id: string) =>
      id === current.campaign.campaignId ? { ...current.campaign, revision: current.revision } : undefined,
    save: async (c: Campaign, expected: number) => {
      if (expected !== current.revision) throw new ConflictError('changed');
      current.campaign = c;
      current.revision++;
    },
  };
  /** Registers households `ids` by SMS, all in one reconciler batch, each message a minute apart. */
  const register = async (ids: readonly number[], text = (i: number) => cnicOf(i), prefix = 'm') => {
    const items = ids.map((i) => {
      clock += 60_000;
      return parseRegistration(PEPPER, {
        channel: 'sms',
        messageId: `${prefix}-${i}`,
        from: phoneOf(i),
        to: '8171',
        text: text(i),
        acceptedAt: now().toISOString(),
      });
    });
    const ctx = await prepareBatch(deps, items);
    await Promise.all(items.map((item) => reconcileOne(deps, item, ctx)));
    await flushReplies(deps, ctx);
  };
  const limitsDeps = {
    campaigns,
    caps: store.caps,
    claims: store.claims,
    decisions,
    replies,
    audit: ledger.log,
    clock: { now },
  };
  const statusOf = (i: number) => records.get(`${hashCnic(PEPPER, cnicOf(i))}|C-CAPS`)?.decision.status;
  const replyTo = (i: number, prefix = 'm') => sent.find((s) => s.inReplyTo === `${prefix}-${i}`)?.text;
  return { deps, store, sent, records, ledger, register, limitsDeps, current, statusOf, replyTo };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

afterEach(() => setCrashHook(undefined));

describe('the number of cap shards', () => {
  it('is one for a small campaign, so a small cap is reached exactly, and bounded for a large one', () => {
    // Act
    const small = capShardsFor(campaignWith({ maxHouseholds: 1500, budgetCap: 1e12 }));
    const budgetBound = capShardsFor(campaignWith({ maxHouseholds: 1e7, budgetCap: 100 * TOP_UP }));
    const large = capShardsFor(campaignWith({ maxHouseholds: 1e7, budgetCap: 1e13 }));

    // Assert
    expect(small).toBe(1);
    expect(budgetBound).toBe(1);
    expect(large).toBe(64);
  });

  it('splits a limit so the slices add up to it', () => {
    expect(range(0, 6).reduce((n, s) => n + sliceOf(100, 7, s), 0)).toBe(100);
  });
});

describe('caps at activation (vertical expansion)', () => {
  it('enrolls exactly the household maximum and waitlists the rest, invisible to payments', async () => {
    // Arrange: 25 regular-programme households in the area, a maximum of 10.
    const campaign = campaignWith({ maxHouseholds: 10, budgetCap: 1e9 });
    const w = world(campaign);
    const households = range(1, 25).map((i) => householdOf(i, `payee-${i}`, ['KAFAALAT']));

    // Act
    const result = await expandArea(
      {
        campaigns: { get: async () => ({ ...campaign, revision: 1 }) },
        areaIndex: { page: async () => ({ households }) },
        enrollments: w.store,
        stats: { add: async () => undefined },
        replies: { enqueue: async () => undefined },
        next: { enqueueAll: async () => undefined },
        clock: { now: () => new Date('2026-08-20T10:00:00Z') },
        pageSize: 100,
      },
      { campaignId: campaign.campaignId, district: 'Dadu', page: 0 },
    );

    // Assert
    expect(result).toMatchObject({ enrolled: 10, waitlisted: 15 });
    expect(w.store.claims.payable('C-CAPS')).toHaveLength(10);
    expect(w.store.claims.inState('C-CAPS', 'waitlisted')).toHaveLength(15);
    expect(w.store.caps.committed('C-CAPS')).toEqual({ households: 10, amount: 10 * TOP_UP });
  });

  it('stops at the budget: a cap of PKR 20,000 with top-ups of 6,000 enrolls three', async () => {
    const campaign = campaignWith({ maxHouseholds: 100, budgetCap: 20_000 });
    const w = world(campaign);
    const households = range(1, 8).map((i) => householdOf(i, `payee-${i}`, ['KAFAALAT']));

    const result = await expandArea(
      {
        campaigns: { get: async () => ({ ...campaign, revision: 1 }) },
        areaIndex: { page: async () => ({ households }) },
        enrollments: w.store,
        stats: { add: async () => undefined },
        replies: { enqueue: async () => undefined },
        next: { enqueueAll: async () => undefined },
        clock: { now: () => new Date('2026-08-20T10:00:00Z') },
        pageSize: 100,
      },
      { campaignId: campaign.campaignId, district: 'Dadu', page: 0 },
    );

    expect(result).toMatchObject({ enrolled: 3, waitlisted: 5 });
    expect(w.store.caps.committed('C-CAPS').amount).toBe(18_000);
  });
});

describe('caps at SMS registration', () => {
  it('waitlists registrations past the maximum and tells them plainly, with no amount', async () => {
    // Arrange
    const w = world(campaignWith({ maxHouseholds: 3, budgetCap: 1e9 }));

    // Act: six households in one batch, concurrently.
    await w.register(range(1, 6));

    // Assert
    const statuses = range(1, 6).map((i) => w.statusOf(i));
    expect(statuses.filter((s) => s === 'ELIGIBLE')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(3);
    expect(w.store.claims.payable('C-CAPS')).toHaveLength(3);
    for (const i of range(1, 6).filter((n) => w.statusOf(n) === 'WAITLISTED')) {
      const text = w.replyTo(i) ?? '';
      // A bare CNIC is answered in Roman Urdu.
      expect(text).toContain('Aap intezar list mein hain.');
      expect(text).not.toContain('Rs ');
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
  });

  it('answers STATUS of a waitlisted household as waitlisted, and repeats never touch the cap shards', async () => {
    // Arrange
    const w = world(campaignWith({ maxHouseholds: 1, budgetCap: 1e9 }));
    await w.register([1, 2]);
    const reservations = w.store.caps.reserveCalls;

    // Act: the waitlisted household registers again and asks for its status (in Urdu script).
    await w.register([2], (i) => cnicOf(i), 'repeat');
    await w.register([2], (i) => `حالت ${cnicOf(i)}`, 'status');

    // Assert
    expect(w.statusOf(2)).toBe('WAITLISTED');
    expect(w.replyTo(2, 'repeat')).toContain('intezar list');
    expect(w.replyTo(2, 'status')).toContain('انتظار فہرست');
    expect(w.store.caps.reserveCalls).toBe(reservations);
  });

  it('never enrolls past a maximum split over several shards, whatever the interleaving', async () => {
    // Arrange: ten households over four shards (slices 3, 3, 2, 2), forty registering at once.
    const w = world(campaignWith({ maxHouseholds: 10, budgetCap: 1e9, capShards: 4 }));

    // Act
    await Promise.all([w.register(range(1, 20)), w.register(range(21, 40))]);

    // Assert: exactly the cap, although households do not hash evenly over the shards.
    expect(w.store.claims.payable('C-CAPS')).toHaveLength(10);
    expect(w.store.claims.inState('C-CAPS', 'waitlisted')).toHaveLength(30);
  });
});

describe('caps at appeal overturn', () => {
  it('waitlists an overturned refusal when the campaign is full', async () => {
    // Arrange: a maximum of one, already taken.
    const campaign = campaignWith({ maxHouseholds: 1, budgetCap: 1e9 });
    const w = world(campaign);
    await w.register([1]);
    const appeal: Appeal = {
      appealId: 'A7654321',
      messageId: 'm-appeal',
      cnicHash: 'h-appellant',
      phone: phoneOf(99),
      lang: 'en',
      note: 'sold the car',
      status: 'OPEN',
      openedAt: '2026-08-20T11:00:00Z',
      decision: {
        messageId: 'm-first',
        reference: 'R7654321',
        decision: {
          status: 'NOT_ELIGIBLE',
          reasons: ['EXCLUSION_VEHICLE_OWNER'],
          ruleSetVersion: 'C-CAPS/v1',
          campaignId: 'C-CAPS',
          householdId: 'HH-099',
          inputs: { district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: false },
          decidedAt: '2026-08-19T10:00:00Z',
        },
      },
    };
    const saved = new Map([[appeal.appealId, appeal]]);
    const written: DecisionOfRecord[] = [];

    // Act
    const result = await resolveAppeal(
      {
        appeals: {
          open: async (a) => a,
          get: async (id) => saved.get(id),
          list: async () => [],
          claim: async (id, claim) => {
            const a = saved.get(id);
            if (a?.status !== 'OPEN') return false;
            saved.set(id, { ...a, status: 'RESOLVING', claim });
            return true;
          },
          complete: async (id, outcome, resolution) => {
            const a = saved.get(id);
            if (a) saved.set(id, { ...a, status: outcome, resolution });
          },
        },
        decisions: { put: async (d) => void written.push(d) },
        campaigns: { get: async () => campaign },
        enrollments: w.store,
        replies: { enqueue: async () => undefined },
        audit: w.ledger.log,
        clock: { now: () => new Date('2026-08-21T09:00:00Z') },
      },
      { appealId: appeal.appealId, outcome: 'OVERTURNED', reason: 'Vehicle sold', by: 'olivia' },
    );

    // Assert
    expect(result.resolution?.enrolled).toBe(false);
    expect(written.at(-1)?.decision).toMatchObject({ status: 'WAITLISTED', reasons: ['CAP_REACHED'] });
    expect(written.at(-1)?.decision.amount).toBeUndefined();
    expect(w.store.claims.payable('C-CAPS').map((e) => e.householdId)).toEqual(['HH-001']);
    expect(w.store.claims.inState('C-CAPS', 'waitlisted').map((e) => e.householdId)).toEqual(['HH-099']);
  });
});

describe('caps at rules replay with apply', () => {
  it('waitlists a household the new rules make eligible when the campaign is full, and tells it so', async () => {
    // Arrange: a maximum of one, taken; household 2 was refused under v1 and passes v2.
    const campaign = { ...campaignWith({ maxHouseholds: 1, budgetCap: 1e9 }), ruleSetVersion: 'C-CAPS/v2' };
    const w = world(campaign);
    await w.register([1]);
    const refused: DecisionOfRecord = {
      campaignId: 'C-CAPS',
      cnicHash: 'h2',
      messageId: 'm-old-2',
      reference: 'R2222222',
      from: phoneOf(2),
      channel: 'sms',
      lang: 'en',
      decision: {
        status: 'NOT_ELIGIBLE',
        reasons: ['SCORE_ABOVE_THRESHOLD'],
        ruleSetVersion: 'C-CAPS/v1',
        campaignId: 'C-CAPS',
        householdId: 'HH-002',
        inputs: { pmtScore: 20, district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: false },
        decidedAt: '2026-08-19T10:00:00Z',
      },
    };
    const decisions = memoryReplayDecisions([refused]);
    const queue = memoryReplayQueue();
    const jobs = memoryReplayJobs();
    const notices: OutboundSms[] = [];
    const now = () => new Date('2026-08-21T09:00:00Z');

    // Act: the replay is queued, then its pages are worked off the queue.
    const campaigns = { get: async () => campaign };
    await startReplay({ campaigns, jobs, work: queue, audit: w.ledger.log, now }, 'C-CAPS', [
      'cell-1',
      'emergency-cell',
    ]);
    await queue.drain({
      campaigns,
      decisions,
      enrollments: w.store,
      replies: { enqueue: async (r) => void notices.push(...r) },
      jobs,
      work: queue,
      now,
      pageSize: 10,
    });
    const replaced = decisions.records.map((r) => r.decision.status);

    // Assert
    expect(replaced).toEqual(['WAITLISTED']);
    expect(notices[0]?.text).toContain('waiting list');
    expect(w.store.claims.payable('C-CAPS')).toHaveLength(1);
    expect(w.store.claims.inState('C-CAPS', 'waitlisted').map((e) => e.householdId)).toEqual(['HH-002']);
  });
});

describe('raising a cap', () => {
  it('promotes the waitlist oldest first up to the new cap, records it and tells each household', async () => {
    // Arrange: a maximum of two; households 1..6 register in that order.
    const w = world(campaignWith({ maxHouseholds: 2, budgetCap: 1e9 }));
    for (const i of range(1, 6)) await w.register([i]);

    // Act
    const report = await changeLimits(
      w.limitsDeps,
      'C-CAPS',
      { maxHouseholds: 4 },
      { user: 'cell-1', role: 'emergency-cell' },
    );

    // Assert: 3 and 4 (the oldest waiting) are promoted; 5 and 6 still wait.
    expect(report.promoted).toBe(2);
    expect(range(1, 6).map((i) => w.statusOf(i))).toEqual([
      'ELIGIBLE',
      'ELIGIBLE',
      'ELIGIBLE',
      'ELIGIBLE',
      'WAITLISTED',
      'WAITLISTED',
    ]);
    expect(w.store.claims.payable('C-CAPS')).toHaveLength(4);
    const notices = w.sent.filter((s) => s.id.startsWith('promote-'));
    expect(notices.map((n) => n.to)).toEqual([phoneOf(3), phoneOf(4)]);
    expect(notices[0]?.text).toContain('Rs 12,000 ke liye eligible hain');
    expect(w.ledger.entries.map((e) => e.action)).toEqual([
      'campaign.limits',
      'waitlist.promote',
      'waitlist.promote',
    ]);
    expect(w.current.campaign).toMatchObject({ maxHouseholds: 4, limitsRevision: 1 });
  });

  it('keeps the room a raise adds for the waitlist: a registration during the promotion waits behind it', async () => {
    // Arrange: a maximum of one; 2 and 3 wait. The raise to three is cut off after the shards.
    const w = world(campaignWith({ maxHouseholds: 1, budgetCap: 1e9 }));
    for (const i of range(1, 3)) await w.register([i]);
    const raise = () =>
      changeLimits(w.limitsDeps, 'C-CAPS', { maxHouseholds: 3 }, { user: 'cell-1', role: 'emergency-cell' });
    setCrashHook(crashOnceAt('limits.after-shards'));
    await expect(raise()).rejects.toBeInstanceOf(InjectedCrashError);
    setCrashHook(undefined);

    // Act: household 4 registers while the raise is unfinished; then the raise is sent again.
    await w.register([4]);
    await raise();

    // Assert: the two that waited are promoted; the newcomer waits.
    expect(range(1, 4).map((i) => w.statusOf(i))).toEqual(['ELIGIBLE', 'ELIGIBLE', 'ELIGIBLE', 'WAITLISTED']);
    expect(w.store.caps.committed('C-CAPS').households).toBe(3);
  });

  it('lowers a cap whose raise was cut off, opening the room the raise held', async () => {
    // Arrange: one enrolled; a raise to five dies after the shards, holding four slots.
    const w = world(campaignWith({ maxHouseholds: 1, budgetCap: 1e9 }));
    await w.register([1]);
    const change = (maxHouseholds: number) =>
      changeLimits(w.limitsDeps, 'C-CAPS', { maxHouseholds }, { user: 'cell-1', role: 'emergency-cell' });
    setCrashHook(crashOnceAt('limits.after-shards'));
    await expect(change(5)).rejects.toBeInstanceOf(InjectedCrashError);
    setCrashHook(undefined);

    // Act
    await change(3);
    await w.register(range(2, 4));

    // Assert
    expect(range(1, 4).map((i) => w.statusOf(i))).toEqual(['ELIGIBLE', 'ELIGIBLE', 'ELIGIBLE', 'WAITLISTED']);
  });

  it('refuses to lower a cap below what is committed', async () => {
    const w = world(campaignWith({ maxHouseholds: 5, budgetCap: 1e9 }));
    await w.register(range(1, 4));

    await expect(
      changeLimits(w.limitsDeps, 'C-CAPS', { maxHouseholds: 3 }, { user: 'cell-1', role: 'emergency-cell' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(w.current.campaign.maxHouseholds).toBe(5);
  });

  it('promotes on a raised budget too, and a lowering to what is committed holds new registrations back', async () => {
    // Arrange: room for one new beneficiary (PKR 12,000) in a PKR 20,000 budget.
    const w = world(campaignWith({ maxHouseholds: 100, budgetCap: 20_000 }));
    await w.register(range(1, 3));

    // Act
    await changeLimits(
      w.limitsDeps,
      'C-CAPS',
      { budgetCap: 36_000 },
      { user: 'cell-1', role: 'emergency-cell' },
    );
    await changeLimits(
      w.limitsDeps,
      'C-CAPS',
      { budgetCap: 36_000 + 5_000 },
      { user: 'cell-1', role: 'emergency-cell' },
    );
    await w.register([4]);

    // Assert
    expect(range(1, 4).map((i) => w.statusOf(i))).toEqual(['ELIGIBLE', 'ELIGIBLE', 'ELIGIBLE', 'WAITLISTED']);
    expect(w.store.caps.committed('C-CAPS')).toEqual({ households: 3, amount: 36_000 });
  });
});

describe('a crash at each step of the reservation', () => {
  it.each(['enroll.after-reserve'])(
    'at %s, the redelivered batch converges on exactly the cap',
    async (point) => {
      // Arrange: a maximum of three; the second household's registration is killed at `point`.
      const w = world(campaignWith({ maxHouseholds: 3, budgetCap: 1e9 }));
      await w.register([1]);
      setCrashHook(crashOnceAt(point));

      // Act: the batch dies, then SQS delivers it again with the rest of the queue.
      await expect(w.register([2])).rejects.toBeInstanceOf(InjectedCrashError);
      setCrashHook(undefined);
      await w.register(range(2, 5));

      // Assert: never over the cap, nothing left half-done, and here (the crash on the only
      // reservation of its shard) no slot lost either.
      expect(w.store.claims.inState('C-CAPS', 'reserving')).toEqual([]);
      expect(w.store.claims.payable('C-CAPS')).toHaveLength(3);
      expect(w.store.caps.committed('C-CAPS').households).toBe(3);
      expect(range(1, 5).filter((i) => w.statusOf(i) === 'WAITLISTED')).toHaveLength(2);
    },
  );

  it('under-counts rather than exceeds when a resumed claim cannot tell whether it reserved', async () => {
    // Arrange: the reservation lands, the process dies, another household reserves on the shard.
    const caps = new MemoryCapLedger();
    const claims = new MemoryEnrollmentClaims();
    claims.caps = caps;
    const limits = { campaignId: 'C-CAPS', maxHouseholds: 3, budgetCap: 1e9, capShards: 1 };
    const enrollment = (n: number): Enrollment => ({
      campaignId: 'C-CAPS',
      householdId: `HH-${n}`,
      messageId: `m-${n}`,
      reference: `R${n}`,
      cnicHash: `h${n}`,
      category: 'TOP_UP',
      amount: TOP_UP,
      district: 'Dadu',
      tehsil: 'Dadu',
      ruleSetVersion: 'C-CAPS/v1',
      channel: 'sms',
      enrolledAt: `2026-08-20T10:0${n}:00Z`,
    });
    setCrashHook(crashOnceAt('enroll.after-reserve'));
    await expect(enrollWithinCaps({ caps, claims }, enrollment(1), limits)).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    await enrollWithinCaps({ caps, claims }, enrollment(2), limits);

    // Act
    await enrollWithinCaps({ caps, claims }, enrollment(1), limits);
    await enrollWithinCaps({ caps, claims }, enrollment(3), limits);

    // Assert: household 1 reserved twice (one slot unused), so 3 is waitlisted: 2 enrolled of 3.
    expect(
      claims
        .payable('C-CAPS')
        .map((e) => e.householdId)
        .sort(),
    ).toEqual(['HH-1', 'HH-2']);
    expect(caps.committed('C-CAPS').households).toBe(3);
  });

  it('gives the reservation back when another member of the household enrolls it first', async () => {
    // Arrange: two members of one household register at the same moment.
    const caps = new MemoryCapLedger();
    const claims = new MemoryEnrollmentClaims();
    claims.caps = caps;
    const limits = { campaignId: 'C-CAPS', maxHouseholds: 5, budgetCap: 1e9, capShards: 1 };
    const member = (messageId: string): Enrollment => ({
      campaignId: 'C-CAPS',
      householdId: 'HH-1',
      messageId,
      reference: messageId,
      cnicHash: messageId,
      category: 'TOP_UP',
      amount: TOP_UP,
      district: 'Dadu',
      tehsil: 'Dadu',
      ruleSetVersion: 'C-CAPS/v1',
      channel: 'sms',
      enrolledAt: '2026-08-20T10:00:00Z',
    });

    // Act
    const results = await Promise.all([
      enrollWithinCaps({ caps, claims }, member('m-wife'), limits),
      enrollWithinCaps({ caps, claims }, member('m-husband'), limits),
    ]);

    // Assert: one enrollment, one household counted against the cap.
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(claims.payable('C-CAPS')).toHaveLength(1);
    expect(caps.committed('C-CAPS')).toEqual({ households: 1, amount: TOP_UP });
  });

  it.each(['promote.after-reclaim', 'promote.after-reserve', 'promote.after-tell'])(
    'at %s, sending the raise again promotes each household once, up to the new cap',
    async (point) => {
      // Arrange
      const w = world(campaignWith({ maxHouseholds: 1, budgetCap: 1e9 }));
      for (const i of range(1, 4)) await w.register([i]);
      setCrashHook(crashOnceAt(point));
      const raise = () =>
        changeLimits(
          w.limitsDeps,
          'C-CAPS',
          { maxHouseholds: 3 },
          { user: 'cell-1', role: 'emergency-cell' },
        );

      // Act
      await expect(raise()).rejects.toBeInstanceOf(InjectedCrashError);
      setCrashHook(undefined);
      await raise();

      // Assert
      expect(range(1, 4).map((i) => w.statusOf(i))).toEqual([
        'ELIGIBLE',
        'ELIGIBLE',
        'ELIGIBLE',
        'WAITLISTED',
      ]);
      expect(w.store.claims.payable('C-CAPS')).toHaveLength(3);
      expect(w.store.claims.inState('C-CAPS', 'reserving')).toEqual([]);
      expect(w.store.caps.committed('C-CAPS').households).toBeLessThanOrEqual(3);
      expect(new Set(w.sent.filter((s) => s.id.startsWith('promote-')).map((s) => s.id)).size).toBe(2);
      expect(w.ledger.entries.filter((e) => e.action === 'waitlist.promote')).toHaveLength(2);
    },
  );
});
