import {
  ConflictError,
  choosePayee,
  confirmRectification,
  crashOnceAt,
  formatCnic,
  type HouseholdMemberItem,
  hashCnic,
  InjectedCrashError,
  maskCnic,
  type PayeeCandidate,
  proposeRectification,
  type Rectification,
  rectificationIdOf,
  setCrashHook,
  settleRectification,
} from '@madad/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryRectifications } from '../../support/rectification-fakes.js';

const HEAD = '3520212345671';
const SPOUSE = '3520212345682';
const hash = (cnic: string) => hashCnic('pepper', cnic);
const member = (
  cnic: string,
  relation: string,
  gender: 'male' | 'female',
  extra = {},
): HouseholdMemberItem => ({
  cnic: formatCnic(cnic),
  cnicMasked: maskCnic(cnic),
  cnicHash: hash(cnic),
  name: relation === 'head' ? 'Aslam Khan' : 'Shabana Bibi',
  relation,
  gender,
  ...extra,
});
const PAT = { user: 'pat', role: 'program-officer' };
const PAUL = { user: 'paul', role: 'program-officer' };
const QUINN = { user: 'quinn', role: 'program-officer' };

/** The survey recorded the spouse as a man; the ID authority says she is a woman. */
const SPOUSE_GENDER = rectificationIdOf(hash(SPOUSE), 'gender');
const ids = { householdId: 'HH-1', rectificationId: SPOUSE_GENDER };

function opened(over: Partial<Rectification> = {}): Rectification {
  return {
    rectificationId: SPOUSE_GENDER,
    householdId: 'HH-1',
    cnicHash: hash(SPOUSE),
    cnicMasked: maskCnic(SPOUSE),
    field: 'gender',
    survey: 'male',
    authority: 'female',
    district: 'Lahore',
    tehsil: 'Lahore City',
    source: 'survey',
    status: 'OPEN',
    foundAt: '2026-03-01T09:00:00.000Z',
    runId: 'CV-1',
    ...over,
  };
}

/** Payee candidates as the payee directory builds them from the household item (all alive to the ID authority). */
function candidates(fake: ReturnType<typeof memoryRectifications>): PayeeCandidate[] {
  const members = fake.households.get('HH-1')?.household.members ?? [];
  return members.map((m) => ({
    cnicHash: m.cnicHash,
    cnic: m.cnic,
    cnicMasked: m.cnicMasked,
    name: m.name ?? '',
    relation: m.relation,
    gender: m.gender === 'female' ? 'female' : 'male',
    ...(m.deceased ? { deceased: true } : {}),
    identityStatus: 'ALIVE',
  }));
}
const payeeHash = (fake: ReturnType<typeof memoryRectifications>) => {
  const choice = choosePayee(candidates(fake));
  return 'payee' in choice ? choice.payee.cnicHash : undefined;
};

let fake: ReturnType<typeof memoryRectifications>;
beforeEach(async () => {
  fake = memoryRectifications();
  fake.addHousehold('HH-1', [member(HEAD, 'head', 'male'), member(SPOUSE, 'spouse', 'male')]);
  await fake.deps.rectifications.open(opened());
});
afterEach(() => setCrashHook(undefined));

