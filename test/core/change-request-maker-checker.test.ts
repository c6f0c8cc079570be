import {
  approveChangeRequest,
  type Change,
  ConflictError,
  crashOnceAt,
  ForbiddenError,
  fileChangeRequest,
  formatCnic,
  type HouseholdMemberItem,
  hashCnic,
  InjectedCrashError,
  maskCnic,
  proposeChangeRequest,
  rejectChangeRequest,
  setCrashHook,
  ValidationError,
} from '@madad/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_PEPPER, memoryChangeRequests } from '../support/change-request-fakes.js';

/**
 * Issue 13, finding 2: one program officer filed a `member-born` change adding a "female head born
 * 2026" with an accomplice's CNIC, approved it himself and paid the accomplice, with nothing in the
 * ledger. Every change is now proposed by one staff member and approved by another.
 */
const hash = (cnic: string) => hashCnic(FAKE_PEPPER, cnic);
const member = (cnic: string, relation: string, gender: 'male' | 'female'): HouseholdMemberItem => ({
  cnic: formatCnic(cnic),
  cnicMasked: maskCnic(cnic),
  cnicHash: hash(cnic),
  name: 'Member',
  relation,
  gender,
});
const HEAD = '3520212345671';
const NEWBORN = '3520299999902';
const ACCOMPLICE = '3520288888881';
const DEAD = '3520277777771';
const BLOCKED = '3520266666661';
const ELSEWHERE = '3520255555551';
const OMAR = { user: 'omar', role: 'program-officer' };
const OLIVIA = { user: 'olivia', role: 'program-officer' };
const PETER = { user: 'peter', role: 'program-officer' };

const born = (cnic: string, over: Partial<Record<string, unknown>> = {}): Change => ({
  type: 'member-born',
  member: {
    cnic,
    name: 'Baby',
    gender: 'female',
    birthYear: 2026,
    relation: 'child',
    maritalStatus: 'single',
    disabled: false,
    ...over,
  } as Extract<Change, { type: 'member-born' }>['member'],
});

let fake: ReturnType<typeof memoryChangeRequests>;
let nextId = 0;

beforeEach(() => {
  fake = memoryChangeRequests();
  fake.addHousehold('HH-1', [member(HEAD, 'head', 'male')]);
  fake.addHousehold('HH-2', [member(ELSEWHERE, 'head', 'female')]);
  fake.identities.set(hash(NEWBORN), { status: 'ALIVE', gender: 'female', birthYear: 2026 });
  fake.identities.set(hash(ACCOMPLICE), { status: 'ALIVE', gender: 'male', birthYear: 1985 });
  fake.identities.set(hash(DEAD), { status: 'DECEASED', gender: 'female', birthYear: 2026 });
  fake.identities.set(hash(BLOCKED), { status: 'BLOCKED', gender: 'female', birthYear: 2026 });
  fake.identities.set(hash(ELSEWHERE), { status: 'ALIVE', gender: 'female', birthYear: 2026 });
});
afterEach(() => setCrashHook(undefined));

/** A household's own request, as the public route stores it (fixed id, so runs compare). */
async function submitted(change: Change, householdId = 'HH-1'): Promise<string> {
  const requestId = `CR-0000000${++nextId % 10}`;
  await fake.deps.changeRequests.create({
    requestId,
    householdId,
    change,
    status: 'SUBMITTED',
    requestedAt: '2026-03-01T09:00:00.000Z',
    requestedBy: '+923001234567',
    channel: 'household',
  });
  return requestId;
}
const ids = (requestId: string, householdId = 'HH-1') => ({ householdId, requestId });
const decision = (requestId: string, householdId = 'HH-1') => ({
  ...ids(requestId, householdId),
  reason: 'Checked the B-form at the desk',
});
const membersOf = (householdId: string) =>
  fake.households.get(householdId)?.household.members.map((m) => m.cnicHash);

