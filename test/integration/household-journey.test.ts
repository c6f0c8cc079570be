import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchPutAll, getRuntime, identityItem, loadSecrets, operationsKeys } from '@madad/adapters';
import type { HouseholdImport, StaffRole } from '@madad/core';
import { listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { seedRegistry } from '../support/stack-fixtures.js';

/**
 * The household's journey on the embedded stack (issue 15): for each state, a household reaches it
 * by SMS or on the web, and SMS STATUS from its phone and the web status page (the page and its JSON
 * route) give the same stage, reference and words. One stack, many households.
 */

type Standing = {
  reference: string;
  status: string;
  reasons: string[];
  payment?: string;
  appeal?: string;
  amount?: number;
  topUp?: boolean;
  message: string;
};

const phone = (n: number) => `+9230010000${String(n).padStart(2, '0')}`;
const cnic = (n: number, member = 1) => `4130400${String(n).padStart(3, '0')}0${member}${member}`;

function household(
  n: number,
  overrides: Partial<Omit<HouseholdImport, 'members'>> = {},
  members = 1,
): HouseholdImport {
  const rest = overrides;
  return {
    householdId: `HH-J${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 12,
    surveyedAt: '2024-05-01',
    programmes: [],
    members: Array.from({ length: members }, (_, i) => ({
      cnic: cnic(n, i + 1),
      name: `Member ${n}-${i + 1}`,
      gender: i === 0 ? ('female' as const) : ('male' as const),
      birthYear: 1982,
      relation: i === 0 ? ('head' as const) : ('spouse' as const),
      maritalStatus: 'married' as const,
      disabled: false,
    })),
    phones: [`0300${phone(n).slice(6)}`],
    source: 'survey',
    ...rest,
  };
}

const H = {
  notRegistered: household(1),
  eligible: household(3),
  firstInSanghar: household(41, { district: 'Sanghar', tehsil: 'Khipro' }),
  waitlisted: household(42, { district: 'Sanghar', tehsil: 'Khipro' }),
  notEligible: household(5, { pmtScore: 61 }),
  twoMembers: household(6, {}, 2),
  toppedUp: household(7, { programmes: ['KAFAALAT'] }),
  failing: household(8, { programmes: ['KAFAALAT'] }),
  closed: household(9, { district: 'Jacobabad', tehsil: 'Thul' }),
  noCampaign: household(10, { district: 'Thatta', tehsil: 'Ghorabari' }),
  appealing: household(11, { pmtScore: 61 }),
};
/** Known to the ID authority (SIM on record), not in the registry: registers on the web. */
const NEWCOMER = { cnic: '4130499999991', phone: phone(2) };

let t: TestStack;
let dadu = '';
const maker = { user: 'officer-sana', roles: ['program-officer'] as StaffRole[] };
const checker = { user: 'approver-imran', roles: ['approver'] as StaffRole[] };

async function declare(name: string, nameUr: string, district: string, maxHouseholds: number) {
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name,
      nameUr,
      shockType: 'flood',
      areas: [{ district }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
      budgetCap: 1_000_000_000,
      maxHouseholds,
    }),
  });
  expect(created.status).toBe(201);
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
  return campaignId;
}

const enrollment = async (campaignId: string, householdId: string) => {
  const { config, doc } = getRuntime();
  const Key = operationsKeys.enrollment(campaignId, householdId);
  return (await doc.send(new GetCommand({ TableName: config.tables.operations, Key }))).Item;
};

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await seedRegistry(doc, config.tables.registry, cnicPepper, Object.values(H));
  await batchPutAll(doc, config.tables.registry, [
    identityItem(cnicPepper, {
      cnic: NEWCOMER.cnic,
      name: 'Newcomer',
      gender: 'female',
      birthYear: 1990,
      status: 'ALIVE',
      simPhones: [NEWCOMER.phone],
    }),
  ]);
  // Every campaign is declared (and the Jacobabad one closed) before any message: none is cached open.
  dadu = await declare('Dadu floods', 'دادو سیلاب', 'Dadu', 1000);
  await declare('Sanghar floods', 'سانگھڑ سیلاب', 'Sanghar', 1);
  const jacobabad = await declare('Jacobabad floods', 'جیکب آباد سیلاب', 'Jacobabad', 1000);
  const closed = await t.staff(`/api/v1/campaigns/${jacobabad}/close`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(closed.status).toBe(200);
  // The activation tops up the two KAFAALAT households of Dadu (vertical expansion).
  await waitFor(async () => ((await enrollment(dadu, 'HH-J8')) ? true : undefined), 30_000, 'the top-ups');
  expect(await enrollment(dadu, 'HH-J7')).toBeDefined();
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** The reply to `messageId` once the gateway delivered it to `to` (no public rate limit is spent). */
async function replyTo(to: string, messageId: string): Promise<string> {
  const delivery = await waitFor(
    async () =>
      (await listSmsGatewayDeliveries(t.stack.env, to)).find((d) =>
        d.clientReference.startsWith(`reply-${messageId}-`),
      ),
    20_000,
    `the reply to ${messageId}`,
  );
  return delivery.text;
}

let messages = 0;
/** Sends an SMS from `from` and returns the text of its reply, once delivered. */
async function sms(from: string, text: string): Promise<string> {
  const messageId = `journey-${++messages}`;
  expect((await t.sms({ from, text, messageId })).status).toBe(200);
  return replyTo(from, messageId);
}

const referenceIn = (text: string) => /(?:Ref|Hawala) ([0-9A-Z]{8})/.exec(text)?.[1] ?? 'none';

/**
 * The JSON route's answer for a reference the household was told (the public routes allow 60
 * requests a client address in ten minutes: this file never polls them, it waits on deliveries).
 */
async function byReference(reference: string): Promise<Standing> {
  const response = await fetch(`${t.stack.httpUrl}/api/v1/registrations/${reference}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Standing;
}

/** The status page, as a person opens it with a reference. */
async function statusPage(reference: string): Promise<string> {
  const response = await fetch(`${t.stack.httpUrl}/status?reference=${reference}`);
  expect(response.status).toBe(200);
  return response.text();
}

async function registerOnWeb(who: { cnic: string; phone: string }, district = 'Dadu', tehsil = 'Johi') {
  const response = await fetch(`${t.stack.httpUrl}/api/v1/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cnic: who.cnic, phone: who.phone, district, tehsil }),
  });
  expect(response.status).toBe(202);
  const { reference } = (await response.json()) as { reference: string };
  // Decided once its reply reached the phone.
  await replyTo(who.phone, `web-${reference}`);
  return reference;
}

/** SMS STATUS from the household's phone and the web, by the reference: one stage, reference and text. */
async function agree(who: { cnic: string; phone: string }, reference: string): Promise<Standing> {
  const text = await sms(who.phone, `STATUS ${who.cnic}`);
  const web = await byReference(reference);
  expect(referenceIn(text)).toBe(web.reference);
  expect(web.message).toBe(text);
  const page = await statusPage(reference);
  expect(page).toContain(`data-status="${web.status}"`);
  expect(page).toContain(web.reference);
  if (web.payment) expect(page).toContain(`data-payment="${web.payment}"`);
  return web;
}

const member = (h: HouseholdImport, i = 0) => ({
  cnic: h.members[i]?.cnic ?? '',
  phone: phone(Number(h.householdId.slice(4))),
});

describe('a household in the registry that has not registered', () => {
  it('is told by SMS STATUS how to register, and the web (CNIC and phone) says the same', async () => {
    const who = member(H.notRegistered);
    const text = await sms(who.phone, `STATUS ${who.cnic}`);

    const response = await fetch(`${t.stack.httpUrl}/api/v1/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(who),
    });
    const web = (await response.json()) as Standing;

    expect(web.status).toBe('NOT_REGISTERED');
    expect(web.message).toBe(text);
    expect(text).not.toMatch(/not in (the national survey|our records)|NSER/i);
  });
});

