import {
  type Appeal,
  addAppealNote,
  appealAge,
  appealPolicyFromEnv,
  assignAppeal,
  type Campaign,
  ConflictError,
  confirmAppealOverturn,
  crashOnceAt,
  type DecisionOfRecord,
  decideAppeal,
  declineAppealOverturn,
  type Enrollment,
  type EnrollmentStore,
  enrollmentKey,
  ForbiddenError,
  InjectedCrashError,
  type OutboundSms,
  setCrashHook,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAppealStore } from '../support/appeal-fakes.js';
import { memoryAuditLog } from '../support/audit-fakes.js';

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
  maxHouseholds: 1000,
  budgetCap: 1e8,
  limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
} as unknown as Campaign;

/** A refusal under C-1 whose overturn creates PKR 12,000 (new beneficiary), or 6,000 for a top-up. */
function refused(appealId: string, topUp = false): Appeal {
  return {
    appealId,
    messageId: `m-${appealId}`,
    cnicHash: `h-${appealId}`,
    phone: '+923001234567',
    lang: 'en',
    note: 'I sold the car in 2019',
    status: 'OPEN',
    openedAt: '2026-08-10T10:00:00Z',
    decision: {
      messageId: 'm-first',
      reference: 'R1234567',
      decision: {
        status: 'NOT_ELIGIBLE',
        reasons: ['EXCLUSION_VEHICLE_OWNER'],
        ruleSetVersion: 'C-1/v1',
        campaignId: 'C-1',
        householdId: `HH-${appealId}`,
        inputs: { district: 'Dadu', tehsil: 'Dadu', inRegularProgramme: topUp },
        decidedAt: '2026-08-09T10:00:00Z',
      },
    },
  };
}

function world(...appeals: Appeal[]) {
  const store = new MemoryAppealStore(new Map(appeals.map((a) => [a.appealId, a])));
  const enrolled = new Map<string, Enrollment>();
  const sent: OutboundSms[] = [];
  const records: DecisionOfRecord[] = [];
  let now = new Date('2026-08-21T09:00:00Z');
  // The ledger stamps entries with the same clock as the flows (the day's overturns are read by time).
  const ledger = memoryAuditLog(() => now);
  const enrollments: EnrollmentStore = {
    find: async () => new Map(),
    enroll: async (e) => {
      const key = enrollmentKey(e.campaignId, e.householdId);
      const existing = enrolled.get(key);
      if (existing) return { created: false, existing };
      enrolled.set(key, e);
      return { created: true };
    },
  };
  return {
    store,
    enrolled,
    sent,
    ledger,
    tick: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    deps: {
      appeals: store,
      audit: ledger.log,
      decisions: { put: async (d: DecisionOfRecord) => void records.push(d) },
      campaigns: { get: async (id: string) => (id === 'C-1' ? campaign : undefined) },
      enrollments,
      replies: { enqueue: async (r: readonly OutboundSms[]) => void sent.push(...r) },
      clock: { now: () => now },
    },
  };
}

const POLICY = { secondOfficerAmount: 10_000 };
const maker = { by: 'olivia', role: 'program-officer' };
const checker = { by: 'bilal', role: 'program-officer' };
const overturn = { outcome: 'OVERTURNED' as const, reason: 'The car was sold in 2019, papers seen' };

afterEach(() => setCrashHook(undefined));

