import { signWebhook } from '@madad/core';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { crashableStack, staffJson as staff } from '../support/crash-stack.js';

/**
 * Issue 13, findings 6 and 8 on the running stack: it is SIGKILLed inside the ledger append of an
 * appeal resolution (entry chained, intent not yet closed, no anchor). After a restart the appeal is
 * RESOLVING, a rival officer gets a 409, the claimant's retry finishes it with one ledger entry, and
 * the ledger still verifies against its anchors.
 */
const crash = crashableStack('madad-appeal-crash-');
let stack: ChildStack | undefined;

async function appealsWith(s: ChildStack, status: string): Promise<{ appealId: string }[]> {
  const response = await staff(s, `/api/v1/appeals?status=${status}`, ['program-officer'], 'omar');
  return ((await response.json()) as { items: { appealId: string }[] }).items;
}

describe('findings 6 and 8: a kill inside an appeal resolution', () => {
  it('converges after a restart: one outcome, one ledger entry, the chain and anchors intact', async () => {
    stack = await crash.start({ MADAD_CRASH_AT: 'audit.after-entry' });
    const body = JSON.stringify({
      from: '+923211234567',
      to: '8171',
      text: 'APPEAL 42101-1234567-3 We lost our house in the flood',
      messageId: 'appeal-crash-1',
    });
    const signature = signWebhook(
      stack.env.MADAD_SMS_WEBHOOK_SECRET ?? '',
      Math.floor(Date.now() / 1000),
      body,
    );
    const sent = await fetch(`${stack.httpUrl}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-madad-signature': signature },
      body,
    });
    expect(sent.status).toBe(200);
    let open: { appealId: string }[] = [];
    for (const deadline = Date.now() + 30_000; open.length === 0 && Date.now() < deadline; ) {
      open = await appealsWith(stack, 'OPEN');
      if (open.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const appealId = open[0]?.appealId ?? '';
    expect(appealId).toMatch(/^A[0-9A-Z]{7}$/);

    const exited = crash.exited();
    const resolution = { outcome: 'OVERTURNED', reason: 'House on the flood map' };
    const path = `/api/v1/appeals/${appealId}/resolve`;
    const killed = await staff(stack, path, ['program-officer'], 'olivia', resolution)
      .then(() => 'answered')
      .catch(() => 'connection lost');
    expect(killed).toBe('connection lost');
    await exited;

    stack = await crash.start();
    expect((await appealsWith(stack, 'RESOLVING')).map((a) => a.appealId)).toEqual([appealId]);
    const rival = await staff(stack, path, ['program-officer'], 'umar', {
      outcome: 'UPHELD',
      reason: 'No proof',
    });
    expect(rival.status).toBe(409);
    const resumed = await staff(stack, path, ['program-officer'], 'olivia', resolution);
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ status: 'OVERTURNED', resolution: { by: 'olivia' } });

    const ledger = (await (await staff(stack, '/api/v1/audit?limit=1000', ['auditor'], 'audrey')).json()) as {
      items: { action: string; subject: string; actor: string }[];
    };
    expect(ledger.items.filter((e) => e.subject === `appeal/${appealId}`)).toEqual([
      expect.objectContaining({ action: 'appeal.resolve', actor: 'olivia' }),
    ]);
    const verified = await (await staff(stack, '/api/v1/audit/verify', ['auditor'], 'audrey')).json();
    expect(verified).toMatchObject({ ok: true, anchoredSeq: ledger.items.length });
  }, 180_000);
});
