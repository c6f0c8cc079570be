import {
  type Appeal,
  type DecisionOfRecord,
  type Enrollment,
  enrollmentKey,
  flushReplies,
  hashCnic,
  latestOf,
  type OutboundSms,
  parseRegistration,
  prepareBatch,
  type ReconcileDeps,
  type RegistrationRecord,
  type RegistryMatch,
  reconcileOne,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryPhoneTallies } from '../../support/phone-tally-fakes.js';
import { memoryReferences } from '../../support/reference-fakes.js';
import { unitCampaign } from '../../support/unit-campaign.js';

const PEPPER = 'unit-pepper-0123456789';
const CNIC = '4230112345674';
const NOW = new Date('2026-08-20T10:00:00Z');

const campaign = unitCampaign();

/** In-memory fakes of every port the reconciler uses. */
function fakes() {
  const hash = hashCnic(PEPPER, CNIC);
  const registrations = new Map<string, RegistrationRecord>();
  const enrollments = new Map<string, Enrollment & { paymentState?: string }>();
  const sent: OutboundSms[] = [];
  const records = new Map<string, DecisionOfRecord>();
  /** What the reconciler asked of the ports that write: enrollments, decisions of record, counters. */
  const phones = memoryPhoneTallies();
  const calls = { enroll: 0, put: 0, counted: phones.calls };
  const withRecords = (h: string, m: RegistryMatch): RegistryMatch => ({
    ...m,
    decisionsOfRecord: [...records.values()].filter((d) => d.cnicHash === h),
  });
  const match: RegistryMatch = {
    exclusions: [],
    person: { cnicHash: hash, householdId: 'HH-1', relation: 'head' },
    identity: { cnicHash: hash, status: 'ALIVE', simPhones: [] },
    household: {
      householdId: 'HH-1',
      province: 'Sindh',
      district: 'Dadu',
      tehsil: 'Dadu',
      pmtScore: 12,
      programmes: [],
      members: [{ cnicHash: hash, relation: 'head', gender: 'female', exclusions: [] }],
      // The phones these tests send from are the household's: outcomes go only to tied phones.
      phones: ['+923001234567', '+923009999999'],
      status: 'active',
    },
  };
  const deps: ReconcileDeps = {
    pepper: PEPPER,
    references: memoryReferences(),
    clock: { now: () => NOW },
    registry: {
      resolve: async (hashes) =>
        new Map(hashes.map((h) => [h, withRecords(h, h === hash ? match : { exclusions: [] })])),
      addProvisional: async () => undefined,
    },
    campaigns: { inForce: async () => [campaign] },
    phones,
    decisions: {
      put: async (d) => {
        calls.put++;
        const key = `${d.cnicHash}|${d.campaignId}`;
        if (records.get(key)?.decision.status !== 'ELIGIBLE') records.set(key, d);
      },
      latest: async (h) => latestOf([...records.values()].filter((d) => d.cnicHash === h)),
    },
    replies: { enqueue: async (r) => void sent.push(...r) },
    appeals: {
      open: async (a: Appeal) => a,
      get: async () => undefined,
      list: async () => [],
      claim: async () => false,
      complete: async () => undefined,
    },
    enrollments: {
      find: async (pairs) =>
        new Map(
          pairs.flatMap((p) => {
            const e = enrollments.get(enrollmentKey(p.campaignId, p.householdId));
            return e ? [[enrollmentKey(p.campaignId, p.householdId), e] as const] : [];
          }),
        ),
      enroll: async (e) => {
        calls.enroll++;
        const existing = enrollments.get(enrollmentKey(e.campaignId, e.householdId));
        if (existing) return { created: false, existing };
        enrollments.set(enrollmentKey(e.campaignId, e.householdId), e);
        return { created: true };
      },
    },
    registrations: {
      record: async (r) => {
        const existing = registrations.get(r.messageId);
        if (existing) return { fresh: false, existing };
        registrations.set(r.messageId, r);
        return { fresh: true };
      },
    },
  };
  return { deps, registrations, enrollments, sent, records, calls };
}

