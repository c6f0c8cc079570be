import type { Campaign, Decision } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { FLOOD, NOW, type WebFakes, webFakes } from './web-fakes.js';

/** The console's declaration form, as the emergency cell fills it. */
const FORM = {
  name: 'Muzaffargarh floods',
  nameUr: 'مظفر گڑھ سیلاب',
  shockType: 'flood',
  areas: 'Muzaffargarh',
  opensAt: '2026-03-01T09:00',
  closesAt: '2026-04-01T09:00',
  pmtThreshold: '32',
  topUp: '10000',
  newBeneficiary: '12000',
  budgetCap: '5000000',
  maxHouseholds: '500',
};

const MUZAFFARGARH = { ...FLOOD, areas: [{ district: 'Muzaffargarh' }] };

/** A campaign declared before issue 15: stored without an Urdu name. */
async function oldCampaign(web: WebFakes): Promise<Campaign> {
  const { nameUr: _none, ...stored } = await web.addCampaign('active', MUZAFFARGARH);
  await web.deps.campaigns.save({ ...stored, campaignId: 'C-OLD1' }, 0);
  return { ...stored, campaignId: 'C-OLD1' };
}

async function postCampaign(web: WebFakes, body: unknown): Promise<Response> {
  const token = (await web.cookieFor('amina', ['emergency-cell'])).split('=')[1];
  return web.request('/api/v1/campaigns', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Times a person reads must be Pakistan time: no ISO instant and no "UTC" in the page's text (a
 * `datetime-local` field's value is not text: the browser shows it in its own way, and it is PKT).
 */
function utcShownIn(html: string): string[] {
  const text = html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]*>/g, ' ');
  return text.match(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?|\bUTC\b/g) ?? [];
}

describe('declaring a campaign with its Urdu name', () => {
  it('refuses a declaration without nameUr with a 400 that names the field', async () => {
    const { nameUr: _none, ...withoutUrdu } = FLOOD;
    const web = webFakes();

    const response = await postCampaign(web, withoutUrdu);
    const body = (await response.json()) as { error: { details: { path: string; message: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.details).toEqual([
      { path: 'nameUr', message: expect.stringContaining('nameUr is required') },
    ]);
    expect(await web.deps.campaigns.list()).toEqual([]);
  });

  it('refuses a Latin nameUr, and stores an Urdu one with the campaign', async () => {
    const web = webFakes();

    const latin = await postCampaign(web, { ...FLOOD, nameUr: 'Punjab floods' });
    const urdu = await postCampaign(web, { ...FLOOD, nameUr: 'پنجاب سیلاب' });
    const created = (await urdu.json()) as Campaign;

    expect(latin.status).toBe(400);
    expect(JSON.stringify(await latin.json())).toContain('"path":"nameUr"');
    expect(urdu.status).toBe(201);
    expect((await web.deps.campaigns.get(created.campaignId))?.nameUr).toBe('پنجاب سیلاب');
  });

  it('asks for the Urdu name on the console form and shows the error at that field', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);

    const refused = await web.form('/console/campaigns', { ...FORM, nameUr: '' }, undefined, cookie);
    const html = await refused.text();
    const created = await web.form('/console/campaigns', FORM, undefined, cookie);
    const id = created.headers.get('location')?.match(/C-[A-Z0-9]+/)?.[0] ?? '';

    expect(refused.status).toBe(400);
    expect(html).toMatch(/<input id="nameUr" name="nameUr" type="text" lang="ur" dir="rtl" maxlength="16"/);
    expect(html).toContain('id="nameUr-error"');
    expect(created.status).toBe(303);
    expect((await web.deps.campaigns.get(id))?.nameUr).toBe('مظفر گڑھ سیلاب');
  });
});

