import { ACTIVATION_BANDS, type Appeal, type PaymentBatch } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

const CAMPAIGN_FORM = {
  name: 'Sindh floods',
  nameUr: 'سندھ سیلاب',
  shockType: 'flood',
  areas: 'lahore: model town, Raiwind\nKarachi Central',
  opensAt: '2026-03-01T09:00',
  closesAt: '2026-04-01T09:00',
  pmtThreshold: '30',
  topUp: '10000',
  newBeneficiary: '12000',
  budgetCap: '5000000',
  maxHouseholds: '500',
  exclusionFilters: ['VEHICLE_OWNER'],
};

async function pendingBatch(web: WebFakes, maker: string): Promise<PaymentBatch> {
  const campaign = await web.addCampaign('active');
  const batch: PaymentBatch = {
    batchId: 'B-0000000A',
    campaignId: campaign.campaignId,
    status: 'pending',
    lineCount: 1,
    total: 10000,
    maker,
    createdAt: NOW.toISOString(),
  };
  web.payments.batches.set(batch.batchId, batch);
  return batch;
}

describe('console sign-in', () => {
  it('sends a visitor without a token to the sign-in page, remembering where they were going', async () => {
    const response = await webFakes().request('/console/campaigns');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Fcampaigns');
  });

  it('keeps an accepted token in an HttpOnly, SameSite=Strict cookie for the console only', async () => {
    const web = webFakes();
    const token = (await web.cookieFor('amina', ['emergency-cell'])).split('=')[1] ?? '';
    const response = await web.form('/console/sign-in', {
      token: `Bearer ${token}`,
      next: '/console/review',
    });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/review');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`madad_staff=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/console');
  });

  it('refuses a forged token with the reason, and never redirects off the console', async () => {
    const web = webFakes();
    const response = await web.form('/console/sign-in', {
      token: 'eyJ.bad.token',
      next: 'https://evil.example/',
    });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('This token was not accepted (Invalid token)');
    expect(html).toContain('name="next" value="/console/campaigns"');
  });
});