describe('finding 2: maker-checker for change requests', () => {
  it('refuses the proposer as approver, whatever the case or Unicode form of the user id', async () => {
    for (const [proposer, checker] of [
      ['omar', 'omar'],
      ['omar', 'OMAR'],
      ['omar', ' Omar '],
      ['omar', 'ｏｍａｒ'],
      ['müller', 'MU\u0308LLER'],
      ['straße', 'STRASSE'],
    ] as const) {
      const requestId = await submitted(born(NEWBORN));
      await proposeChangeRequest(fake.deps, { user: proposer, role: 'program-officer' }, ids(requestId));

      await expect(
        approveChangeRequest(fake.deps, { user: checker, role: 'program-officer' }, decision(requestId)),
      ).rejects.toBeInstanceOf(ForbiddenError);

      expect(fake.requests.get(`HH-1/${requestId}`)?.status).toBe('PROPOSED');
    }
    expect(membersOf('HH-1')).toEqual([hash(HEAD)]);
    expect(fake.audit.map((e) => e.action)).not.toContain('change-request.approve');
  });

  it('does not let a household submission be approved before a staff member proposes it', async () => {
    const requestId = await submitted(born(NEWBORN));

    await expect(approveChangeRequest(fake.deps, OLIVIA, decision(requestId))).rejects.toBeInstanceOf(
      ConflictError,
    );
    await proposeChangeRequest(fake.deps, OMAR, ids(requestId));
    const approved = await approveChangeRequest(fake.deps, OLIVIA, decision(requestId));

    expect(approved).toMatchObject({ status: 'APPROVED', proposedBy: 'omar', decidedBy: 'olivia' });
    expect(membersOf('HH-1')).toEqual([hash(HEAD), hash(NEWBORN)]);
    expect(fake.persons.get(hash(NEWBORN))).toBe('HH-1');
    expect(fake.viewsRefreshed).toContain('HH-1');
  });

  it('refuses the attack: an adult accomplice added as a newborn female head', async () => {
    const attack = born(ACCOMPLICE, { relation: 'head' });
    await expect(
      fileChangeRequest(fake.deps, OMAR, { householdId: 'HH-1', change: attack }),
    ).rejects.toBeInstanceOf(ValidationError);
    // Even as a "child", the ID authority knows him as a man born in 1985.
    await expect(
      fileChangeRequest(fake.deps, OMAR, { householdId: 'HH-1', change: born(ACCOMPLICE) }),
    ).rejects.toThrow(/gender or birth year/);
  });

  it.each([
    ['unknown to the ID authority', '3520211111111', ValidationError, /does not know/],
    ['deceased', DEAD, ValidationError, /DECEASED/],
    ['blocked', BLOCKED, ValidationError, /BLOCKED/],
    ['already in another household', ELSEWHERE, ConflictError, /another household/],
  ])('refuses a new member %s, at proposal and at approval', async (_case, cnic, type, message) => {
    const requestId = await submitted(born(cnic));
    await expect(proposeChangeRequest(fake.deps, OMAR, ids(requestId))).rejects.toBeInstanceOf(type);

    // Proposed while the member was fine; the registry changed before the approval.
    const later = await submitted(born(NEWBORN));
    await proposeChangeRequest(fake.deps, OMAR, ids(later));
    const record = fake.requests.get(`HH-1/${later}`);
    if (record) fake.requests.set(`HH-1/${later}`, { ...record, change: born(cnic) });
    await expect(approveChangeRequest(fake.deps, OLIVIA, decision(later))).rejects.toThrow(message);

    expect(fake.requests.get(`HH-1/${later}`)?.status).toBe('PROPOSED');
    expect(membersOf('HH-1')).toEqual([hash(HEAD)]);
    expect(fake.persons.get(hash(cnic))).toBe(cnic === ELSEWHERE ? 'HH-2' : undefined);
  });

  it('gives two approvers acting at once one outcome', async () => {
    const requestId = await submitted(born(NEWBORN));
    await proposeChangeRequest(fake.deps, OMAR, ids(requestId));

    const results = await Promise.allSettled([
      approveChangeRequest(fake.deps, OLIVIA, decision(requestId)),
      approveChangeRequest(fake.deps, PETER, decision(requestId)),
      rejectChangeRequest(fake.deps, PETER, decision(requestId)),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const final = fake.requests.get(`HH-1/${requestId}`)?.status;
    expect(final === 'APPROVED' || final === 'REJECTED').toBe(true);
    expect(membersOf('HH-1')).toEqual(final === 'APPROVED' ? [hash(HEAD), hash(NEWBORN)] : [hash(HEAD)]);
    expect(fake.audit.filter((e) => e.action !== 'change-request.propose')).toHaveLength(1);
  });

  it('indexes one CNIC to one household when two households add it at once', async () => {
    const first = await submitted(born(NEWBORN), 'HH-1');
    const second = await submitted(born(NEWBORN), 'HH-2');
    await proposeChangeRequest(fake.deps, OMAR, ids(first, 'HH-1'));
    await proposeChangeRequest(fake.deps, OMAR, ids(second, 'HH-2'));

    const results = await Promise.allSettled([
      approveChangeRequest(fake.deps, OLIVIA, decision(first, 'HH-1')),
      approveChangeRequest(fake.deps, OLIVIA, decision(second, 'HH-2')),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const owner = fake.persons.get(hash(NEWBORN));
    const listing = ['HH-1', 'HH-2'].filter((h) => membersOf(h)?.includes(hash(NEWBORN)));
    expect(listing).toEqual([owner]);
  });

  it('writes every proposal, approval and rejection to the ledger with a deterministic action id', async () => {
    const approved = await submitted(born(NEWBORN));
    await proposeChangeRequest(fake.deps, OMAR, ids(approved));
    await approveChangeRequest(fake.deps, OLIVIA, decision(approved));
    const rejected = await submitted({ type: 'new-phone', phone: '03451112233' });
    await rejectChangeRequest(fake.deps, OLIVIA, decision(rejected));

    expect(fake.audit.map((e) => [e.action, e.actor, e.actionId])).toEqual([
      ['change-request.propose', 'omar', `change-request.propose/HH-1/${approved}`],
      ['change-request.approve', 'olivia', `change-request.approve/HH-1/${approved}`],
      ['change-request.reject', 'olivia', `change-request.reject/HH-1/${rejected}`],
    ]);
    expect(fake.audit[1]).toMatchObject({
      subject: `change-request/HH-1/${approved}`,
      before: { status: 'PROPOSED', proposedBy: 'omar' },
      after: { status: 'APPROVED', change: born(NEWBORN) },
    });
  });

  it('records a directly filed proposal in the ledger even when filing crashed before its entry', async () => {
    setCrashHook(crashOnceAt('change-file.after-create'));
    await expect(
      fileChangeRequest(fake.deps, OMAR, { householdId: 'HH-1', change: born(NEWBORN) }),
    ).rejects.toBeInstanceOf(InjectedCrashError);
    setCrashHook(undefined);
    const [filed] = [...fake.requests.values()];
    expect(fake.audit).toEqual([]);

    await approveChangeRequest(fake.deps, OLIVIA, decision(filed?.requestId ?? ''));

    expect(fake.audit.map((e) => [e.action, e.actor])).toEqual([
      ['change-request.propose', 'omar'],
      ['change-request.approve', 'olivia'],
    ]);
  });
});

describe('finding 2: a crash at any step of a change approval converges on re-run', () => {
  /** Propose (if not yet) and approve, as an officer re-running the flow after a crash would. */
  async function proposeAndApprove(requestId: string) {
    const status = fake.requests.get(`HH-1/${requestId}`)?.status;
    if (status === 'SUBMITTED' || status === 'PROPOSED')
      await proposeChangeRequest(fake.deps, OMAR, ids(requestId));
    return approveChangeRequest(fake.deps, OLIVIA, decision(requestId));
  }

  async function uncrashed() {
    nextId = 0;
    const requestId = await submitted(born(NEWBORN));
    await proposeAndApprove(requestId);
    return fake.snapshot();
  }

  it.each([
    'change-propose.after-status',
    'change-approve.after-claim',
    'change-approve.after-index',
    'change-approve.after-household',
    'change-approve.after-views',
    'change-approve.after-audit',
  ])('crash at %s, then re-run: the same state and ledger as without the crash', async (point) => {
    const expected = await uncrashed();
    fake = memoryChangeRequests();
    fake.addHousehold('HH-1', [member(HEAD, 'head', 'male')]);
    fake.addHousehold('HH-2', [member(ELSEWHERE, 'head', 'female')]);
    fake.identities.set(hash(NEWBORN), { status: 'ALIVE', gender: 'female', birthYear: 2026 });
    nextId = 0;
    const requestId = await submitted(born(NEWBORN));

    setCrashHook(crashOnceAt(point));
    await expect(proposeAndApprove(requestId)).rejects.toBeInstanceOf(InjectedCrashError);
    setCrashHook(undefined);
    await proposeAndApprove(requestId);

    expect(fake.snapshot()).toEqual(expected);
  });

  it('lets another officer complete an interrupted approval, telling them whose it is', async () => {
    const requestId = await submitted(born(NEWBORN));
    await proposeChangeRequest(fake.deps, OMAR, ids(requestId));
    setCrashHook(crashOnceAt('change-approve.after-household'));
    await expect(approveChangeRequest(fake.deps, OLIVIA, decision(requestId))).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    setCrashHook(undefined);

    await expect(approveChangeRequest(fake.deps, PETER, decision(requestId))).rejects.toThrow(
      /approved by olivia/,
    );

    expect(fake.requests.get(`HH-1/${requestId}`)).toMatchObject({ status: 'APPROVED', decidedBy: 'olivia' });
    expect(fake.audit.filter((e) => e.action === 'change-request.approve').map((e) => e.actor)).toEqual([
      'olivia',
    ]);
  });

  it('releases the newborn index of a crashed approval when the re-run finds the change no longer fits', async () => {
    const requestId = await submitted(born(NEWBORN));
    await proposeChangeRequest(fake.deps, OMAR, ids(requestId));
    setCrashHook(crashOnceAt('change-approve.after-index'));
    await expect(approveChangeRequest(fake.deps, OLIVIA, decision(requestId))).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    expect(fake.persons.get(hash(NEWBORN))).toBe('HH-1');
    fake.identities.set(hash(NEWBORN), { status: 'BLOCKED', gender: 'female', birthYear: 2026 });

    await expect(approveChangeRequest(fake.deps, PETER, decision(requestId))).rejects.toThrow(/BLOCKED/);

    expect(fake.requests.get(`HH-1/${requestId}`)?.status).toBe('PROPOSED');
    expect(fake.requests.get(`HH-1/${requestId}`)?.decidedBy).toBeUndefined();
    expect(fake.persons.has(hash(NEWBORN))).toBe(false);
    expect(membersOf('HH-1')).toEqual([hash(HEAD)]);
  });

  it('crash after a rejection is stored, then re-run: the rejection is in the ledger once', async () => {
    const requestId = await submitted(born(NEWBORN));
    setCrashHook(crashOnceAt('change-reject.after-status'));
    await expect(rejectChangeRequest(fake.deps, OLIVIA, decision(requestId))).rejects.toBeInstanceOf(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    expect(fake.audit).toEqual([]);

    await rejectChangeRequest(fake.deps, OLIVIA, decision(requestId));
    await rejectChangeRequest(fake.deps, OLIVIA, decision(requestId));

    expect(fake.audit.map((e) => e.action)).toEqual(['change-request.reject']);
    expect(fake.requests.get(`HH-1/${requestId}`)).toMatchObject({ status: 'REJECTED', decidedBy: 'olivia' });
  });
});