describe('the console in Pakistan time', () => {
  it('lists each campaign with its Urdu name and its window in PKT', async () => {
    const web = webFakes();
    await web.addCampaign('active', MUZAFFARGARH);
    const cookie = await web.cookieFor('amina', ['emergency-cell']);

    const html = await (await web.request('/console/campaigns', { headers: { cookie } })).text();

    // FLOOD opens 2026-02-01T00:00Z and closes 2026-04-01T00:00Z: 05:00 in Pakistan.
    expect(html).toContain('<th>Window (Pakistan time)</th>');
    expect(html).toContain('<td>1 Feb 2026, 05:00 PKT to 1 Apr 2026, 05:00 PKT</td>');
    expect(html).toContain('<div lang="ur" dir="rtl" class="name-ur">پنجاب سیلاب ۲۰۲۶</div>');
  });

  it('fills the form with Pakistan time, not UTC: 15:00 in Karachi when it is 10:00 UTC', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);

    const html = await (await web.request('/console/campaigns', { headers: { cookie } })).text();

    // NOW is 2026-03-01T10:00Z; the form opens five minutes back.
    expect(html).toMatch(/<input id="opensAt" name="opensAt" type="datetime-local" value="2026-03-01T14:55"/);
  });

  it('shows no UTC or ISO time on the campaign list, the dashboard, a batch and the review pages', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('active', MUZAFFARGARH);
    web.perMinute.set(campaign.campaignId, [{ minute: '2026-03-01T09:59', count: 3 }]);
    web.payments.batches.set('B-0000000A', {
      batchId: 'B-0000000A',
      campaignId: campaign.campaignId,
      status: 'pending',
      lineCount: 1,
      total: 10000,
      maker: 'maker-1',
      createdAt: NOW.toISOString(),
    });
    web.appeals.set('A1234567', {
      appealId: 'A1234567',
      messageId: 'sms-9',
      cnicHash: 'h',
      phone: '+923001234567',
      lang: 'ur',
      note: 'گھر سیلاب میں',
      status: 'OPEN',
      openedAt: NOW.toISOString(),
    });
    web.provisional.push({
      householdId: 'P-1',
      district: 'Muzaffargarh',
      tehsil: 'Alipur',
      registeredAt: NOW.toISOString(),
      members: [{ cnic: '32304-1234567-1', cnicMasked: '32***-*******-1' }],
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
    const cookie = await web.cookieFor('olga', ['emergency-cell', 'program-officer', 'approver']);
    const paths = [
      '/console/review',
      '/console/campaigns',
      `/console/campaigns/${campaign.campaignId}`,
      `/console/campaigns/${campaign.campaignId}/live`,
      `/console/campaigns/${campaign.campaignId}/payments`,
      '/console/payment-batches/B-0000000A',
    ];

    const shown = await Promise.all(
      paths.map(async (path) => {
        const response = await web.request(path, { headers: { cookie } });
        return { path, status: response.status, utc: utcShownIn(await response.text()) };
      }),
    );

    expect(shown).toEqual(paths.map((path) => ({ path, status: 200, utc: [] })));
    const live = await (
      await web.request(`/console/campaigns/${campaign.campaignId}/live`, { headers: { cookie } })
    ).text();
    expect(live).toContain('<span id="updated-at">15:00:00 PKT</span>');
    const dashboard = await (
      await web.request(`/console/campaigns/${campaign.campaignId}`, { headers: { cookie } })
    ).text();
    expect(dashboard).toContain(
      '<span id="campaign-window">1 Feb 2026, 05:00 PKT to 1 Apr 2026, 05:00 PKT</span>',
    );
    expect(dashboard).toContain('<span lang="ur" dir="rtl" id="campaign-name-ur">پنجاب سیلاب ۲۰۲۶</span>');
    expect(live).toContain('1 Mar 2026, 14:59 PKT');
  });
});