describe('console roles', () => {
  it('shows a 403 page when the role is missing, as the API would refuse', async () => {
    const web = webFakes();
    const auditor = await web.cookieFor('olga', ['auditor']);

    const create = await web.form('/console/campaigns', CAMPAIGN_FORM, undefined, auditor);
    const html = await create.text();

    expect(create.status).toBe(403);
    expect(html).toContain('id="forbidden"');
    expect(html).toContain('This page needs one of the roles: <strong>emergency-cell</strong>');
    expect(html).toContain('olga');
    const api = await web.request('/api/v1/campaigns', {
      method: 'POST',
      headers: { authorization: `Bearer ${auditor.split('=')[1]}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(403);
  });

  it('gives a staff member without any role a 403 on the campaign list', async () => {
    const web = webFakes();
    const response = await web.request('/console/campaigns', {
      headers: { cookie: await web.cookieFor('nobody', []) },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('with no roles');
  });

  it('refuses a console post from another site', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);
    const response = await web.request('/console/campaigns', {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'name=x',
    });
    expect(response.status).toBe(403);
  });
});

describe('console campaigns', () => {
  it('creates a draft from the form with the areas in their registry spelling', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);
    const response = await web.form('/console/campaigns', CAMPAIGN_FORM, undefined, cookie);

    expect(response.status).toBe(303);
    const id = response.headers.get('location')?.match(/C-[A-Z0-9]+/)?.[0] ?? '';
    const stored = await web.deps.campaigns.get(id);
    expect(stored).toMatchObject({
      status: 'draft',
      createdBy: 'amina',
      areas: [{ district: 'Lahore', tehsils: ['Model Town', 'Raiwind'] }, { district: 'Karachi Central' }],
      opensAt: '2026-03-01T09:00:00+05:00',
      rules: { pmtThreshold: 30, exclusionFilters: ['VEHICLE_OWNER'] },
    });
  });

  it('re-renders a refused campaign with what was typed and the error at its field', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);
    const response = await web.form(
      '/console/campaigns',
      { ...CAMPAIGN_FORM, areas: 'Atlantis', closesAt: '2026-02-01T09:00' },
      undefined,
      cookie,
    );
    const html = await response.text();

    expect(response.status).toBe(400);
    // Refused with the nearest districts the gazetteer knows.
    expect(html).toMatch(
      /id="areas-error">Unknown district &quot;Atlantis&quot;; did you mean [A-Z][^<]+\?<\/p>/,
    );
    expect(html).toContain('id="closesAt-error">closesAt must be after opensAt</p>');
    expect(html).toContain('value="Sindh floods"');
  });

  it('activates only after a confirmation step, then starts vertical expansion', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);
    const campaign = await web.addCampaign('draft');

    const confirm = await web.request(`/console/campaigns/${campaign.campaignId}/activate`, {
      headers: { cookie },
    });
    expect(await confirm.text()).toContain(`action="/console/campaigns/${campaign.campaignId}/activate"`);
    expect((await web.deps.campaigns.get(campaign.campaignId))?.status).toBe('draft');

    const done = await web.form(`/console/campaigns/${campaign.campaignId}/activate`, {}, undefined, cookie);
    expect(done.headers.get('location')).toBe(`/console/campaigns/${campaign.campaignId}?done=activated`);
    expect((await web.deps.campaigns.get(campaign.campaignId))?.status).toBe('active');
    // One work item per score band of the district, numbered across the activation.
    expect(web.activations).toHaveLength(ACTIVATION_BANDS);
    expect(web.activations).toEqual(
      Array.from({ length: ACTIVATION_BANDS }, (_, item) =>
        expect.objectContaining({
          campaignId: campaign.campaignId,
          district: 'Lahore',
          item,
          items: ACTIVATION_BANDS,
          page: 0,
        }),
      ),
    );
  });

  it('shows the live dashboard: counts, queue and DLQ, budget, the per-minute chart and districts', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    web.counters.set(campaign.campaignId, {
      decided: 9,
      'channel:sms': 5,
      'channel:web': 2,
      'channel:vertical': 2,
      'status:ELIGIBLE': 6,
      'status:PENDING_VERIFICATION': 1,
      'district:Lahore:ELIGIBLE': 6,
      'district:Lahore:amount': 64000,
      committedAmount: 64000,
    });
    web.perMinute.set(campaign.campaignId, [
      { minute: '2026-03-01T09:58', count: 4 },
      { minute: '2026-03-01T09:59', count: 3 },
    ]);
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const page = await (
      await web.request(`/console/campaigns/${campaign.campaignId}`, { headers: { cookie } })
    ).text();
    const live = await web.request(`/console/campaigns/${campaign.campaignId}/live`, { headers: { cookie } });
    const fragment = await live.text();

    expect(page).toContain(`data-live="/console/campaigns/${campaign.campaignId}/live"`);
    expect(page).toContain('<noscript><meta http-equiv="refresh" content="10"/></noscript>');
    expect(page).not.toContain('id="activate"');
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('<b id="tile-received">7</b>');
    expect(fragment).toContain('<b id="tile-eligible">6</b>');
    expect(fragment).toContain('<b id="tile-queued">4</b>');
    expect(fragment).toContain('<b id="tile-dlq">2</b>');
    expect(fragment).toContain('PKR 64,000');
    expect(fragment).toContain('data-total="7"');
    expect(fragment).toMatch(/<th scope="row">Lahore<\/th><td class="n">6<\/td>/);
  });
});

describe('console payment batches', () => {
  it('shows the maker their batch without an approve button', async () => {
    const web = webFakes();
    const batch = await pendingBatch(web, 'maker-1');
    const cookie = await web.cookieFor('maker-1', ['program-officer', 'approver']);

    const html = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();

    expect(html).toContain('<strong id="batch-maker">maker-1</strong>');
    expect(html).toContain('id="maker-note"');
    expect(html).not.toContain('id="approve"');
  });

  it('lets a second user with the approver role approve it, and the service refuses the maker', async () => {
    const web = webFakes();
    const batch = await pendingBatch(web, 'maker-1');
    const checker = await web.cookieFor('checker-1', ['approver']);
    const maker = await web.cookieFor('maker-1', ['approver']);

    const page = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie: checker } })
    ).text();
    expect(page).toContain('id="approve"');

    const refused = await web.form(`/console/payment-batches/${batch.batchId}/approve`, {}, undefined, maker);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('another approver must approve it (maker-checker)');

    const approved = await web.form(
      `/console/payment-batches/${batch.batchId}/approve`,
      {},
      undefined,
      checker,
    );
    expect(approved.status).toBe(303);
    expect(web.payments.batches.get(batch.batchId)).toMatchObject({
      status: 'approved',
      approvedBy: 'checker-1',
    });
  });
});

describe('console review queue', () => {
  it('lists open appeals (worked on the appeals page), provisional households and flagged cases, and resolves an appeal with a reason', async () => {
    const web = webFakes();
    const appeal: Appeal = {
      appealId: 'A1234567',
      messageId: 'sms-9',
      cnicHash: 'h',
      phone: '+923001234567',
      lang: 'en',
      note: 'My house was flooded <b>',
      status: 'OPEN',
      openedAt: NOW.toISOString(),
    };
    web.appeals.set(appeal.appealId, appeal);
    web.provisional.push({
      householdId: 'P-1',
      district: 'Lahore',
      tehsil: 'Raiwind',
      registeredAt: NOW.toISOString(),
      members: [{ cnic: '35202-1234567-2', cnicMasked: '35***-*******-2' }],
      answers: { size: 5, children: 2, assets: [] },
    });
    web.flagged.push({
      messageId: 'sms-7',
      reference: 'R7',
      channel: 'sms',
      phoneMasked: '+92300****567',
      status: 'IDENTITY_MISMATCH',
      reasons: ['IDENTITY_UNKNOWN'],
      decidedAt: NOW.toISOString(),
    });
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const html = await (await web.request('/console/review', { headers: { cookie } })).text();
    expect(html).toContain('id="appeal-A1234567"');
    expect(html).toContain('My house was flooded &lt;b&gt;');
    expect(html).toContain('href="/console/appeals#appeal-A1234567"');
    expect(html).not.toContain('name="outcome"');
    expect(html).toContain('35***-*******-2');
    expect(html).not.toContain('35202-1234567-2');
    expect(html).toContain('IDENTITY_UNKNOWN');

    const tooShort = await web.form(
      '/console/appeals/A1234567/resolve',
      { outcome: 'OVERTURNED', reason: 'ok' },
      undefined,
      cookie,
    );
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain('Write the reason (at least 5 characters)');

    const resolved = await web.form(
      '/console/appeals/A1234567/resolve',
      { outcome: 'OVERTURNED', reason: 'House confirmed flooded by the tehsil desk' },
      undefined,
      cookie,
    );
    expect(resolved.status).toBe(303);
    expect(web.appeals.get('A1234567')).toMatchObject({ status: 'OVERTURNED', resolution: { by: 'pat' } });
  });
});
