import { batchPutAll, getRuntime, identityItem, loadSecrets } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

let t: TestStack;
let campaignId = '';

/** Newcomers the ID authority knows (with their own SIM) and the registry does not: each becomes provisional. */
const NEWCOMERS = [
  { cnic: '3740511111113', phone: '03331111111' },
  { cnic: '3740522222224', phone: '03332222222' },
  { cnic: '3740533333335', phone: '03333333333' },
] as const;

beforeAll(async () => {
  t = await startTestStack();
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await batchPutAll(
    doc,
    config.tables.registry,
    NEWCOMERS.map((n, i) =>
      identityItem(cnicPepper, {
        cnic: n.cnic,
        name: `Newcomer ${i}`,
        gender: 'female',
        birthYear: 1990,
        status: 'ALIVE',
        simPhones: [n.phone],
      }),
    ),
  );
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Murree landslides',
      nameUr: 'مری لینڈ سلائیڈ',
      shockType: 'other',
      areas: [{ district: 'Rawalpindi' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 14000 } },
      budgetCap: 10_000_000,
      maxHouseholds: 1000,
    }),
  });
  expect(created.status).toBe(201);
  campaignId = ((await created.json()) as { campaignId: string }).campaignId;
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
});

afterAll(async () => {
  await t?.stop();
});

const json = async <T>(r: Response) => (await r.json()) as T;
const search = async (q: string, roles: StaffRole[] = ['program-officer'], user = 'pat') =>
  t.staff(`/api/v1/households/search?q=${encodeURIComponent(q)}`, roles, { user });

