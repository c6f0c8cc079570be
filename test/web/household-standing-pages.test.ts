import {
  type Campaign,
  type Decision,
  type DecisionOfRecord,
  hashCnic,
  type RegistryMatch,
  renderReply,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

const CNIC = '3520212345672';
const PHONE = '+923001234567';
const SMS_REFERENCE = '3NJAAYBA';

/** A household of Lahore in the registry (its phone), and the active Punjab flood campaign. */
async function lahore(): Promise<{ web: WebFakes; campaign: Campaign; cnicHash: string }> {
  const web = webFakes();
  const campaign = await web.addCampaign('active');
  const cnicHash = hashCnic('pepper', CNIC);
  const match: RegistryMatch = {
    exclusions: [],
    person: { cnicHash, householdId: 'HH-L1', relation: 'head' },
    identity: { cnicHash, status: 'ALIVE', simPhones: [] },
    household: {
      householdId: 'HH-L1',
      province: 'Punjab',
      district: 'Lahore',
      tehsil: 'Model Town',
      pmtScore: 12,
      programmes: ['KAFAALAT'],
      members: [{ cnicHash, relation: 'head', gender: 'female', exclusions: [] }],
      phones: [PHONE],
      status: 'active',
    },
  };
  web.people.set(cnicHash, match);
  return { web, campaign, cnicHash };
}

function ofRecord(
  campaign: Campaign,
  cnicHash: string,
  decision: Partial<Decision>,
  reference = SMS_REFERENCE,
) {
  const record: DecisionOfRecord = {
    campaignId: campaign.campaignId,
    cnicHash,
    messageId: 'm1',
    reference,
    from: PHONE,
    channel: 'sms',
    lang: 'en',
    decision: {
      status: 'ELIGIBLE',
      reasons: [],
      ruleSetVersion: campaign.ruleSetVersion,
      campaignId: campaign.campaignId,
      householdId: 'HH-L1',
      inputs: {},
      decidedAt: NOW.toISOString(),
      ...decision,
    },
  };
  return record;
}

describe('Finding 4 on the web: every reference the system sent is accepted', () => {
  it('opens the status page and the JSON route with an SMS reference', async () => {
    const { web, campaign, cnicHash } = await lahore();
    web.latest.set(
      cnicHash,
      ofRecord(campaign, cnicHash, { status: 'NOT_ELIGIBLE', reasons: ['SCORE_ABOVE_THRESHOLD'] }),
    );
    web.references.set(SMS_REFERENCE, {
      reference: SMS_REFERENCE,
      cnicHash,
      campaignId: campaign.campaignId,
    });

    const page = await web.request(`/status?reference=${SMS_REFERENCE.toLowerCase()}`);
    const json = await web.request(`/api/v1/registrations/${SMS_REFERENCE}`);

    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-status="NOT_ELIGIBLE"');
    expect(html).toContain(SMS_REFERENCE);
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ reference: SMS_REFERENCE, status: 'NOT_ELIGIBLE' });
  });

  it('still shows an unknown reference exactly as a queued one, whatever its shape', async () => {
    const { web } = await lahore();

    const html = await (await web.request('/status?reference=7K2M9QXA')).text();

    expect(html).toContain('data-status="QUEUED"');
  });
});

describe('Findings 5 and 6 on the web: the stage SMS STATUS gives, in its words', () => {
  it.each([
    ['paid', 'PAID'],
    ['batched', 'IN_BATCH'],
    ['failed', 'FAILED'],
  ] as const)(
    'shows a topped-up household whose payment is %s the stage %s and the SMS STATUS text',
    async (state, stage) => {
      const { web, campaign, cnicHash } = await lahore();
      web.references.set('TV7K2M9Q', { reference: 'TV7K2M9Q', cnicHash, campaignId: campaign.campaignId });
      web.enrollments.set(`${campaign.campaignId}|HH-L1`, {
        campaignId: campaign.campaignId,
        householdId: 'HH-L1',
        messageId: 'vertical:x',
        reference: 'TV7K2M9Q',
        cnicHash: 'payee',
        category: 'TOP_UP',
        amount: 10000,
        district: 'Lahore',
        tehsil: 'Model Town',
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'vertical',
        enrolledAt: NOW.toISOString(),
        paymentState: state,
      });

      const json = (await (await web.request('/api/v1/registrations/TV7K2M9Q')).json()) as {
        message: string;
      };
      const html = await (await web.request('/status?reference=TV7K2M9Q')).text();

      const sms = renderReply({
        status: 'ELIGIBLE',
        reasons: [],
        lang: 'en',
        reference: 'TV7K2M9Q',
        amount: 10000,
        campaignName: campaign.name,
        campaignNameUr: campaign.nameUr,
        topUp: true,
        payment: stage,
      });
      expect(json).toMatchObject({
        status: 'ELIGIBLE',
        payment: stage,
        topUp: true,
        amount: 10000,
        message: sms,
      });
      expect(html).toContain(`data-payment="${stage}"`);
      expect(html).not.toContain('You will get an SMS when your payment is sent');
    },
  );
});

describe('Finding 2 on the web: in the registry, not registered', () => {
  it('tells the household by CNIC and its registry phone how to register, as SMS STATUS does', async () => {
    const { web } = await lahore();

    const response = await web.request('/api/v1/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cnic: CNIC, phone: '0300 1234567' }),
    });
    const other = await web.request('/api/v1/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cnic: CNIC, phone: '0333 9876543' }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'NOT_REGISTERED' });
    expect(other.status).toBe(404);
  });
});

describe('Finding 10 on the web: registering again', () => {
  it('shows the decision and the original reference on the page after a second web registration', async () => {
    const { web, campaign, cnicHash } = await lahore();
    web.latest.set(
      cnicHash,
      ofRecord(
        campaign,
        cnicHash,
        { status: 'NOT_ELIGIBLE', reasons: ['SCORE_ABOVE_THRESHOLD'] },
        'W7K2M9QX',
      ),
    );
    web.registrations.set('web-W3JD8PRT', {
      lang: 'en',
      from: PHONE,
      tied: true,
      cnicHash,
      reference: 'W7K2M9QX',
      decision: ofRecord(campaign, cnicHash, { status: 'NOT_ELIGIBLE' }).decision,
    });

    const html = await (await web.request('/registered/W3JD8PRT')).text();

    expect(html).toContain('id="reference-value">W7K2M9QX');
    expect(html).toContain('data-status="NOT_ELIGIBLE"');
  });
});

describe('the registered page, a lookup by reference', () => {
  it('counts against the address like the status page, and past the limit shows the receipt alone', async () => {
    const { campaign, cnicHash } = await lahore();
    const web = webFakes({
      rules: { ip: { limit: 1, windowSeconds: 600 }, phone: { limit: 5, windowSeconds: 3600 } },
    });
    web.latest.set(cnicHash, ofRecord(campaign, cnicHash, { status: 'NOT_ELIGIBLE' }, 'W7K2M9QX'));
    web.registrations.set('web-W7K2M9QX', {
      lang: 'en',
      from: PHONE,
      tied: true,
      cnicHash,
      decision: ofRecord(campaign, cnicHash, { status: 'NOT_ELIGIBLE' }).decision,
    });

    const first = await (await web.request('/registered/W7K2M9QX')).text();
    const second = await (await web.request('/registered/W7K2M9QX')).text();

    expect(first).toContain('data-status="NOT_ELIGIBLE"');
    expect(second).toContain('id="reference-value">W7K2M9QX');
    expect(second).not.toContain('data-status=');
  });
});