describe('accepting the ID authority’s value (maker-checker)', () => {
  it('refuses the proposer as confirmer, compared by user id', async () => {
    await proposeRectification(fake.deps, PAT, ids);

    await expect(confirmRectification(fake.deps, { user: 'pat', role: 'approver' }, ids)).rejects.toThrow(
      ConflictError,
    );
    expect(fake.items.get(`HH-1/${SPOUSE_GENDER}`)?.status).toBe('PROPOSED');
    expect(fake.households.get('HH-1')?.household.members[1]?.gender).toBe('male');
  });

  it('writes the corrected gender into the household at once, so payee choice changes', async () => {
    expect(payeeHash(fake)).toBe(hash(HEAD));

    await proposeRectification(fake.deps, PAT, ids);
    const accepted = await confirmRectification(fake.deps, PAUL, ids);

    expect(accepted.status).toBe('ACCEPTED');
    expect(fake.households.get('HH-1')?.household.members[1]?.gender).toBe('female');
    expect(fake.viewsRefreshed).toContain('HH-1');
    // The designated-recipient rule now picks the woman spouse.
    expect(payeeHash(fake)).toBe(hash(SPOUSE));
    expect(fake.audit.map((e) => [e.action, e.actor])).toEqual([
      ['rectification.propose', 'pat'],
      ['rectification.accept', 'paul'],
    ]);
  });

  it('clears a deceased mark the ID authority contradicts, so the member may be paid again', async () => {
    fake.addHousehold('HH-1', [
      member(HEAD, 'head', 'male'),
      member(SPOUSE, 'spouse', 'female', { deceased: true }),
    ]);
    const id = rectificationIdOf(hash(SPOUSE), 'deceased');
    await fake.deps.rectifications.open(
      opened({ rectificationId: id, field: 'deceased', survey: true, authority: false }),
    );
    expect(payeeHash(fake)).toBe(hash(HEAD));

    await proposeRectification(fake.deps, PAT, { householdId: 'HH-1', rectificationId: id });
    await confirmRectification(fake.deps, PAUL, { householdId: 'HH-1', rectificationId: id });

    expect(payeeHash(fake)).toBe(hash(SPOUSE));
  });

  it('gives one outcome when two checkers confirm at once', async () => {
    await proposeRectification(fake.deps, PAT, ids);

    const results = await Promise.allSettled([
      confirmRectification(fake.deps, PAUL, ids),
      confirmRectification(fake.deps, QUINN, ids),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(
      1,
    );
    expect(fake.households.get('HH-1')?.revision).toBe(1);
    expect(fake.audit.filter((e) => e.action === 'rectification.accept')).toHaveLength(1);
  });

  it('gives one outcome when a confirmation and a keep-the-survey decision race', async () => {
    await proposeRectification(fake.deps, PAT, ids);

    const results = await Promise.allSettled([
      confirmRectification(fake.deps, PAUL, ids),
      settleRectification(fake.deps, QUINN, { ...ids, outcome: 'KEPT', reason: 'Seen in person' }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const status = fake.items.get(`HH-1/${SPOUSE_GENDER}`)?.status;
    const gender = fake.households.get('HH-1')?.household.members[1]?.gender;
    expect([status, gender]).toEqual(status === 'ACCEPTED' ? ['ACCEPTED', 'female'] : ['KEPT', 'male']);
  });

  it.each([
    'rectify-accept.after-claim',
    'rectify-accept.after-household',
    'rectify-accept.after-views',
    'rectify-accept.after-audit',
  ])('converges after a crash at %s when the checker confirms again', async (point) => {
    const clean = memoryRectifications();
    clean.addHousehold('HH-1', [member(HEAD, 'head', 'male'), member(SPOUSE, 'spouse', 'male')]);
    await clean.deps.rectifications.open(opened());
    await proposeRectification(clean.deps, PAT, ids);
    await confirmRectification(clean.deps, PAUL, ids);
    await proposeRectification(fake.deps, PAT, ids);
    setCrashHook(crashOnceAt(point));

    await expect(confirmRectification(fake.deps, PAUL, ids)).rejects.toThrow(InjectedCrashError);
    const again = await confirmRectification(fake.deps, PAUL, ids);

    expect(again.status).toBe('ACCEPTED');
    expect(fake.snapshot()).toEqual(clean.snapshot());
  });

  it('lets anyone complete an interrupted acceptance, told it was the checker’s', async () => {
    await proposeRectification(fake.deps, PAT, ids);
    setCrashHook(crashOnceAt('rectify-accept.after-claim'));
    await expect(confirmRectification(fake.deps, PAUL, ids)).rejects.toThrow(InjectedCrashError);

    await expect(confirmRectification(fake.deps, QUINN, ids)).rejects.toThrow(/accepted by paul/);

    expect(fake.items.get(`HH-1/${SPOUSE_GENDER}`)?.status).toBe('ACCEPTED');
    expect(fake.audit.find((e) => e.action === 'rectification.accept')?.actor).toBe('paul');
  });
});

describe('keeping the survey’s value or sending for a field visit', () => {
  it('keeps the survey’s value with the reason, the registry untouched, audited', async () => {
    const kept = await settleRectification(fake.deps, PAT, {
      ...ids,
      outcome: 'KEPT',
      reason: 'CNIC copy seen',
    });

    expect(kept).toMatchObject({ status: 'KEPT', reason: 'CNIC copy seen', decidedBy: 'pat' });
    expect(fake.households.get('HH-1')?.revision).toBe(0);
    expect(fake.audit).toMatchObject([
      { action: 'rectification.keep', actor: 'pat', after: { reason: 'CNIC copy seen' } },
    ]);
  });

  it('sends for a field visit, from where it can still be proposed and accepted', async () => {
    await settleRectification(fake.deps, PAT, {
      ...ids,
      outcome: 'FIELD_VISIT',
      reason: 'Ask the neighbours',
    });
    await proposeRectification(fake.deps, PAT, ids);
    await confirmRectification(fake.deps, PAUL, ids);

    expect(fake.households.get('HH-1')?.household.members[1]?.gender).toBe('female');
    expect(fake.audit.map((e) => e.action)).toEqual([
      'rectification.field-visit',
      'rectification.propose',
      'rectification.accept',
    ]);
  });

  it('refuses to settle an accepted rectification', async () => {
    await proposeRectification(fake.deps, PAT, ids);
    await confirmRectification(fake.deps, PAUL, ids);

    await expect(
      settleRectification(fake.deps, QUINN, { ...ids, outcome: 'KEPT', reason: 'Too late' }),
    ).rejects.toThrow(ConflictError);
  });
});
