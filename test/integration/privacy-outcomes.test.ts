import { type GatewayDelivery, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

// The seeded demo household DEMO-0002 (Karachi Central): registry phone 0321 1234567, which is also
// the head's SIM. The deceased CNIC has no household and no SIM.
const HEAD = '4210112345673';
const DECEASED = '6110112345675';
const HOUSEHOLD_PHONE = '+923211234567';
const STRANGER = '+923330001111';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ visibilityTimeoutSeconds: 1 });
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Karachi rains',
      nameUr: 'کراچی بارشیں',
      shockType: 'flood',
      areas: [{ district: 'Karachi Central' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: { pmtThreshold: 50, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
      budgetCap: 1_000_000_000,
      maxHouseholds: 1_000_000,
    }),
  });
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
});

afterAll(async () => {
  await t.stop();
});

const deliveries = (phone: string) => listSmsGatewayDeliveries(t.stack.env, phone);
const delivered = (phone: string, clientReference: (id: string) => boolean, what: string) =>
  waitFor(
    async () => (await deliveries(phone)).find((d) => clientReference(d.clientReference)),
    20_000,
    what,
  );
const reply = (messageId: string) => (id: string) => id.startsWith(`reply-${messageId}-`);
/** The household's notice that follows `act`: a delivery to its phone whose id was not there before. */
async function noticeAfter(act: () => Promise<unknown>, what: string): Promise<GatewayDelivery> {
  const before = new Set((await deliveries(HOUSEHOLD_PHONE)).map((d) => d.clientReference));
  await act();
  return delivered(HOUSEHOLD_PHONE, (id) => id.startsWith('notice-') && !before.has(id), what);
}
const referenceIn = (d: GatewayDelivery) => /(?:Ref|Hawala) ([0-9A-Z]{8})/.exec(d.text)?.[1];

async function registerOnWeb(cnic: string, phone: string): Promise<string> {
  const response = await fetch(`${t.stack.httpUrl}/api/v1/registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cnic, phone, district: 'Karachi Central', tehsil: 'Gulberg' }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { reference: string }).reference;
}

describe('Finding 1 and 8 on the embedded stack: outcomes only to the household', () => {
  let firstReference = '';

  it("tells a stranger who registers someone's CNIC nothing, and sends the outcome to the household", async () => {
    const toHousehold = await noticeAfter(
      () => t.sms({ from: STRANGER, text: HEAD, messageId: 'priv-s1' }),
      'the notice to the household',
    );

    const toStranger = await delivered(STRANGER, reply('priv-s1'), 'the reply to the stranger');
    // A bare CNIC is answered in Roman Urdu: "paigham mil gaya" is "message received".
    expect(toStranger.text).toMatch(/paigham mil gaya/i);
    expect(toStranger.text).not.toMatch(/12,000|eligible|Ref |Hawala /i);
    expect(toHousehold.text).toContain('12,000');
    firstReference = referenceIn(toHousehold) ?? 'missing';
  });

  it("keeps the household's later answers on its own phone: the web status by CNIC answers only it", async () => {
    const status = (phone: string) =>
      fetch(`${t.stack.httpUrl}/api/v1/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cnic: HEAD, phone }),
      });
    expect((await status(HOUSEHOLD_PHONE)).status).toBe(200);
    expect((await status(STRANGER)).status).toBe(404);
  });

  it("answers a stranger's STATUS that it was received, and the household gets the outcome", async () => {
    const toHousehold = await noticeAfter(
      () => t.sms({ from: STRANGER, text: `STATUS ${HEAD}`, messageId: 'priv-s2' }),
      'the STATUS notice',
    );

    const toStranger = await delivered(STRANGER, reply('priv-s2'), 'the STATUS reply to the stranger');
    expect(toStranger.text).not.toMatch(/12,000|eligible|payment|Ref /i);
    expect(toHousehold.text).toContain('12,000');
  });

  it("answers the household's duplicate with its one reference, the one its notice told it (issue 15)", async () => {
    await t.sms({ from: HOUSEHOLD_PHONE, text: HEAD, messageId: 'priv-dup' });

    const duplicate = await delivered(HOUSEHOLD_PHONE, reply('priv-dup'), 'the duplicate reply');
    expect(duplicate.text).toMatch(/pehle se register/i);
    expect(firstReference).toMatch(/^[0-9A-Z]{8}$/);
    expect(duplicate.text).toContain(firstReference);
  });

  it('tells a stranger where to ask in person when the CNIC has no tied phone', async () => {
    await t.sms({ from: STRANGER, text: DECEASED, messageId: 'priv-dead' });

    const toStranger = await delivered(STRANGER, reply('priv-dead'), 'the reply about a CNIC without phone');
    expect(toStranger.text).toMatch(/tehsil desk/);
    expect(toStranger.text).not.toMatch(/deceased|wafat/i);
  });

  it('answers a reference the same whether it is unknown or not yours, and shows the household its own', async () => {
    let strangers = '';
    await noticeAfter(async () => {
      strangers = await registerOnWeb(HEAD, STRANGER);
    }, "the household's notice of the stranger's web registration");
    const households = await registerOnWeb(HEAD, HOUSEHOLD_PHONE);
    const own = await waitFor(
      async () => {
        const body = (await (
          await fetch(`${t.stack.httpUrl}/api/v1/registrations/${households}`)
        ).json()) as {
          status: string;
          reference: string;
        };
        return body.status === 'QUEUED' ? undefined : body;
      },
      20_000,
      "the household's own web registration decided",
    );
    // The household's standing under its one reference: enrolled, whichever registration is asked about.
    expect(own).toMatchObject({ status: 'ELIGIBLE', reference: firstReference });

    const notYours = await fetch(`${t.stack.httpUrl}/api/v1/registrations/${strangers}`);
    const unknown = await fetch(`${t.stack.httpUrl}/api/v1/registrations/W0000000`);
    expect(notYours.status).toBe(unknown.status);
    expect({ ...((await notYours.json()) as object), reference: 'R' }).toEqual({
      ...((await unknown.json()) as object),
      reference: 'R',
    });
  });

  it('Finding 8: answers two phones that send the same messageId, each once', async () => {
    await t.sms({ from: '+923330002222', text: 'HELP', messageId: 'priv-same' });
    await t.sms({ from: '+923330003333', text: 'HELP', messageId: 'priv-same' });

    const first = await delivered('+923330002222', reply('priv-same'), 'the first phone answered');
    const second = await delivered('+923330003333', reply('priv-same'), 'the second phone answered');
    expect(first.clientReference).not.toBe(second.clientReference);
  });
});
