import { describe, expect, it } from 'vitest';
import { submitAndFind } from '../support/change-requests.js';
import type { ChildStack } from '../support/child-stack.js';
import { crashableStack, staffJson as staff } from '../support/crash-stack.js';

/**
 * Issue 13, finding 2 (crash-safe change approval): the stack is SIGKILLed after an approved change
 * wrote the household and before its ledger entry and final status; after a restart, approving again
 * completes the same approval once, the ledger included.
 */
const crash = crashableStack('madad-change-crash-');
let stack: ChildStack | undefined;

describe('finding 2: a kill during a change approval', () => {
  it('converges after a restart: the change applied once, approved once in the ledger, the chain intact', async () => {
    stack = await crash.start({ MADAD_CRASH_AT: 'change-approve.after-household' });
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

    const exited = crash.exited();
    const killed = await staff(stack, `${path}/approve`, ['program-officer'], 'olivia', {
      reason: 'Death certificate',
    })
      .then(() => 'answered')
      .catch(() => 'connection lost');
    expect(killed).toBe('connection lost');
    await exited;

    stack = await crash.start();
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
  }, 180_000);
});