describe('decideAppeal', () => {
  it('resolves an overturn below the second-officer amount at once (a PKR 6,000 top-up)', async () => {
    const w = world(refused('A0000001', true));

    const decided = await decideAppeal(w.deps, POLICY, { appealId: 'A0000001', ...overturn, ...maker });

    expect(decided.kind).toBe('resolved');
    expect(w.store.items.get('A0000001')?.status).toBe('OVERTURNED');
    expect(w.enrolled.size).toBe(1);
    expect(w.sent.map((s) => s.to)).toEqual(['+923001234567']);
  });

  it('proposes an overturn at or above the amount, and nothing is enrolled or told until a second officer confirms', async () => {
    const w = world(refused('A0000002'));

    const decided = await decideAppeal(w.deps, POLICY, { appealId: 'A0000002', ...overturn, ...maker });

    expect(decided.kind).toBe('proposed');
    expect(w.store.items.get('A0000002')).toMatchObject({
      status: 'PROPOSED',
      proposal: { by: 'olivia', amount: 12000, reason: overturn.reason },
    });
    expect(w.enrolled.size).toBe(0);
    expect(w.sent).toEqual([]);
    expect(w.ledger.entries.map((e) => e.action)).toEqual(['appeal.propose']);
  });

  it("proposes an officer's overturns past the day's count even below the amount; another officer's do not count", async () => {
    const w = world(
      refused('A0000021', true),
      refused('A0000022', true),
      refused('A0000023', true),
      refused('A0000024', true),
    );
    const policy = { secondOfficerAmount: 10_000, secondOfficerAfter: 2 };

    const first = await decideAppeal(w.deps, policy, { appealId: 'A0000021', ...overturn, ...maker });
    const others = await decideAppeal(w.deps, policy, { appealId: 'A0000022', ...overturn, ...checker });
    const second = await decideAppeal(w.deps, policy, {
      appealId: 'A0000023',
      ...overturn,
      by: 'OLIVIA',
      role: 'program-officer',
    });
    const third = await decideAppeal(w.deps, policy, { appealId: 'A0000024', ...overturn, ...maker });

    expect([first.kind, others.kind, second.kind, third.kind]).toEqual([
      'resolved',
      'resolved',
      'resolved',
      'proposed',
    ]);
    expect(w.enrolled.size).toBe(3);
  });

  it('upholds without a second officer, whatever the amount', async () => {
    const w = world(refused('A0000003'));

    await decideAppeal(w.deps, POLICY, {
      appealId: 'A0000003',
      outcome: 'UPHELD',
      reason: 'Vehicle still registered',
      ...maker,
    });

    expect(w.store.items.get('A0000003')?.status).toBe('UPHELD');
    expect(w.sent).toHaveLength(1);
  });
});

