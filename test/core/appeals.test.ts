import {
  type Appeal,
  type AppealStore,
  appealOutcomeText,
  appealReceivedText,
  type Campaign,
  countSegments,
  type DecisionOfRecord,
  type Enrollment,
  type EnrollmentStore,
  enrollmentKey,
  type OutboundSms,
  resolveAppeal,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

function fakeAppeals(initial: Appeal): AppealStore & { saved: Map<string, Appeal> } {
  const saved = new Map([[initial.appealId, initial]]);
  return {
    saved,
    open: async (a) => a,
    get: async (id) => saved.get(id),
    list: async () => [...saved.values()],
    resolve: async (id, status, resolution) => {
      const a = saved.get(id);
      if (a) saved.set(id, { ...a, status, resolution });
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
  return {
    store,
    sent,
    enrollments,
    records,
    deps: {
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
