import { batchPutAll, getRuntime, identityItem, loadSecrets } from '@madad/adapters';
import type { IdentityImport } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitAndFind } from '../support/change-requests.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

/**
 * Issue 13, finding 2, replayed on the embedded stack: a program officer reads a household's CNICs
 * and phone, files a public `member-born` change adding a "female head born 2026" with an
 * accomplice's CNIC and approves it himself. Now he cannot; a second officer must, the ID authority
 * must know the newcomer, and every step is in the ledger.
 */
const ACCOMPLICE = '3520288888881';
const NEWBORN = '4210199999902';
const OTHER_HOUSEHOLDS_CHILD = '3520298765431';
const HEAD_CNIC = '4210112345673';
const PHONE = '03211234567';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack();
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  const identity = (cnic: string, gender: 'male' | 'female', birthYear: number): IdentityImport => ({
    cnic,
    name: 'Known',
    gender,
    birthYear,
    status: 'ALIVE',
    simPhones: [],
  });
  await batchPutAll(
    doc,
    config.tables.registry,
    [
      identity(ACCOMPLICE, 'male', 1985),
      identity(NEWBORN, 'female', 2026),
      identity(OTHER_HOUSEHOLDS_CHILD, 'male', 2004),
    ].map((i) => identityItem(cnicPepper, i)),
  );
});

afterAll(async () => {
  await t.stop();
});

const submitted = () => t.staff('/api/v1/change-requests?status=SUBMITTED', ['program-officer']);
const submit = (member: Record<string, unknown>) =>
  submitAndFind(submitted, 'DEMO-0002', () =>
    fetch(`${t.stack.httpUrl}/api/v1/change-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cnic: HEAD_CNIC,
        phone: PHONE,
        change: {
          type: 'member-born',
          member: { name: 'Baby', maritalStatus: 'single', disabled: false, ...member },
        },
      }),
    }),
  );
const act = (requestId: string, action: string, user: string) =>
  t.staff(`/api/v1/change-requests/DEMO-0002/${requestId}/${action}`, ['program-officer'], {
    method: 'POST',
    body: JSON.stringify({ reason: 'Seen the B-form at the desk' }),
    user,
  });
const members = async () =>
  ((await (await t.staff('/api/v1/households/DEMO-0002', ['approver'])).json()) as { members: unknown[] })
    .members.length;

describe('finding 2: one program officer can no longer redirect a payment', () => {
  it('refuses the accomplice, refuses self-approval, and takes a second officer and the ledger for a birth', async () => {
    const read = await t.staff('/api/v1/households/DEMO-0002', ['program-officer'], { user: 'omar' });
    expect(read.status).toBe(200);

    const attack = await submit({ cnic: ACCOMPLICE, gender: 'female', birthYear: 2026, relation: 'head' });
    expect((await act(attack, 'propose', 'omar')).status).toBe(400);
    const disguised = await submit({
      cnic: ACCOMPLICE,
      gender: 'female',
      birthYear: 2026,
      relation: 'child',
    });
    expect((await act(disguised, 'propose', 'omar')).status).toBe(400);

    const birth = await submit({ cnic: NEWBORN, gender: 'female', birthYear: 2026, relation: 'child' });
    expect((await act(birth, 'approve', 'omar')).status).toBe(409);
    expect((await act(birth, 'propose', 'omar')).status).toBe(200);
    expect((await act(birth, 'approve', 'omar')).status).toBe(403);
    expect((await act(birth, 'approve', 'OMAR')).status).toBe(403);
    expect(await members()).toBe(2);

    const approved = await act(birth, 'approve', 'olivia');
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({
      status: 'APPROVED',
      proposedBy: 'omar',
      decidedBy: 'olivia',
    });
    expect(await members()).toBe(3);

    const ledger = (await (await t.staff('/api/v1/audit?limit=1000', ['auditor'])).json()) as {
      items: { action: string; actor: string; subject: string }[];
    };
    const entries = ledger.items.map((e) => [e.action, e.actor, e.subject]);
    expect(entries).toContainEqual(['household.read-raw', 'omar', 'household/DEMO-0002']);
    // The approver's reads showed masked CNICs: not raw reads.
    expect(
      entries.filter(([action, actor]) => action === 'household.read-raw' && actor === 'tester-approver'),
    ).toEqual([]);
    expect(entries).toContainEqual(['change-request.propose', 'omar', `change-request/DEMO-0002/${birth}`]);
    expect(entries).toContainEqual(['change-request.approve', 'olivia', `change-request/DEMO-0002/${birth}`]);
    expect(
      entries.filter(([action, actor]) => action === 'change-request.approve' && actor !== 'olivia'),
    ).toEqual([]);
  });

  it('gives two officers approving one proposal at once one outcome', async () => {
    const requestId = await submitAndFind(submitted, 'DEMO-0002', () =>
      fetch(`${t.stack.httpUrl}/api/v1/change-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          cnic: HEAD_CNIC,
          phone: PHONE,
          change: { type: 'new-phone', phone: '03459998877' },
        }),
      }),
    );
    expect((await act(requestId, 'propose', 'omar')).status).toBe(200);

    const statuses = await Promise.all(
      ['olivia', 'peter', 'parveen'].map(async (u) => (await act(requestId, 'approve', u)).status),
    );

    expect(statuses.sort()).toEqual([200, 409, 409]);
    const ledger = (await (await t.staff('/api/v1/audit?limit=1000', ['auditor'])).json()) as {
      items: { action: string; subject: string }[];
    };
    expect(
      ledger.items.filter(
        (e) => e.subject === `change-request/DEMO-0002/${requestId}` && e.action.endsWith('approve'),
      ),
    ).toHaveLength(1);
    const phones = (
      (await (await t.staff('/api/v1/households/DEMO-0002', ['approver'])).json()) as { phones: string[] }
    ).phones;
    expect(phones.filter((p) => p === '+923459998877')).toHaveLength(1);
  });

  it('refuses a new member whose name carries a bidi override or a line break (finding 9), with a 400', async () => {
    for (const name of ['Baby\u202Eeno', 'Baby\n123,35202-0000000-1,Forged,99999,Lahore']) {
      const response = await fetch(`${t.stack.httpUrl}/api/v1/change-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          cnic: HEAD_CNIC,
          phone: PHONE,
          change: {
            type: 'member-born',
            member: {
              cnic: NEWBORN,
              name,
              gender: 'female',
              birthYear: 2026,
              relation: 'child',
              maritalStatus: 'single',
              disabled: false,
            },
          },
        }),
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(/control or bidi character/);
    }
  });

  it('refuses to put one CNIC into two households, by the public path or filed by staff', async () => {
    const member = { cnic: OTHER_HOUSEHOLDS_CHILD, gender: 'male', birthYear: 2004, relation: 'child' };
    const requestId = await submit(member);
    expect((await act(requestId, 'propose', 'omar')).status).toBe(409);

    const filed = await t.staff('/api/v1/households/DEMO-0002/change-requests', ['program-officer'], {
      method: 'POST',
      body: JSON.stringify({
        change: {
          type: 'member-born',
          member: { ...member, name: 'Imran', maritalStatus: 'single', disabled: false },
        },
      }),
      user: 'omar',
    });
    expect(filed.status).toBe(409);
    expect(await members()).toBe(3);
  });
});
