import { auditTrustFromEnv, DynamoDbAppealStore, DynamoDbAuditLog, getRuntime } from '@madad/adapters';
import { type AuditEntry, verifyLedger } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: false });
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

function ledger() {
  const { doc, config } = getRuntime();
  return new DynamoDbAuditLog(doc, config.tables.operations, auditTrustFromEnv());
}

async function entriesFor(subject: string): Promise<AuditEntry[]> {
  return (await ledger().list(1, 1000)).filter((e) => e.subject === subject);
}

const CAMPAIGN = {
  name: 'Dadu floods audit rehearsal',
  nameUr: 'دادو سیلاب',
  shockType: 'flood',
  areas: [{ district: 'Dadu' }],
  opensAt: '2026-08-01T00:00:00Z',
  closesAt: '2026-10-01T00:00:00Z',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 6000, newBeneficiary: 12000 },
    regularProgramme: 'KAFAALAT',
  },
  budgetCap: 1_000_000,
  maxHouseholds: 100,
};

describe('every staff action through the API lands in the ledger, with actor, role, subject and before/after', () => {
  it('campaign declaration, rule change, activation, replay with apply and close (finding 7)', async () => {
    const cell = { method: 'POST', user: 'cell-zainab' };
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      ...cell,
      body: JSON.stringify(CAMPAIGN),
    });
    expect(created.status).toBe(201);
    const { campaignId } = (await created.json()) as { campaignId: string };
    const base = `/api/v1/campaigns/${campaignId}`;
    // One after another, as the cell would act (a replay with apply is queued: 202).
    const steps = [
      [
        () =>
          t.staff(`${base}/rules`, ['emergency-cell'], {
            ...cell,
            method: 'PATCH',
            body: '{"pmtThreshold":40}',
          }),
        200,
      ],
      [() => t.staff(`${base}/activate`, ['emergency-cell'], cell), 200],
      [() => t.staff(`${base}/replay`, ['emergency-cell'], { ...cell, body: '{"apply":true}' }), 202],
      [() => t.staff(`${base}/close`, ['emergency-cell'], cell), 200],
    ] as const;
    for (const [step, status] of steps) expect((await step()).status).toBe(status);

    const entries = await entriesFor(`campaign/${campaignId}`);
    expect(entries.map((e) => [e.action, e.actor, e.role])).toEqual([
      ['campaign.declare', 'cell-zainab', 'emergency-cell'],
      ['campaign.rules', 'cell-zainab', 'emergency-cell'],
      ['campaign.activate', 'cell-zainab', 'emergency-cell'],
      ['campaign.replay-apply', 'cell-zainab', 'emergency-cell'],
      ['campaign.close', 'cell-zainab', 'emergency-cell'],
    ]);
    expect(entries[1]).toMatchObject({
      before: { rules: { pmtThreshold: 32 } },
      after: { rules: { pmtThreshold: 40 }, ruleSetVersion: `${campaignId}/v2` },
    });
    expect(entries[2]).toMatchObject({ before: { status: 'draft' }, after: { status: 'active' } });
    expect(entries[4]).toMatchObject({ before: { status: 'active' }, after: { status: 'closed' } });
    expect(await verifyLedger(ledger(), auditTrustFromEnv())).toMatchObject({ ok: true });
  });

  it('two officers resolving one appeal at once: one 200, one 409, one ledger entry (finding 6)', async () => {
    const { doc, config } = getRuntime();
    await new DynamoDbAppealStore(doc, config.tables.operations).open({
      appealId: 'A7777777',
      messageId: 'm-appeal-7',
      cnicHash: 'h7',
      phone: '+923001234567',
      lang: 'en',
      note: 'My house was flooded',
      status: 'OPEN',
      openedAt: '2026-08-20T10:00:00Z',
    });
    const resolve = (user: string, outcome: string) =>
      t.staff('/api/v1/appeals/A7777777/resolve', ['program-officer'], {
        method: 'POST',
        user,
        body: JSON.stringify({ outcome, reason: `checked by ${user}` }),
      });
    const [a, b] = await Promise.all([
      resolve('officer-umar', 'UPHELD'),
      resolve('officer-olivia', 'OVERTURNED'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = (await (a.status === 200 ? a : b).json()) as {
      status: string;
      resolution: { by: string };
    };
    const entries = await entriesFor('appeal/A7777777');
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'appeal.resolve',
        actor: winner.resolution.by,
        role: 'program-officer',
        before: expect.objectContaining({ status: 'OPEN' }),
        after: expect.objectContaining({ status: winner.status }),
      }),
    ]);
  });
});