describe('public pages in Urdu, in Pakistan time', () => {
  it('lists Muzaffargarh as مظفر گڑھ on the Urdu registration form, and sends the registry spelling', async () => {
    const web = webFakes();

    const urdu = await (await web.request('/?lang=ur')).text();
    const english = await (await web.request('/')).text();

    expect(urdu).toContain('<option value="Muzaffargarh">مظفر گڑھ</option>');
    expect(urdu).toContain('<optgroup label="مظفر گڑھ" data-district="Muzaffargarh">');
    expect(urdu).toContain('<option value="Kot Addu">کوٹ ادو</option>');
    expect(urdu).toContain('<optgroup label="پنجاب">');
    expect(english).toContain('<option value="Muzaffargarh">Muzaffargarh</option>');
    expect(english).not.toContain('مظفر گڑھ');
  });

  it('registers from the Urdu form with the district and tehsil as the registry spells them', async () => {
    const web = webFakes();

    const response = await web.form('/register', {
      lang: 'ur',
      cnic: '32304-1234567-1',
      phone: '0300 1234567',
      district: 'Muzaffargarh',
      tehsil: 'Kot Addu',
    });

    expect(response.status).toBe(303);
    expect(web.queued[0]).toMatchObject({ district: 'Muzaffargarh', tehsil: 'Kot Addu', lang: 'ur' });
  });

  it('names the campaign and its areas in Urdu on the Urdu campaign page, with dates and "as of" in PKT', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('active', {
      ...MUZAFFARGARH,
      nameUr: 'مظفر گڑھ سیلاب',
    });
    web.publishedCounters.set(campaign.campaignId, {
      'status:ELIGIBLE': 12,
      'status:NOT_ELIGIBLE': 8,
      'district:Muzaffargarh:ELIGIBLE': 12,
      'district:Muzaffargarh:NOT_ELIGIBLE': 8,
      'tehsil:Muzaffargarh/Kot Addu:ELIGIBLE': 12,
      'tehsil:Muzaffargarh/Kot Addu:NOT_ELIGIBLE': 8,
    });

    const urdu = await (await web.request(`/campaigns/${campaign.campaignId}?lang=ur`)).text();
    const english = await (await web.request(`/campaigns/${campaign.campaignId}`)).text();

    expect(urdu).toContain('<h1>مظفر گڑھ سیلاب</h1>');
    expect(urdu).toContain('<th scope="row">مظفر گڑھ</th>');
    expect(urdu).toContain('<td>کوٹ ادو</td>');
    expect(urdu).toContain('<span id="as-of" dir="ltr">1 Mar 2026, 15:00 PKT</span>');
    expect(urdu).toContain('1 Feb 2026 – 1 Apr 2026');
    expect(english).toContain('<h1>Punjab floods 2026</h1>');
    expect(english).toContain('<th scope="row">Muzaffargarh</th>');
    expect(english).toContain('<td>Kot Addu</td>');
    expect(utcShownIn(urdu)).toEqual([]);
    expect(utcShownIn(english)).toEqual([]);
  });

  it('shows a campaign stored before the Urdu name was required under its English name, in Urdu', async () => {
    const web = webFakes();
    const campaign = await oldCampaign(web);

    const response = await web.request(`/campaigns/${campaign.campaignId}?lang=ur`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1>Punjab floods 2026</h1>');
  });

  it('shows when a decision was taken in Pakistan time on the status page', async () => {
    const web = webFakes();
    const decision: Decision = {
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      ruleSetVersion: 'C-TEST1/v1',
      inputs: {},
      amount: 12000,
      category: 'NEW_BENEFICIARY',
      decidedAt: '2026-08-25T20:30:00.000Z',
    };
    web.registrations.set('web-W1234567', {
      lang: 'en',
      from: '+923001234567',
      tied: true,
      cnicHash: 'h-1',
      decision,
    });
    // The page shows the household's standing: its decision of record, written with the registration.
    web.latest.set('h-1', {
      campaignId: 'C-TEST1',
      cnicHash: 'h-1',
      messageId: 'web-W1234567',
      reference: 'W1234567',
      from: '+923001234567',
      channel: 'web',
      lang: 'en',
      decision,
    });

    const english = await (await web.request('/status?reference=W1234567')).text();
    const urdu = await (await web.request('/status?reference=W1234567&lang=ur')).text();

    expect(english).toContain('<span dir="ltr">26 Aug 2026, 01:30 PKT</span>');
    expect(urdu).toContain('<span dir="ltr">26 Aug 2026, 01:30 PKT</span>');
    expect(utcShownIn(english)).toEqual([]);
    expect(utcShownIn(urdu)).toEqual([]);
  });
});
