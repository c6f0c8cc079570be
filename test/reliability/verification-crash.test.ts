import { batchPutAll, identityItem } from '@madad/adapters';
import { listSmsGatewayDeliveries } from '@madad/local';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { crashableStack, staffJson as staff } from '../support/crash-stack.js';
import { waitFor } from '../support/local-stack.js';

/**
 * Issue 16, finding 2 (crash-safe verification): the stack is SIGKILLed while a second officer confirms
 * an eligible finding, after the enrollment and the decision were written and before the ledger entry,
 * the SMS and the household's new state; after a restart, confirming again completes it once.
 */
const crash = crashableStack('madad-verify-crash-');
const NEWCOMER = { cnic: '3740555555557', phone: '03335555555', e164: '+923335555555' };

async function setUp(s: ChildStack): Promise<string> {
  await batchPutAll(crash.doc(), s.env.MADAD_TABLE_REGISTRY ?? '', [
    identityItem(s.env.MADAD_CNIC_PEPPER ?? '', {
      cnic: NEWCOMER.cnic,
      name: 'Zubaida',
      gender: 'female',
      birthYear: 1988,
      status: 'ALIVE',
      simPhones: [NEWCOMER.phone],
    }),
  ]);
  const created = await staff(s, '/api/v1/campaigns', ['emergency-cell'], 'amina', {
    name: 'Murree landslides',
    nameUr: 'مری لینڈ سلائیڈ',
    shockType: 'other',
    areas: [{ district: 'Rawalpindi' }],
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
    rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 14000 } },
    budgetCap: 10_000_000,
    maxHouseholds: 1000,
  });
  const { campaignId } = (await created.json()) as { campaignId: string };
  expect(
    (await staff(s, `/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], 'amina', {})).status,
  ).toBe(200);
  const registered = await fetch(`${s.httpUrl}/api/v1/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      cnic: NEWCOMER.cnic,
      phone: NEWCOMER.phone,
      district: 'Rawalpindi',
      tehsil: 'Murree',
    }),
  });
  const { reference } = (await registered.json()) as { reference: string };
  return waitFor(async () => {
    const found = await staff(s, `/api/v1/households/search?q=${reference}`, ['program-officer'], 'pat');
    return ((await found.json()) as { householdIds: string[] }).householdIds[0];
  }, 180_000);
}

describe('finding 2: a kill while a verification is confirmed', () => {
  it('converges after a restart: enrolled once, one ledger entry, one SMS, the household active', async () => {
    let stack = await crash.start({ MADAD_CRASH_AT: 'verify.after-decision' });
    const householdId = await setUp(stack);
    const proposed = await staff(
      stack,
      `/api/v1/households/${householdId}/verification`,
      ['program-officer'],
      'pat',
      {
        province: 'Punjab',
        district: 'Rawalpindi',
        tehsil: 'Murree',
        method: 'DESK_VISIT',
        note: 'Came to the Murree desk with CNIC',
        outcome: 'ELIGIBLE',
      },
    );
    expect(proposed.status).toBe(202);

    const exited = crash.exited();
    const killed = await staff(
      stack,
      `/api/v1/households/${householdId}/verification/confirm`,
      ['program-officer'],
      'sara',
      {},
    )
      .then(() => 'answered')
      .catch(() => 'connection lost');
    expect(killed).toBe('connection lost');
    await exited;

    stack = await crash.start();
    const resumed = await staff(
      stack,
      `/api/v1/households/${householdId}/verification/confirm`,
      ['program-officer'],
      'sara',
      {},
    );
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ status: 'DONE', result: { status: 'ELIGIBLE' } });

    const profile = (await (
      await staff(stack, `/api/v1/households/${householdId}/profile`, ['auditor'], 'olga')
    ).json()) as {
      status: string;
      enrollments: unknown[];
      audit: { action: string; actionId: string }[];
    };
    expect(profile.status).toBe('active');
    expect(profile.enrollments).toHaveLength(1);
    expect(
      profile.audit
        .filter((e) => e.action === 'household.verify')
        .map((e) => e.actionId)
        .sort(),
    ).toEqual([`household.verify/${householdId}`, `household.verify/${householdId}/propose`]);
    const running = stack;
    const told = await waitFor(async () => {
      const delivered = await listSmsGatewayDeliveries(running.env, NEWCOMER.e164);
      return delivered.some((d) => d.text.includes('14,000')) ? delivered : undefined;
    });
    expect(told.filter((d) => d.text.includes('14,000'))).toHaveLength(1);
    const verified = (await (await staff(stack, '/api/v1/audit/verify', ['auditor'], 'olga')).json()) as {
      ok: boolean;
    };
    expect(verified.ok).toBe(true);
  });
});