describe('registered on the web, not in the registry: pending verification', () => {
  it('gives SMS STATUS the web reference and the same words, never "complete the web form"', async () => {
    const reference = await registerOnWeb(NEWCOMER);
    const web = await agree(NEWCOMER, reference);

    expect(web).toMatchObject({ status: 'PENDING_VERIFICATION', reference });
    expect(web.message).not.toMatch(/web form/i);
  });
});

describe('eligible by SMS, then registering again on the web', () => {
  let reference = '';

  it('finds the SMS reference on the web with the same answer as SMS STATUS', async () => {
    const who = member(H.eligible);
    reference = referenceIn(await sms(who.phone, who.cnic));

    const web = await agree(who, reference);

    expect(web).toMatchObject({ status: 'ELIGIBLE', amount: 12000, reference });
  });

  it('shows the second web registration the decision under the original reference', async () => {
    const who = member(H.eligible);
    const second = await registerOnWeb(who);

    const web = await byReference(second);
    const page = await (await fetch(`${t.stack.httpUrl}/registered/${second}`)).text();

    expect(web).toMatchObject({ status: 'ELIGIBLE', reference });
    expect(page).toContain(reference);
    expect(page).toContain('data-status="ELIGIBLE"');
  });
});

describe('waitlisted, not eligible, a duplicate, closed, no campaign', () => {
  it('waitlists the second household of a campaign with room for one, the same in SMS and on the web', async () => {
    await sms(member(H.firstInSanghar).phone, member(H.firstInSanghar).cnic);
    const who = member(H.waitlisted);
    const reference = referenceIn(await sms(who.phone, who.cnic));

    expect((await agree(who, reference)).status).toBe('WAITLISTED');
  });

  it('refuses a household above the threshold with its reason, registered on the web', async () => {
    const who = member(H.notEligible);
    const reference = await registerOnWeb(who);

    const web = await agree(who, reference);

    expect(web).toMatchObject({ status: 'NOT_ELIGIBLE', reference });
  });

  it("answers the second member of a registered household with the household's reference, SMS or web", async () => {
    const first = member(H.twoMembers, 0);
    const second = member(H.twoMembers, 1);
    const reference = referenceIn(await sms(first.phone, first.cnic));

    const webReference = await registerOnWeb(second);
    const duplicate = await sms(second.phone, `REG ${second.cnic}`);

    expect((await byReference(webReference)).reference).toBe(reference);
    expect(referenceIn(duplicate)).toBe(reference);
    expect((await agree(second, reference)).reference).toBe(reference);
  });

  it('tells a household of a closed campaign so, the same on the web', async () => {
    const who = member(H.closed);
    const reference = referenceIn(await sms(who.phone, who.cnic));

    expect((await agree(who, reference)).status).toBe('CAMPAIGN_CLOSED');
  });

  it('tells a household outside every campaign area so, the same on the web', async () => {
    const who = member(H.noCampaign);
    const reference = await registerOnWeb(who, 'Thatta', 'Ghorabari');

    const web = await agree(who, reference);

    expect(web).toMatchObject({ status: 'NOT_ELIGIBLE', reasons: ['OUTSIDE_AFFECTED_AREA'] });
  });
});