async function handle(f: ReturnType<typeof fakes>, messageId: string, text: string, from = '+923001234567') {
  const item = parseRegistration(PEPPER, {
    channel: 'sms',
    messageId,
    from,
    to: '8171',
    text,
    acceptedAt: NOW.toISOString(),
  });
  const ctx = await prepareBatch(f.deps, [item]);
  const outcome = await reconcileOne(f.deps, item, ctx);
  await flushReplies(f.deps, ctx);
  return outcome;
}

describe('reconcileOne', () => {
  it('enrolls an eligible household once and answers with the amount', async () => {
    const f = fakes();
    expect(await handle(f, 'm1', CNIC)).toBe('DECIDED');
    expect(f.enrollments.size).toBe(1);
    expect(f.registrations.get('m1')?.decision).toMatchObject({ status: 'ELIGIBLE', amount: 12000 });
    expect(f.sent[0]?.text).toContain('12,000');
  });

  it("answers a second registration of the household from its other phone as a duplicate with the household's one reference", async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    await handle(f, 'm2', `REG ${CNIC}`, '+923009999999');
    const first = f.registrations.get('m1');
    expect(f.registrations.get('m2')?.decision).toMatchObject({
      status: 'DUPLICATE',
      reasons: ['ALREADY_ENROLLED'],
    });
    expect(f.sent[1]?.text).toContain(first?.reference ?? 'missing');
    expect(f.registrations.get('m2')?.reference).toBe(first?.reference);
    expect(f.enrollments.size).toBe(1);
  });

  it('queues the very same reply again, and records nothing, when a message is redelivered', async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    expect(await handle(f, 'm1', CNIC)).toBe('ALREADY_HANDLED');
    expect(f.sent).toHaveLength(2);
    expect(f.sent[1]).toEqual(f.sent[0]);
    expect(f.registrations.size).toBe(1);
  });

  it("keeps the household's CNIC masked in the stored reply and re-sends the first text byte for byte on redelivery", async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    await handle(f, 'm1', CNIC);

    const [first, again] = f.sent;
    expect(first?.text).toContain('HALAT 42301-1234567-4');
    expect(again?.text).toBe(first?.text);
    expect(again).toEqual(first);
    const stored = f.registrations.get('m1')?.reply?.text ?? '';
    expect(stored).toContain('HALAT 42***-*******-4');
    expect(stored.replace(/[^0-9]/g, '')).not.toContain(CNIC);
  });

  it("masks the CNIC in the notice a stranger's message sends the household, and re-sends it whole", async () => {
    const f = fakes();
    await handle(f, 's1', `REG ${CNIC}`, '+923335550000');
    await handle(f, 's1', `REG ${CNIC}`, '+923335550000');

    const notices = f.sent.filter((m) => m.to === '+923001234567');
    expect(notices).toHaveLength(2);
    expect(notices[0]?.text).toContain('42301-1234567-4');
    expect(notices[1]).toEqual(notices[0]);
    expect(f.registrations.get('s1')?.notice?.text).toContain('42***-*******-4');
    expect(JSON.stringify(f.registrations.get('s1'))).not.toContain('42301-1234567-4');
  });

  it('tells a paid household on STATUS that the money was paid', async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    const enrollment = f.enrollments.get(enrollmentKey('C-UNIT', 'HH-1'));
    if (enrollment)
      f.enrollments.set(enrollmentKey('C-UNIT', 'HH-1'), { ...enrollment, paymentState: 'paid' });
    expect(await handle(f, 'm2', `STATUS ${CNIC}`)).toBe('STATUS_ANSWERED');
    expect(f.sent[1]?.text).toContain('Your money has been paid.');
    expect(f.registrations.get('m2')?.decision).toBeUndefined();
  });

  it('records a flooding phone past its hourly allowance as RATE_LIMITED, tells it once, then stays silent', async () => {
    const f = fakes();
    f.deps = { ...f.deps, messagesPerPhoneHour: 3 } as typeof f.deps;
    for (let i = 1; i <= 6; i++) await handle(f, `flood-${i}`, 'HELP', '+923330000001');
    await handle(f, 'other-1', CNIC, '+923001234567');
    const statuses = [1, 2, 3, 4, 5, 6].map((i) => f.registrations.get(`flood-${i}`)?.decision?.status);
    expect(statuses).toEqual([
      undefined,
      undefined,
      undefined,
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect(f.sent.filter((r) => r.to === '+923330000001')).toHaveLength(4);
    expect(f.sent.find((r) => r.to === '+923001234567')?.text).toContain('12,000');
  });

  it("never lets a flood of STATUS messages become the household's latest decision", async () => {
    const f = fakes();
    f.deps = { ...f.deps, messagesPerPhoneHour: 2 } as typeof f.deps;
    await handle(f, 'm1', CNIC);
    for (let i = 1; i <= 4; i++) await handle(f, `status-flood-${i}`, `STATUS ${CNIC}`, '+923330000009');
    expect(f.registrations.get('status-flood-4')?.decision?.status).toBe('RATE_LIMITED');
    await handle(f, 'm2', `STATUS ${CNIC}`, '+923001234567');
    expect(f.sent.at(-1)?.text).toContain('12,000');
  });

  it('answers repeats from the decision of record: no second enrollment attempt, no new decision written', async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    await handle(f, 'm2', CNIC);
    await handle(f, 'm3', `REG ${CNIC}`, '+923009999999');
    expect(f.calls.enroll).toBe(1);
    expect(f.calls.put).toBe(1);
    expect(f.registrations.get('m3')?.decision).toMatchObject({
      status: 'DUPLICATE',
      inputs: { firstReference: f.registrations.get('m1')?.reference },
    });
  });

  it('gives a message that decided before a crash the same decision, without deciding again', async () => {
    const f = fakes();
    await handle(f, 'm1', CNIC);
    // The decision of record was written, then the process died before the registration record.
    f.registrations.delete('m1');
    f.sent.length = 0;
    expect(await handle(f, 'm1', CNIC)).toBe('DECIDED');
    expect(f.registrations.get('m1')?.decision).toMatchObject({ status: 'ELIGIBLE' });
    expect(f.enrollments.size).toBe(1);
    expect(f.sent[0]?.text).toContain('12,000');
  });

  it('ranks every phone by an atomic counter, one count a phone and hour a batch, calm or busy', async () => {
    const f = fakes();
    f.deps = { ...f.deps, messagesPerPhoneHour: 9 };
    for (let i = 1; i <= 2; i++) await handle(f, `calm-${i}`, 'HELP', '+923330000003');
    // A calm phone too: batches that saw it calm answered past the allowance when they overlapped.
    expect(f.calls.counted).toEqual(['+923330000003', '+923330000003']);
  });

  it('sends one flood notice per phone and hour whichever message carries it', async () => {
    const f = fakes();
    f.deps = { ...f.deps, messagesPerPhoneHour: 1 } as typeof f.deps;
    await handle(f, 'a-1', 'HELP', '+923330000005');
    await handle(f, 'a-2', 'HELP', '+923330000005');
    const notice = f.sent.at(-1);
    expect(notice?.id).toMatch(/^flood-[0-9a-f]+$/);
    expect(notice?.id).not.toContain('923330000005');
  });

  it('answers a member whose household another member enrolled as a duplicate again, writing nothing', async () => {
    const f = fakes();
    const hash = hashCnic(PEPPER, CNIC);
    f.records.set(`${hash}|C-UNIT`, {
      campaignId: 'C-UNIT',
      cnicHash: hash,
      messageId: 'earlier',
      reference: 'R-OWN',
      from: '+923001234567',
      channel: 'sms',
      lang: 'en',
      decision: {
        status: 'DUPLICATE',
        reasons: ['ALREADY_ENROLLED'],
        campaignId: 'C-UNIT',
        householdId: 'HH-1',
        ruleSetVersion: campaign.ruleSetVersion,
        inputs: { firstReference: 'R-FIRST' },
        decidedAt: NOW.toISOString(),
      },
    });
    await handle(f, 'm9', CNIC);
    expect(f.registrations.get('m9')?.decision).toMatchObject({
      status: 'DUPLICATE',
      inputs: { firstReference: 'R-FIRST' },
    });
    expect(f.calls.enroll).toBe(0);
    expect(f.records.get(`${hash}|C-UNIT`)?.messageId).toBe('earlier');
  });
});
