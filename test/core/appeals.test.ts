import {
  type Appeal,
  type AppealStore,
  appealOutcomeText,
  appealReceivedText,
  type Campaign,
  ConflictError,
  countSegments,
  crashOnceAt,
  type DecisionOfRecord,
  type Enrollment,
  type EnrollmentStore,
  enrollmentKey,
  InjectedCrashError,
  type OutboundSms,
  resolveAppeal,
  setCrashHook,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';

function fakeAppeals(initial: Appeal): AppealStore & { saved: Map<string, Appeal> } {
  const saved = new Map([[initial.appealId, initial]]);
  return {
    saved,
    open: async (a) => a,
    get: async (id) => saved.get(id),
    list: async () => [...saved.values()],
    // Each check and write in one synchronous step, as a conditional write is.
    claim: async (id, claim) => {
      const a = saved.get(id);
      if (a?.status !== 'OPEN') return false;
      saved.set(id, { ...a, status: 'RESOLVING', claim });
      return true;
    },
    complete: async (id, outcome, resolution) => {
      const a = saved.get(id);
      if (a?.status === outcome) return;
      if (a?.status !== 'RESOLVING' || a.claim?.outcome !== outcome) throw new Error('not claimed');
      saved.set(id, { ...a, status: outcome, resolution });
    },
  };
}

function fakeEnrollments(): EnrollmentStore & { all: Map<string, Enrollment> } {
  const all = new Map<string, Enrollment>();
  return {
    all,
    find: async () => new Map(),
    enroll: async (e) => {
      const key = enrollmentKey(e.campaignId, e.householdId);
      const existing = all.get(key);
      if (existing) return { created: false, existing };
      all.set(key, e);
      return { created: true };
    },
  };
}

const campaign = {
  campaignId: 'C-1',
  name: 'Floods',
  ruleSetVersion: 'C-1/v2',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 6000, newBeneficiary: 12000 },
    regularProgramme: 'KAFAALAT',
  },
} as unknown as Campaign;

const appeal: Appeal = {
  appealId: 'A1234567',
  messageId: 'm-appeal',
  cnicHash: 'h1',
  phone: '+923001234567',
  lang: 'en',
  note: 'I sold the car in 2019',
  status: 'OPEN',
  openedAt: '2026-08-20T10:00:00Z',
  decision: {
    messageId: 'm-first',
    reference: 'R1234567',
    decision: {
      status: 'NOT_ELIGIBLE',
      reasons: ['EXCLUSION_VEHICLE_OWNER'],
      ruleSetVersion: 'C-1/v1',
      campaignId: 'C-1',
      householdId: 'HH-9',
      inputs: { district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: false },
      decidedAt: '2026-08-19T10:00:00Z',
    },
  },
};

function deps(store = fakeAppeals(appeal)) {
  const sent: OutboundSms[] = [];
  const enrollments = fakeEnrollments();
  const records: DecisionOfRecord[] = [];
  const ledger = memoryAuditLog();
  return {
    store,
    sent,
    enrollments,
    records,
    ledger,
    deps: {
      audit: ledger.log,
      appeals: store,
      decisions: { put: async (d: DecisionOfRecord) => void records.push(d) },
      campaigns: { get: async (id: string) => (id === 'C-1' ? campaign : undefined) },
      enrollments,
      replies: { enqueue: async (r: readonly OutboundSms[]) => void sent.push(...r) },
      clock: { now: () => new Date('2026-08-21T09:00:00Z') },
    },
  };
}

describe('appeal replies', () => {
  it.each(['en', 'ur'] as const)('fit in two SMS segments in %s', (lang) => {
    for (const text of [
      appealReceivedText('A1234567', lang),
      appealOutcomeText('UPHELD', 'A1234567', lang),
      appealOutcomeText('OVERTURNED', 'A1234567', lang),
    ]) {
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
  });
});

describe('resolveAppeal', () => {
  it('overturning a refusal enrolls the household under the current rules and tells it by SMS', async () => {
    const t = deps();
    const result = await resolveAppeal(t.deps, {
      appealId: 'A1234567',
      outcome: 'OVERTURNED',
      reason: 'Vehicle sold, excise record',
      by: 'olivia',
    });
    expect(result.status).toBe('OVERTURNED');
    expect(result.resolution).toMatchObject({
      by: 'olivia',
      enrolled: true,
      reason: 'Vehicle sold, excise record',
    });
    expect(t.enrollments.all.get('C-1|HH-9')).toMatchObject({
      amount: 12000,
      category: 'NEW_BENEFICIARY',
      ruleSetVersion: 'C-1/v2',
    });
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]?.text).toContain('accepted');
    // The person's standing decision becomes the appeal's, so STATUS and repeats say eligible.
    expect(t.records).toEqual([
      expect.objectContaining({
        campaignId: 'C-1',
        cnicHash: 'h1',
        reference: 'R1234567',
        decision: expect.objectContaining({ status: 'ELIGIBLE', amount: 12000, ruleSetVersion: 'C-1/v2' }),
      }),
    ]);
  });

  it('upholding leaves the decision, enrolls no one, and still answers the household', async () => {
    const t = deps();
    t.records.length = 0;
    await resolveAppeal(t.deps, {
      appealId: 'A1234567',
      outcome: 'UPHELD',
      reason: 'Vehicle registered in 2026',
      by: 'olivia',
    });
    expect(t.enrollments.all.size).toBe(0);
    expect(t.records).toEqual([]);
    expect(t.sent[0]?.text).toContain('stays');
  });

  it('refuses to resolve a case twice', async () => {
    const t = deps();
    await resolveAppeal(t.deps, {
      appealId: 'A1234567',
      outcome: 'UPHELD',
      reason: 'checked twice',
      by: 'a',
    });
    await expect(
      resolveAppeal(t.deps, {
        appealId: 'A1234567',
        outcome: 'OVERTURNED',
        reason: 'changed my mind',
        by: 'b',
      }),
    ).rejects.toThrow(/already UPHELD/);
  });

  it('answers 404-style for an unknown appeal', async () => {
    const t = deps();
    await expect(
      resolveAppeal(t.deps, { appealId: 'A7654321', outcome: 'UPHELD', reason: 'none', by: 'a' }),
    ).rejects.toThrow(/No appeal/);
  });
});