describe('confirmAppealOverturn', () => {
  it('refuses the proposer, recognised by stable user id however the name is written', async () => {
    const w = world(refused('A0000004'));
    await decideAppeal(w.deps, POLICY, { appealId: 'A0000004', ...overturn, ...maker });

    const attempt = confirmAppealOverturn(w.deps, {
      appealId: 'A0000004',
      by: ' OLIVIA',
      role: 'program-officer',
    });

    await expect(attempt).rejects.toBeInstanceOf(ForbiddenError);
    expect(w.store.items.get('A0000004')?.status).toBe('PROPOSED');
    expect(w.enrolled.size).toBe(0);
  });

  it('enrolls, records and tells the household once another officer confirms, the ledger naming both', async () => {
    const w = world(refused('A0000005'));
    await decideAppeal(w.deps, POLICY, { appealId: 'A0000005', ...overturn, ...maker });

    const resolved = await confirmAppealOverturn(w.deps, { appealId: 'A0000005', ...checker });

    expect(resolved.status).toBe('OVERTURNED');
    expect(w.enrolled.get(enrollmentKey('C-1', 'HH-A0000005'))?.amount).toBe(12000);
    expect(w.sent).toHaveLength(1);
    expect(w.ledger.entries.map((e) => [e.action, e.actor])).toEqual([
      ['appeal.propose', 'olivia'],
      ['appeal.confirm', 'bilal'],
      ['appeal.resolve', 'bilal'],
    ]);
  });

  it('of two officers confirming at once, one does and the other gets a conflict; one enrollment, one SMS', async () => {
    const w = world(refused('A0000006'));
    await decideAppeal(w.deps, POLICY, { appealId: 'A0000006', ...overturn, ...maker });

    const results = await Promise.allSettled([
      confirmAppealOverturn(w.deps, { appealId: 'A0000006', ...checker }),
      confirmAppealOverturn(w.deps, { appealId: 'A0000006', by: 'sana', role: 'program-officer' }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusedOne = results.find((r) => r.status === 'rejected');
    expect(refusedOne?.status === 'rejected' && refusedOne.reason).toBeInstanceOf(ConflictError);
    expect(w.enrolled.size).toBe(1);
    expect(w.sent).toHaveLength(1);
  });

  it.each([
    'appeal-confirm.after-claim',
    'appeal-confirm.after-audit',
    'appeal.after-claim',
    'appeal.after-enroll',
    'appeal.after-audit',
    'appeal.after-complete',
  ])(
    'converges on the uncrashed final state when the confirmer re-runs after a crash at %s',
    async (point) => {
      const clean = world(refused('A0000007'));
      await decideAppeal(clean.deps, POLICY, { appealId: 'A0000007', ...overturn, ...maker });
      await confirmAppealOverturn(clean.deps, { appealId: 'A0000007', ...checker });
      const w = world(refused('A0000007'));
      await decideAppeal(w.deps, POLICY, { appealId: 'A0000007', ...overturn, ...maker });

      setCrashHook(crashOnceAt(point));
      await expect(
        confirmAppealOverturn(w.deps, { appealId: 'A0000007', ...checker }),
      ).rejects.toBeInstanceOf(InjectedCrashError);
      setCrashHook(undefined);
      w.tick(60_000);
      await confirmAppealOverturn(w.deps, { appealId: 'A0000007', ...checker });

      expect(w.store.items.get('A0000007')).toEqual(clean.store.items.get('A0000007'));
      expect([...w.enrolled.values()]).toEqual([...clean.enrolled.values()]);
      expect(w.ledger.entries.map((e) => [e.action, e.actor, e.after])).toEqual(
        clean.ledger.entries.map((e) => [e.action, e.actor, e.after]),
      );
      expect(new Set(w.sent.map((s) => s.id))).toEqual(new Set(clean.sent.map((s) => s.id)));
    },
  );
});

describe('declineAppealOverturn', () => {
  it('puts the appeal back to OPEN with who declined it; nothing enrolled; it can then be upheld', async () => {
    const w = world(refused('A0000008'));
    await decideAppeal(w.deps, POLICY, { appealId: 'A0000008', ...overturn, ...maker });

    await declineAppealOverturn(w.deps, {
      appealId: 'A0000008',
      reason: 'Registration papers not seen',
      ...checker,
    });
    await decideAppeal(w.deps, POLICY, {
      appealId: 'A0000008',
      outcome: 'UPHELD',
      reason: 'Vehicle still registered',
      ...checker,
    });

    expect(w.store.items.get('A0000008')).toMatchObject({
      status: 'UPHELD',
      proposal: { by: 'olivia', declinedBy: 'bilal' },
    });
    expect(w.enrolled.size).toBe(0);
    expect(w.ledger.entries.map((e) => e.action)).toEqual([
      'appeal.propose',
      'appeal.decline',
      'appeal.resolve',
    ]);
  });

  it('refuses the proposer', async () => {
    const w = world(refused('A0000009'));
    await decideAppeal(w.deps, POLICY, { appealId: 'A0000009', ...overturn, ...maker });

    await expect(
      declineAppealOverturn(w.deps, { appealId: 'A0000009', reason: 'changed my mind', ...maker }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('assignAppeal and addAppealNote', () => {
  it('assigns to an officer, audited; an assignment made meanwhile by someone else is a conflict', async () => {
    const w = world(refused('A0000010'));

    await assignAppeal(w.deps, { appealId: 'A0000010', to: 'olivia', expected: '', ...maker });
    const stale = assignAppeal(w.deps, { appealId: 'A0000010', to: 'bilal', expected: '', ...checker });

    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    expect(w.store.items.get('A0000010')?.assignment).toMatchObject({ to: 'olivia', by: 'olivia' });
    expect(w.ledger.entries.map((e) => [e.action, e.after])).toEqual([
      ['appeal.assign', { assignedTo: 'olivia' }],
    ]);
  });

  it('appends notes in order, never replacing one; the same note id twice is one note and one ledger entry', async () => {
    const w = world(refused('A0000011'));

    await addAppealNote(w.deps, {
      appealId: 'A0000011',
      noteId: 'note-0001',
      text: 'Called the household',
      ...maker,
    });
    w.tick(60_000);
    await addAppealNote(w.deps, {
      appealId: 'A0000011',
      noteId: 'note-0002',
      text: 'Papers on file',
      ...checker,
    });
    await addAppealNote(w.deps, {
      appealId: 'A0000011',
      noteId: 'note-0002',
      text: 'Papers on file',
      ...checker,
    });

    expect(w.store.items.get('A0000011')?.notes?.map((n) => [n.by, n.text])).toEqual([
      ['olivia', 'Called the household'],
      ['bilal', 'Papers on file'],
    ]);
    expect(w.ledger.entries.map((e) => e.action)).toEqual(['appeal.note', 'appeal.note']);
  });
});

describe('the staff steps after a crash', () => {
  type World = ReturnType<typeof world>;
  const steps: Record<string, (w: World) => Promise<unknown>> = {
    'appeal-propose.after-write': (w) =>
      decideAppeal(w.deps, POLICY, { appealId: 'A0000031', ...overturn, ...maker }),
    'appeal-assign.after-write': (w) =>
      assignAppeal(w.deps, { appealId: 'A0000031', to: 'bilal', expected: '', ...maker }),
    'appeal-note.after-write': (w) =>
      addAppealNote(w.deps, {
        appealId: 'A0000031',
        noteId: 'note-0031',
        text: 'Desk visit booked',
        ...maker,
      }),
    'appeal-decline.after-write': async (w) => {
      if (!w.store.items.get('A0000031')?.proposal)
        await decideAppeal(w.deps, POLICY, { appealId: 'A0000031', ...overturn, ...maker });
      return declineAppealOverturn(w.deps, { appealId: 'A0000031', reason: 'No papers seen', ...checker });
    },
  };

  it.each(Object.keys(steps))(
    'converges on the uncrashed state when re-run after a crash at %s',
    async (point) => {
      const step = steps[point] as (w: World) => Promise<unknown>;
      const clean = world(refused('A0000031'));
      await step(clean);
      const w = world(refused('A0000031'));

      setCrashHook(crashOnceAt(point));
      await expect(step(w)).rejects.toBeInstanceOf(InjectedCrashError);
      setCrashHook(undefined);
      w.tick(60_000);
      await step(w);

      expect(w.store.items.get('A0000031')).toEqual(clean.store.items.get('A0000031'));
      expect(w.ledger.entries.map((e) => [e.action, e.actor, e.actionId, e.after])).toEqual(
        clean.ledger.entries.map((e) => [e.action, e.actor, e.actionId, e.after]),
      );
    },
  );
});

describe('appeal policy', () => {
  it('reads the target and the second-officer amount from the environment, failing fast on a bad value', () => {
    expect(appealPolicyFromEnv({})).toEqual({
      targetDays: 7,
      secondOfficerAmount: 10_000,
      secondOfficerAfter: 20,
    });
    expect(
      appealPolicyFromEnv({ MADAD_APPEAL_TARGET_DAYS: '3', MADAD_APPEAL_SECOND_OFFICER_PKR: '0' }),
    ).toEqual({
      targetDays: 3,
      secondOfficerAmount: 0,
      secondOfficerAfter: 20,
    });
    expect(appealPolicyFromEnv({ MADAD_APPEAL_SECOND_OFFICER_AFTER: '5' }).secondOfficerAfter).toBe(5);
    expect(() => appealPolicyFromEnv({ MADAD_APPEAL_TARGET_DAYS: 'seven' })).toThrow(
      /MADAD_APPEAL_TARGET_DAYS/,
    );
  });

  it('counts an appeal overdue past its target time', () => {
    const opened = { openedAt: '2026-08-10T10:00:00Z' };

    expect(appealAge(opened, new Date('2026-08-17T09:59:00Z'), { targetDays: 7 }).overdue).toBe(false);
    expect(appealAge(opened, new Date('2026-08-17T10:01:00Z'), { targetDays: 7 })).toMatchObject({
      days: 7,
      overdue: true,
    });
  });
});
