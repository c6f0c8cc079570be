import { getRuntime, loadSecrets } from '@madad/adapters';
import {
  type HouseholdImport,
  type Language,
  paymentNoticeId,
  referenceFor,
  renderReply,
  topUpNoticeId,
} from '@madad/core';
import { type GatewayDelivery, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { seedRegistry } from '../support/stack-fixtures.js';

const TOP_UP = 9000;
const NAME = 'Johi floods';
const NAME_UR = 'جوہی سیلاب';
const MAKER = { user: 'officer-sana', roles: ['program-officer' as const] };
const CHECKER = { user: 'approver-imran', roles: ['approver' as const] };

const phoneOf = (n: number) => `+92301555000${n}`;
const cnicOf = (n: number) => `41304000000${n}2`;
/** Household 1's phone writes in Roman Urdu (a bare CNIC), 2's in English, 3's never writes. */
const LANGUAGE: Record<number, Language> = { 1: 'ur-Latn', 2: 'en', 3: 'ur' };

function household(n: number): HouseholdImport {
  return {
    householdId: `HH-NOTE-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 11,
    surveyedAt: '2024-05-01',
    programmes: ['KAFAALAT'],
    members: [
      {
        cnic: cnicOf(n),
        name: `Shazia ${n}`,
        gender: 'female',
        birthYear: 1985,
        relation: 'head',
        maritalStatus: 'widowed',
        disabled: false,
      },
    ],
    phones: [`0301555000${n}`],
    source: 'survey',
  };
}

let t: TestStack;
let campaignId = '';
let batchId = '';
const lineOf = new Map<string, string>();

const deliveries = (phone: string) => listSmsGatewayDeliveries(t.stack.env, phone);
/** The delivery with this client reference, once the stack's sender handed it to the gateway. */
const delivered = (phone: string, clientReference: string) =>
  waitFor(
    async () => (await deliveries(phone)).find((d) => d.clientReference === clientReference),
    30_000,
    `${clientReference} at ${phone}`,
  );
/** What reached a phone, oldest first, with no client reference twice. */
async function clientReferencesAt(phone: string): Promise<string[]> {
  const all = (await deliveries(phone)).map((d: GatewayDelivery) => d.clientReference).reverse();
  expect(new Set(all).size).toBe(all.length);
  return all;
}
/** The STATUS answer of the moment, as the household reads it in its language. */
const answer = (n: number, facts: { reference: string; payment?: 'SENT' | 'PAID' | 'FAILED' }) =>
  renderReply({
    status: 'ELIGIBLE',
    reasons: [],
    lang: LANGUAGE[n] ?? 'ur',
    reference: facts.reference,
    amount: TOP_UP,
    topUp: true,
    ...(facts.payment ? { payment: facts.payment } : {}),
    campaignName: NAME,
    campaignNameUr: NAME_UR,
  });

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const { config, doc } = getRuntime();
  await seedRegistry(doc, config.tables.registry, (await loadSecrets()).cnicPepper, [1, 2, 3].map(household));
});

afterAll(async () => {
  await t?.stop();
});

describe('notices a household gets without asking, on the embedded stack', () => {
  it('tells each topped-up household at activation by default, in the language its phone last wrote in', async () => {
    // Arrange: before any campaign, household 1 sends its CNIC bare (Roman Urdu), household 2 asks in English.
    await t.sms({ from: phoneOf(1), text: cnicOf(1), messageId: 'note-hh1' });
    await t.sms({ from: phoneOf(2), text: `STATUS ${cnicOf(2)}`, messageId: 'note-hh2' });
    await waitFor(
      async () => ((await deliveries(phoneOf(1))).length > 0 ? true : undefined),
      30_000,
      'reply 1',
    );
    await waitFor(
      async () => ((await deliveries(phoneOf(2))).length > 0 ? true : undefined),
      30_000,
      'reply 2',
    );

    // Act: the cell declares a campaign, saying nothing about notices, and activates it.
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: NAME,
        nameUr: NAME_UR,
        shockType: 'flood',
        areas: [{ district: 'Dadu', tehsils: ['Johi'] }],
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: { pmtThreshold: 30, exclusionFilters: [], amounts: { topUp: TOP_UP, newBeneficiary: 20_000 } },
        budgetCap: 1_000_000_000,
        maxHouseholds: 1_000,
      }),
    });
    expect(created.status).toBe(201);
    ({ campaignId } = (await created.json()) as { campaignId: string });
    const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
      method: 'POST',
    });
    expect(activated.status).toBe(200);

    // Assert
    for (const n of [1, 2, 3]) {
      const id = topUpNoticeId(campaignId, `HH-NOTE-${n}`);
      const notice = await delivered(phoneOf(n), id);
      expect(notice.text).toBe(answer(n, { reference: referenceFor(`vertical:${campaignId}:HH-NOTE-${n}`) }));
    }
  });

  it('tells each household once that its payment was sent, however often the file is exported', async () => {
    const made = await t.staff('/api/v1/payment-batches', MAKER.roles, {
      user: MAKER.user,
      method: 'POST',
      body: JSON.stringify({ campaignId }),
    });
    expect(made.status).toBe(201);
    ({ batchId } = (await made.json()) as { batchId: string });
    const approve = await t.staff(`/api/v1/payment-batches/${batchId}/approve`, CHECKER.roles, {
      user: CHECKER.user,
      method: 'POST',
    });
    expect(approve.status).toBe(200);
    const batch = (await (await t.staff(`/api/v1/payment-batches/${batchId}`, ['auditor'])).json()) as {
      lines: { paymentReference: string; householdId: string }[];
    };
    for (const l of batch.lines) lineOf.set(l.householdId, l.paymentReference);

    for (const format of ['csv', 'json', 'csv']) {
      const file = await t.staff(`/api/v1/payment-batches/${batchId}/instructions.${format}`, MAKER.roles, {
        user: MAKER.user,
      });
      expect(file.status).toBe(200);
    }

    for (const n of [1, 2, 3]) {
      const reference = referenceFor(`vertical:${campaignId}:HH-NOTE-${n}`);
      const sent = await delivered(phoneOf(n), paymentNoticeId(lineOf.get(`HH-NOTE-${n}`) ?? '', 'SENT'));
      expect(sent.text).toBe(answer(n, { reference, payment: 'SENT' }));
    }
  });

  it('tells each household once that it was paid, or that it failed and what to do, when results are confirmed', async () => {
    const ref = (n: number) => lineOf.get(`HH-NOTE-${n}`) ?? '';
    const csv = [
      'paymentReference,status,reason',
      `${ref(1)},PAID,`,
      `${ref(2)},FAILED,WALLET_INACTIVE`,
      `${ref(3)},PAID,`,
    ].join('\n');
    const upload = () =>
      t.staff(`/api/v1/payment-batches/${batchId}/results`, MAKER.roles, {
        user: MAKER.user,
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });

    const { importId } = (await (await upload()).json()) as { importId: string };
    const confirmed = await t.staff(
      `/api/v1/payment-batches/${batchId}/results/${importId}/confirm`,
      CHECKER.roles,
      {
        user: CHECKER.user,
        method: 'POST',
      },
    );
    expect(confirmed.status).toBe(200);
    expect((await upload()).status).toBeLessThan(300);

    const outcome: Record<number, 'PAID' | 'FAILED'> = { 1: 'PAID', 2: 'FAILED', 3: 'PAID' };
    for (const n of [1, 2, 3]) {
      const reference = referenceFor(`vertical:${campaignId}:HH-NOTE-${n}`);
      const stage = outcome[n] ?? 'PAID';
      const told = await delivered(phoneOf(n), paymentNoticeId(ref(n), stage));
      expect(told.text).toBe(answer(n, { reference, payment: stage }));
    }
    // Every notice reached each phone once, in order; a household that never wrote heard nothing else.
    expect(await clientReferencesAt(phoneOf(3))).toEqual([
      topUpNoticeId(campaignId, 'HH-NOTE-3'),
      paymentNoticeId(ref(3), 'SENT'),
      paymentNoticeId(ref(3), 'PAID'),
    ]);
    expect((await clientReferencesAt(phoneOf(2))).slice(1)).toEqual([
      topUpNoticeId(campaignId, 'HH-NOTE-2'),
      paymentNoticeId(ref(2), 'SENT'),
      paymentNoticeId(ref(2), 'FAILED'),
    ]);
  });
});