describe('resolveAppeal under concurrency and crashes (finding 6)', () => {
  afterEach(() => setCrashHook(undefined));

  const uphold = {
    appealId: 'A1234567',
    outcome: 'UPHELD',
    reason: 'Vehicle registered in 2026',
    by: 'umar',
  } as const;
  const overturn = {
    appealId: 'A1234567',
    outcome: 'OVERTURNED',
    reason: 'Vehicle sold in 2019',
    by: 'olivia',
  } as const;

  /** Everything a resolution changes: the case, enrollments, the decision of record, SMS, the ledger. */
  function finalState(t: ReturnType<typeof deps>) {
    return {
      appeal: t.store.saved.get('A1234567'),
      enrollments: [...t.enrollments.all.values()],
      // A decision of record is a put by (campaign, person): a second put of it overwrites the first.
      records: [...new Map(t.records.map((r) => [`${r.campaignId}|${r.cnicHash}`, r])).values()],
      sms: [...new Map(t.sent.map((s) => [s.id, s])).values()],
      ledger: t.ledger.entries.map(({ actor, role, action, subject, before, after, actionId }) => ({
        actor,
        role,
        action,
        subject,
        before,
        after,
        actionId,
      })),
    };
  }

  /** A clock that moves a second each read: a re-run that re-read it would leave different timestamps. */
  function advancingClock() {
    let tick = 0;
    return { now: () => new Date(Date.parse('2026-08-21T09:00:00Z') + 1000 * tick++) };
  }

  it('concurrent uphold and overturn of one appeal (20 runs): one outcome, and enrollment, SMS and ledger agree with it', async () => {
    for (let run = 0; run < 20; run++) {
      const t = deps();
      const requests = run % 2 === 0 ? [uphold, overturn] : [overturn, uphold];
      const results = await Promise.allSettled(requests.map((r) => resolveAppeal(t.deps, r)));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([expect.any(ConflictError)]);
      const outcome = won[0]?.status;
      expect(t.store.saved.get('A1234567')?.status).toBe(outcome);
      expect(t.enrollments.all.size).toBe(outcome === 'OVERTURNED' ? 1 : 0);
      expect(t.records).toHaveLength(outcome === 'OVERTURNED' ? 1 : 0);
      expect(t.sent.map((s) => s.id)).toEqual([`appeal-A1234567-${outcome}`]);
      expect(t.ledger.entries).toEqual([
        expect.objectContaining({
          action: 'appeal.resolve',
          after: expect.objectContaining({ status: outcome }),
        }),
      ]);
    }
  });

  it('records the resolution in the ledger with actor, role, subject and before/after', async () => {
    const t = deps();
    await resolveAppeal(t.deps, { ...overturn, role: 'program-officer' });
    expect(t.ledger.entries).toEqual([
      expect.objectContaining({
        actor: 'olivia',
        role: 'program-officer',
        action: 'appeal.resolve',
        subject: 'appeal/A1234567',
        before: { status: 'OPEN', decision: 'NOT_ELIGIBLE' },
        after: { status: 'OVERTURNED', reason: 'Vehicle sold in 2019', enrolled: true },
        actionId: 'appeal.resolve/A1234567',
      }),
    ]);
  });

  it('a claim stalled by a crash is finished with its recorded outcome by the next officer after two minutes', async () => {
    const clean = deps();
    await resolveAppeal(clean.deps, overturn);

    const t = deps();
    let now = Date.parse('2026-08-21T09:00:00Z');
    t.deps.clock = { now: () => new Date(now) };
    setCrashHook(crashOnceAt('appeal.after-claim'));
    await expect(resolveAppeal(t.deps, overturn)).rejects.toBeInstanceOf(InjectedCrashError);
    now += 60_000;
    await expect(resolveAppeal(t.deps, uphold)).rejects.toThrow(/already being resolved as OVERTURNED/);
    expect(t.enrollments.all.size).toBe(0);
    now += 60_000;
    await expect(resolveAppeal(t.deps, uphold)).rejects.toThrow(/resolved as OVERTURNED by olivia/);

    expect(finalState(t)).toEqual(finalState(clean));
  });

  it.each(['appeal.after-claim', 'appeal.after-enroll', 'appeal.after-audit', 'appeal.after-complete'])(
    'a crash at %s: the case stays claimed, a rival gets a conflict, and the re-run converges',
    async (point) => {
      const clean = deps();
      clean.deps.clock = advancingClock();
      await resolveAppeal(clean.deps, overturn);

      const t = deps();
      t.deps.clock = advancingClock();
      setCrashHook(crashOnceAt(point));
      await expect(resolveAppeal(t.deps, overturn)).rejects.toBeInstanceOf(InjectedCrashError);
      expect(t.store.saved.get('A1234567')?.status).toBe(
        point === 'appeal.after-complete' ? 'OVERTURNED' : 'RESOLVING',
      );
      await expect(resolveAppeal(t.deps, uphold)).rejects.toBeInstanceOf(ConflictError);
      await resolveAppeal(t.deps, overturn);

      expect(finalState(t)).toEqual(finalState(clean));
    },
  );
});