/** Registers a newcomer on the web, waits for the decision, and finds their provisional household by reference. */
async function provisional(
  newcomer: (typeof NEWCOMERS)[number],
): Promise<{ householdId: string; reference: string }> {
  const response = await fetch(`${t.stack.httpUrl}/api/v1/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      cnic: newcomer.cnic,
      phone: newcomer.phone,
      district: 'Rawalpindi',
      tehsil: 'Murree',
      lang: 'en',
    }),
  });
  expect(response.status).toBe(202);
  const { reference } = await json<{ reference: string }>(response);
  const householdId = await waitFor(
    async () => {
      const found = await json<{ householdIds: string[] }>(await search(reference));
      return found.householdIds[0];
    },
    20_000,
    `the provisional household of ${reference}`,
  );
  return { householdId, reference };
}

const verify = (householdId: string, user: string, body: Record<string, unknown>) =>
  t.staff(`/api/v1/households/${householdId}/verification`, ['program-officer'], {
    user,
    method: 'POST',
    body: JSON.stringify({
      province: 'Punjab',
      district: 'Rawalpindi',
      tehsil: 'Murree',
      method: 'DESK_VISIT',
      note: 'Came to the Murree desk with CNIC',
      ...body,
    }),
  });
const confirm = (householdId: string, user: string) =>
  t.staff(`/api/v1/households/${householdId}/verification/confirm`, ['program-officer'], {
    user,
    method: 'POST',
    body: '{}',
  });

describe('finding a household', () => {
  it.each(['35202-1234567-2', '3520212345672', ' 35202 1234567 2 ', '۳۵۲۰۲-۱۲۳۴۵۶۷-۲'])(
    'finds the demo household by its CNIC typed as %j',
    async (typed) => {
      const found = await json<{ kind: string; householdIds: string[] }>(await search(typed));
      expect(found).toEqual({ kind: 'cnic', householdIds: ['DEMO-0001'] });
    },
  );

  it('finds a household by every form of a phone that has sent its CNIC', async () => {
    const sent = await t.sms({ from: '+923001234567', text: DEMO_CNIC, messageId: 'desk-phone-1' });
    expect(sent.status).toBe(200);
    await waitFor(async () => {
      const found = await json<{ householdIds: string[] }>(await search('03001234567'));
      return found.householdIds.length > 0 ? true : undefined;
    });
    for (const typed of [
      '0300-1234567',
      '03001234567',
      '+92 300 1234567',
      '923001234567',
      '0092 300 1234567',
    ]) {
      const found = await json<{ kind: string; householdIds: string[] }>(await search(typed));
      expect(found, typed).toEqual({ kind: 'phone', householdIds: ['DEMO-0001'] });
    }
    // The reference the SMS answer gave the household finds it too.
    const profile = await json<{ messages: { messageId: string; reference: string }[] }>(
      await t.staff('/api/v1/households/DEMO-0001/profile', ['program-officer']),
    );
    const smsReference = profile.messages.find((m) => m.messageId === 'desk-phone-1')?.reference ?? '';
    expect(smsReference).toMatch(/^[0-9A-Z]{8}$/);
    expect(await json(await search(smsReference))).toEqual({
      kind: 'reference',
      householdIds: ['DEMO-0001'],
    });
  });

  it('finds a household by reference and by household id, and says plainly when nothing matches', async () => {
    const { householdId, reference } = await provisional(NEWCOMERS[0]);
    expect(householdId).toMatch(/^P-/);
    expect(await json(await search(reference.toLowerCase()))).toEqual({
      kind: 'reference',
      householdIds: [householdId],
    });
    expect(await json(await search('DEMO-0001'))).toEqual({ kind: 'household', householdIds: ['DEMO-0001'] });
    expect(await json(await search('03009999999'))).toEqual({ kind: 'phone', householdIds: [] });
    expect((await search('not a key!')).status).toBe(400);
  });

  it('records every search in the ledger, with the searcher and the query masked', async () => {
    await search('35202-1234567-2', ['approver'], 'noor');

    const ledger = await json<{
      items: { action: string; actor: string; subject: string; after: { query: string } }[];
    }>(await t.staff('/api/v1/audit?limit=500', ['auditor']));
    const mine = ledger.items.filter((e) => e.action === 'household.search' && e.actor === 'noor');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      subject: 'household/DEMO-0001',
      after: { query: 'cnic 35***-*******-2' },
    });
    expect(JSON.stringify(ledger.items)).not.toContain('3520212345672');
  });

  it('refuses the emergency cell and anyone without a staff role', async () => {
    expect((await search('35202-1234567-2', ['emergency-cell'])).status).toBe(403);
    expect((await t.staff('/api/v1/households/DEMO-0001/profile', [])).status).toBe(403);
  });
});

describe('the household profile', () => {
  it('shows members masked, identity, decisions with their rule version, messages with replies, and its ledger entries', async () => {
    const response = await t.staff('/api/v1/households/DEMO-0001/profile', ['approver'], { user: 'noor' });
    expect(response.status).toBe(200);
    const profile = await json<{
      district: string;
      pmtScore: number;
      programmes: string[];
      members: { cnic: string; identity: string; name: string }[];
      decisions: { decision: { status: string; ruleSetVersion: string } }[];
      messages: { messageId: string; reply?: { text: string } }[];
      audit: { action: string }[];
    }>(response);
    expect(profile).toMatchObject({ district: 'Lahore', pmtScore: 18.4, programmes: ['KAFAALAT'] });
    expect(profile.members[0]).toMatchObject({
      name: 'Shabana Bibi',
      cnic: '35202-*****67-2',
      identity: 'ALIVE',
    });
    expect(JSON.stringify(profile)).not.toContain('1234567-2');
    expect(profile.decisions.length).toBeGreaterThan(0);
    expect(profile.decisions[0]?.decision.ruleSetVersion).toBeTruthy();
    const message = profile.messages.find((m) => m.messageId === 'desk-phone-1');
    expect(message?.reply?.text).toMatch(/Madad/);
    expect(profile.audit.map((e) => e.action)).toContain('household.search');
  });

  it('shows full CNICs only to a programme officer who asks, and records that read', async () => {
    const approver = await json<{ members: { cnic: string }[] }>(
      await t.staff('/api/v1/households/DEMO-0001/profile?raw=1', ['approver']),
    );
    expect(approver.members[0]?.cnic).toBe('35202-*****67-2');
    const officer = await json<{ members: { cnic: string }[]; audit: { action: string; actor: string }[] }>(
      await t.staff('/api/v1/households/DEMO-0001/profile?raw=1', ['program-officer'], {
        user: 'raw-reader',
      }),
    );
    expect(officer.members[0]?.cnic).toBe('35202-1234567-2');
    const again = await json<{ audit: { action: string; actor: string }[] }>(
      await t.staff('/api/v1/households/DEMO-0001/profile', ['auditor']),
    );
    expect(again.audit).toContainEqual(
      expect.objectContaining({ action: 'household.read-raw', actor: 'raw-reader' }),
    );
  });
});

describe('verifying a provisional household', () => {
  it('enrolls it for the campaign amount once a second officer confirms, and tells it by SMS', async () => {
    const { householdId, reference } = await provisional(NEWCOMERS[1]);

    const proposed = await verify(householdId, 'pat', { outcome: 'ELIGIBLE' });
    expect(proposed.status).toBe(202);
    expect(await json(proposed)).toMatchObject({ status: 'PROPOSED', amount: 14000, campaignId });
    const figures = async () =>
      (
        await json<{ figures: { pendingVerification: number; enrolled: number } }>(
          await t.staff(`/api/v1/campaigns/${campaignId}/stats`, ['emergency-cell']),
        )
      ).figures;
    const before = await figures();
    expect(before.pendingVerification).toBeGreaterThan(0);
    const own = await confirm(householdId, 'PAT');
    expect(own.status).toBe(403);
    const confirmed = await confirm(householdId, 'sara');
    expect(confirmed.status).toBe(200);
    expect(await json(confirmed)).toMatchObject({
      status: 'DONE',
      result: { status: 'ELIGIBLE', reference },
    });
    // One set of figures: the household leaves pending verification and is counted enrolled.
    const after = await figures();
    expect(after.pendingVerification).toBe(before.pendingVerification - 1);
    expect(after.enrolled).toBe(before.enrolled + 1);

    const sms = await waitFor(async () => {
      const delivered = await listSmsGatewayDeliveries(t.stack.env, '+923332222222');
      return delivered.find((d) => d.text.includes('14,000'));
    });
    expect(sms.text).toContain(reference);
    const profile = await json<{
      status: string;
      tehsil: string;
      enrollments: { amount: number; campaignId: string }[];
      verification: { status: string; proposedBy: string; confirmedBy: string };
      audit: { action: string; actor: string }[];
    }>(await t.staff(`/api/v1/households/${householdId}/profile`, ['auditor']));
    expect(profile).toMatchObject({ status: 'active', tehsil: 'Murree' });
    expect(profile.enrollments).toEqual([expect.objectContaining({ amount: 14000, campaignId })]);
    expect(profile.verification).toMatchObject({ status: 'DONE', proposedBy: 'pat', confirmedBy: 'sara' });
    expect(profile.audit).toContainEqual(
      expect.objectContaining({ action: 'household.verify', actor: 'sara' }),
    );
    const status = await json<{ status: string }>(
      await fetch(`${t.stack.httpUrl}/api/v1/registrations/${reference}`),
    );
    expect(status.status).toBe('ELIGIBLE');
  });

  it('lets a second officer decline a proposal, after which the household can be rejected', async () => {
    const householdId = await waitFor(async () => {
      const found = await json<{ householdIds: string[] }>(await search('37405-1111111-3'));
      return found.householdIds[0];
    });
    expect((await verify(householdId, 'pat', { outcome: 'ELIGIBLE' })).status).toBe(202);

    const declined = await t.staff(
      `/api/v1/households/${householdId}/verification/decline`,
      ['program-officer'],
      {
        user: 'sara',
        method: 'POST',
        body: JSON.stringify({ reason: 'The damage slip names another village' }),
      },
    );
    expect(declined.status).toBe(200);
    const rejected = await verify(householdId, 'sara', { outcome: 'REJECTED', reason: 'Lives in Islamabad' });
    expect(rejected.status).toBe(200);
    expect(await json(rejected)).toMatchObject({ status: 'DONE', result: { status: 'NOT_ELIGIBLE' } });
  });

  it('gives one outcome when two officers verify the same household at the same moment', async () => {
    const { householdId } = await provisional(NEWCOMERS[2]);

    const [a, b] = await Promise.all([
      verify(householdId, 'pat', { outcome: 'ELIGIBLE' }),
      verify(householdId, 'sara', { outcome: 'REJECTED', reason: 'Not found at the given address' }),
    ]);

    expect([a.status, b.status].sort()).toEqual(a.status === 202 ? [202, 409] : [200, 409]);
    const profile = await json<{ verification: { outcome: string } }>(
      await t.staff(`/api/v1/households/${householdId}/profile`, ['auditor']),
    );
    expect(profile.verification.outcome).toBe(a.status === 409 ? 'REJECTED' : 'ELIGIBLE');
  });
});