describe('a topped-up household from activation to payment', () => {
  const paid = member(H.toppedUp);
  const failing = member(H.failing);
  let paidReference = '';
  let failingReference = '';
  let batchId = '';

  const call = (path: string, who: typeof maker, init: RequestInit = {}) =>
    t.staff(path, who.roles, { ...init, user: who.user });

  it('learns its top-up amount by SMS STATUS, and the web shows the same', async () => {
    const text = await sms(paid.phone, `STATUS ${paid.cnic}`);
    paidReference = referenceIn(text);
    failingReference = referenceIn(await sms(failing.phone, `STATUS ${failing.cnic}`));

    const web = await agree(paid, paidReference);

    expect(web).toMatchObject({ status: 'ELIGIBLE', amount: 6000, topUp: true });
    expect(text).not.toMatch(/already/i);
  });

  it('is told its payment is in a batch, approved, then sent, by SMS and on the web alike', async () => {
    const created = await call('/api/v1/payment-batches', maker, {
      method: 'POST',
      body: JSON.stringify({ campaignId: dadu, category: 'TOP_UP' }),
    });
    expect(created.status).toBe(201);
    batchId = ((await created.json()) as { batchId: string }).batchId;
    expect((await agree(paid, paidReference)).payment).toBe('IN_BATCH');

    expect(
      (await call(`/api/v1/payment-batches/${batchId}/approve`, checker, { method: 'POST' })).status,
    ).toBe(200);
    expect((await agree(paid, paidReference)).payment).toBe('APPROVED');

    expect((await call(`/api/v1/payment-batches/${batchId}/instructions.csv`, maker)).status).toBe(200);
    expect((await agree(paid, paidReference)).payment).toBe('SENT');
  });

  it('is told paid, or failed and then retried, by SMS and on the web alike', async () => {
    const batch = (await (await call(`/api/v1/payment-batches/${batchId}`, checker)).json()) as {
      lines: { paymentReference: string; householdId: string }[];
    };
    const csv = [
      'paymentReference,status,reason',
      ...batch.lines.map((l) =>
        l.householdId === 'HH-J7'
          ? `${l.paymentReference},PAID,`
          : `${l.paymentReference},FAILED,WALLET_INACTIVE`,
      ),
    ].join('\n');
    const staged = await call(`/api/v1/payment-batches/${batchId}/results`, maker, {
      method: 'POST',
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    const { importId } = (await staged.json()) as { importId: string };
    const confirmed = await call(`/api/v1/payment-batches/${batchId}/results/${importId}/confirm`, checker, {
      method: 'POST',
    });
    expect(confirmed.status).toBe(200);

    expect((await agree(paid, paidReference)).payment).toBe('PAID');
    expect((await agree(failing, failingReference)).payment).toBe('FAILED');

    const retry = await call(`/api/v1/payment-batches/${batchId}/failures/confirm`, checker, {
      method: 'POST',
      body: '{}',
    });
    expect(retry.status).toBe(200);
    expect((await agree(failing, failingReference)).payment).toBe('RETRYING');
  });
});

describe('a refused household that appeals by SMS, through to the outcome', () => {
  const who = member(H.appealing);
  const officer = (user: string, path: string, body: unknown = {}) =>
    t.staff(path, ['program-officer'], { method: 'POST', user, body: JSON.stringify(body) });
  let reference = '';
  let appealId = '';

  /** SMS STATUS, the JSON route and the status page (all by the registration's reference) say one thing. */
  async function sameEverywhere(): Promise<Standing & { text: string; page: string }> {
    const text = await sms(who.phone, `STATUS ${who.cnic}`);
    const web = await byReference(reference);
    const page = await statusPage(reference);
    expect(web.message).toBe(text);
    expect(page).toContain(web.reference);
    expect(page).toContain(`data-status="${web.status}"`);
    if (web.appeal) expect(page).toContain(`data-appeal="${web.appeal}"`);
    return { ...web, text, page };
  }

  it('says RECEIVED, under the appeal id its SMS gave, by SMS STATUS and on the web alike', async () => {
    reference = referenceIn(await sms(who.phone, who.cnic));
    const received = await sms(who.phone, `APPEAL ${who.cnic} Our house was washed away`);
    appealId = /\bref ([0-9A-Z]{8})/i.exec(received)?.[1] ?? 'none';

    const now = await sameEverywhere();

    expect(appealId).toMatch(/^A/);
    expect(now).toMatchObject({ status: 'NOT_ELIGIBLE', reference: appealId, appeal: 'RECEIVED' });
    expect(now.text).toBe(received);
  });

  it('still says RECEIVED while an overturn waits for a second officer, then the new eligible decision', async () => {
    const proposed = await officer('officer-sana', `/api/v1/appeals/${appealId}/resolve`, {
      outcome: 'OVERTURNED',
      reason: 'House on the flood map',
    });
    expect(proposed.status).toBe(202);
    const waiting = await sameEverywhere();
    expect(waiting).toMatchObject({ reference: appealId, appeal: 'RECEIVED' });
    expect(waiting.text).toMatch(/complaint is registered/);

    const confirmed = await officer('officer-bilal', `/api/v1/appeals/${appealId}/confirm`);
    expect(confirmed.status).toBe(200);
    const now = await agree(who, reference);

    expect(now).toMatchObject({ status: 'ELIGIBLE', amount: 12000, reference: appealId });
    expect(now.appeal).toBeUndefined();
    expect(now.message).toContain('Rs 12,000');
  });
});
