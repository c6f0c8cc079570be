import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueStaffToken } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { afterAll, describe, expect, it } from 'vitest';
import { submitAndFind } from '../support/change-requests.js';
import { type ChildStack, startChildStack, stopChildStack } from '../support/child-stack.js';

/**
 * Issue 13, finding 2 (crash-safe change approval): the stack is SIGKILLed after an approved change
 * wrote the household and before its ledger entry and final status; after a restart, approving again
 * completes the same approval once, the ledger included.
 */
let dataDir = '';
let stack: ChildStack | undefined;

afterAll(async () => {
  if (stack) await stopChildStack(stack);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function staff(s: ChildStack, path: string, roles: StaffRole[], user: string, body?: unknown) {
  const token = await issueStaffToken(s.env.MADAD_JWT_SECRET ?? '', { user, roles });
  return fetch(`${s.httpUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('finding 2: a kill during a change approval', () => {
  it('converges after a restart: the change applied once, approved once in the ledger, the chain intact', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'madad-change-crash-'));
    stack = await startChildStack(dataDir, { MADAD_CRASH_AT: 'change-approve.after-household' });
    // The household's payee (the spouse) reported deceased: a change of who is paid.
    const running = stack;
    const requestId = await submitAndFind(
      () => staff(running, '/api/v1/change-requests?status=SUBMITTED', ['program-officer'], 'omar'),
      'DEMO-0002',
      () =>
        fetch(`${running.httpUrl}/api/v1/change-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            cnic: '4210112345673',
            phone: '03211234567',
            change: { type: 'member-deceased', cnic: '4210112345674' },
          }),
        }),
    );
    const path = `/api/v1/change-requests/DEMO-0002/${requestId}`;
    expect((await staff(stack, `${path}/propose`, ['program-officer'], 'omar', {})).status).toBe(200);

    const exited = new Promise((resolve) => stack?.process.once('exit', resolve));
    const killed = await staff(stack, `${path}/approve`, ['program-officer'], 'olivia', {
      reason: 'Death certificate',
    })
      .then(() => 'answered')
      .catch(() => 'connection lost');
    expect(killed).toBe('connection lost');
    await exited;

    stack = await startChildStack(dataDir);
    const applying = (await (
      await staff(stack, '/api/v1/change-requests?status=APPLYING', ['program-officer'], 'omar')
    ).json()) as {
      items: { requestId: string }[];
    };
    expect(applying.items.map((r) => r.requestId)).toEqual([requestId]);
    const resumed = await staff(stack, `${path}/approve`, ['program-officer'], 'olivia', {
      reason: 'Death certificate',
    });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({
      status: 'APPROVED',
      proposedBy: 'omar',
      decidedBy: 'olivia',
    });

    const household = (await (
      await staff(stack, '/api/v1/households/DEMO-0002', ['approver'], 'amna')
    ).json()) as {
      members: { relation: string; deceased?: boolean }[];
    };
    expect(household.members.map((m) => [m.relation, m.deceased ?? false])).toEqual([
      ['head', false],
      ['spouse', true],
    ]);
    const ledger = (await (await staff(stack, '/api/v1/audit?limit=1000', ['auditor'], 'audrey')).json()) as {
      items: { action: string; subject: string }[];
    };
    const subject = `change-request/DEMO-0002/${requestId}`;
    expect(ledger.items.filter((e) => e.subject === subject).map((e) => e.action)).toEqual([
      'change-request.propose',
      'change-request.approve',
    ]);
    const verified = (await (await staff(stack, '/api/v1/audit/verify', ['auditor'], 'audrey')).json()) as {
      ok: boolean;
    };
    expect(verified.ok).toBe(true);
  });
});
