import { type Decision, hashCnic } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { STYLES } from '../../packages/api/src/web/styles.js';
import { NOW, webFakes } from './web-fakes.js';

const VALID = {
  lang: 'en',
  cnic: '35202-1234567-2',
  phone: '0300 1234567',
  district: 'Lahore',
  tehsil: 'Model Town',
};

const decided = (status: Decision['status'], extra: Partial<Decision> = {}): Decision => ({
  status,
  reasons: ['IN_REGISTRY'],
  ruleSetVersion: 'C-TEST1/v1',
  inputs: {},
  decidedAt: NOW.toISOString(),
  ...extra,
});

/** The `<input>` tag of a field, to check what it shows and how it is described. */
function inputTag(html: string, id: string): string {
  return html.match(new RegExp(`<input[^>]*id="${id}"[^>]*>`))?.[0] ?? '';
}

describe('registration page', () => {
  it('is a plain form posting to /register, with labels, hints and the district and tehsil lists', async () => {
    const web = webFakes();
    const response = await web.request('/');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toContain('<form method="post" action="/register"');
    expect(html).toContain('<label for="cnic">CNIC number</label>');
    expect(inputTag(html, 'cnic')).toContain('aria-describedby="cnic-hint"');
    expect(html).toContain(
      '<optgroup label="Lahore" data-district="Lahore"><option value="Lahore City">Lahore City</option>',
    );
    expect(html).toContain('<option value="Karachi Central">Karachi Central</option>');
    expect(html).toContain('href="/?lang=ur"');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves Urdu right to left, with Urdu labels and a link back to English', async () => {
    const web = webFakes();
    const html = await (await web.request('/?lang=ur')).text();

    expect(html).toContain('<html lang="ur" dir="rtl">');
    expect(html).toContain('<label for="cnic">شناختی کارڈ نمبر</label>');
    expect(html).toContain('<label for="district">ضلع</label>');
    expect(html).toContain('<input type="hidden" name="lang" value="ur"/>');
    expect(html).toMatch(/<a href="\/" lang="en" hreflang="en">English<\/a>/);
  });

  it('keeps what was typed and puts each error next to its own field', async () => {
    const web = webFakes();
    const response = await web.form('/register', { ...VALID, cnic: '35202-12345', tehsil: 'Gulberg' });
    const html = await response.text();

    expect(response.status).toBe(400);
    expect(inputTag(html, 'cnic')).toContain('value="35202-12345"');
    expect(inputTag(html, 'cnic')).toContain('aria-describedby="cnic-hint cnic-error"');
    expect(inputTag(html, 'cnic')).toContain('aria-invalid="true"');
    expect(html).toContain(
      '<p class="error" id="cnic-error">A CNIC has 13 digits, like 35202-1234567-1.</p>',
    );
    expect(html).toContain('<p class="error" id="tehsil-error">Choose a tehsil of your district.</p>');
    expect(inputTag(html, 'phone')).toContain('value="0300 1234567"');
    expect(html).not.toContain('id="phone-error"');
    expect(html).toContain('<option value="Lahore" selected="">Lahore</option>');
    expect(html).toContain('<a href="#cnic">');
    expect(web.queued).toHaveLength(0);
  });

  it('words the errors in Urdu on the Urdu form', async () => {
    const web = webFakes();
    const html = await (await web.form('/register', { lang: 'ur', cnic: '', phone: '12' })).text();

    expect(html).toContain('dir="rtl"');
    expect(html).toContain('id="cnic-error">اپنا شناختی کارڈ نمبر لکھیں۔</p>');
    expect(html).toContain('id="phone-error">موبائل نمبر اس طرح لکھیں: \u20660300 1234567\u2069۔</p>');
    expect(html).toContain('id="district-error">فہرست سے اپنا ضلع منتخب کریں۔</p>');
  });

  it('queues a valid registration like the JSON API and answers with the reference', async () => {
    const web = webFakes();
    const response = await web.form('/register', {
      ...VALID,
      size: '6',
      children: '۳',
      assets: ['livestock', 'motorcycle'],
    });

    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/registered\/W[0-9A-Z]{7}$/);
    expect(web.queued).toEqual([
      expect.objectContaining({
        channel: 'web',
        cnic: '3520212345672',
        phone: '+923001234567',
        district: 'Lahore',
        tehsil: 'Model Town',
        lang: 'en',
        household: { size: 6, children: 3, assets: ['livestock', 'motorcycle'] },
      }),
    ]);
    const page = await (await web.request(location)).text();
    expect(page).toContain(location.slice('/registered/'.length));
    expect(page).toContain(`href="/status?reference=${location.slice('/registered/'.length)}"`);
  });

  it('refuses a questionnaire with an impossible household size, keeping the answers', async () => {
    const web = webFakes();
    const html = await (await web.form('/register', { ...VALID, size: '0', children: '2' })).text();

    expect(html).toContain('id="size-error">Enter the number of people, from 1 to 40.</p>');
    expect(inputTag(html, 'children')).toContain('value="2"');
    expect(web.queued).toHaveLength(0);
  });
});

describe('public form rate limits', () => {
  const rules = { ip: { limit: 2, windowSeconds: 600 }, phone: { limit: 1, windowSeconds: 3600 } };

  it('answers 429 in English after too many posts from one address, and keeps the form filled', async () => {
    const web = webFakes({ rules });
    await web.form('/register', { ...VALID, cnic: 'x' });
    await web.form('/register', { ...VALID, cnic: 'x' });
    const response = await web.form('/register', VALID);
    const html = await response.text();

    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(html).toContain('Too many attempts from this connection or phone. Nothing you typed is lost');
    expect(inputTag(html, 'cnic')).toContain('value="35202-1234567-2"');
    expect(web.queued).toHaveLength(0);
  });

  it('answers 429 in Urdu too', async () => {
    const web = webFakes({ rules });
    for (let i = 0; i < 2; i++) await web.form('/register', { ...VALID, lang: 'ur', cnic: 'x' });
    const html = await (await web.form('/register', { ...VALID, lang: 'ur' })).text();

    expect(html).toContain('اس کنکشن یا فون سے بہت زیادہ کوششیں ہوئیں۔ آپ کا لکھا محفوظ ہے');
    expect(html).toContain('dir="rtl"');
  });

  it('limits one phone number across addresses', async () => {
    const web = webFakes({ rules });
    expect((await web.form('/register', VALID, '198.51.100.1')).status).toBe(303);
    const second = await web.form('/register', { ...VALID, cnic: '35202-7654321-3' }, '198.51.100.2');

    expect(second.status).toBe(429);
    expect(web.queued).toHaveLength(1);
  });
});

describe('status page', () => {
  it('says a fresh registration is waiting to be checked', async () => {
    const web = webFakes();
    const html = await (await web.request('/status?reference=w1234567')).text();

    expect(html).toContain('data-status="QUEUED"');
    expect(html).toContain('Received, waiting to be checked');
    expect(html).toContain('W1234567');
  });

  it("Finding 1: shows a reference not registered from the household's phone exactly as an unknown one", async () => {
    // Arrange: a stranger registered someone's CNIC on the web and holds the reference.
    const web = webFakes();
    web.registrations.set('web-W2222222', {
      lang: 'en',
      from: '+923339876543',
      decision: decided('ELIGIBLE', { amount: 12000, category: 'NEW_BENEFICIARY' }),
    });

    // Act
    const notYours = await (await web.request('/status?reference=W2222222')).text();
    const unknown = await (await web.request('/status?reference=W3333333')).text();
    const json = await (await web.request('/api/v1/registrations/W2222222')).json();

    // Assert
    expect(notYours.replaceAll('W2222222', 'W')).toBe(unknown.replaceAll('W3333333', 'W'));
    expect(notYours).not.toContain('12,000');
    expect(json).toEqual({ reference: 'W2222222', status: 'QUEUED' });
  });

  it('explains a decision in plain words, with the amount and what to do next', async () => {
    const web = webFakes();
    const decision = decided('ELIGIBLE', { amount: 12000, category: 'NEW_BENEFICIARY' });
    web.registrations.set('web-W1234567', {
      lang: 'en',
      from: '+923001234567',
      // Registered from a phone tied to the household: only then does the reference show the outcome.
      tied: true,
      cnicHash: 'h-e',
      decision,
    });
    // The household's standing is its decision of record, written with the registration.
    web.latest.set('h-e', {
      campaignId: 'C-1',
      cnicHash: 'h-e',
      messageId: 'web-W1234567',
      reference: 'W1234567',
      from: '+923001234567',
      channel: 'web',
      lang: 'en',
      decision,
    });
    const html = await (await web.request('/status?reference=W1234567&lang=ur')).text();

    expect(html).toContain('آپ اہل ہیں');
    expect(html).toContain('12,000 روپے');
    expect(html).toContain('اصل شناختی کارڈ');
  });

  it('tells a waitlisted household it qualifies and waits for funds, and shows its promotion once made', async () => {
    // Arrange
    const web = webFakes();
    const waitlisted = decided('WAITLISTED', { reasons: ['CAP_REACHED'], category: 'NEW_BENEFICIARY' });
    web.registrations.set('web-W7654321', {
      lang: 'en',
      from: '+923001234567',
      // Registered from a phone tied to the household: only then does the reference show the outcome.
      tied: true,
      cnicHash: 'h-w',
      decision: waitlisted,
    });
    const ofRecord = {
      campaignId: 'C-1',
      cnicHash: 'h-w',
      messageId: 'web-W7654321',
      reference: 'W7654321',
      from: '+923001234567',
      channel: 'web' as const,
      lang: 'en' as const,
    };
    await web.deps.decisions.put({ ...ofRecord, decision: waitlisted });

    // Act
    const before = await (await web.request('/status?reference=W7654321')).text();
    await web.deps.decisions.put({
      ...ofRecord,
      decision: decided('ELIGIBLE', { amount: 12000, decidedAt: '2026-08-25T10:00:00.000Z' }),
    });
    const after = await (await web.request('/status?reference=W7654321')).text();

    // Assert
    expect(before).toContain('data-status="WAITLISTED"');
    expect(before).toContain('Eligible, on the waiting list');
    expect(before).not.toContain('12,000');
    expect(after).toContain('data-status="ELIGIBLE"');
    expect(after).toContain('Rs 12,000');
  });

  it('refuses a malformed reference next to its field', async () => {
    const web = webFakes();
    const response = await web.request('/status?reference=123');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('id="reference-error">A reference has 8 letters and digits');
  });

  it('finds the decision by CNIC and the phone it was registered from, and nothing with another phone', async () => {
    const web = webFakes();
    const cnicHash = hashCnic('pepper', '3520212345672');
    web.latest.set(cnicHash, {
      campaignId: 'C1',
      cnicHash,
      messageId: 'sms-1',
      reference: 'R1',
      channel: 'sms',
      lang: 'en',
      from: '+923001234567',
      decision: { ...decided('NOT_ELIGIBLE'), reasons: ['SCORE_ABOVE_THRESHOLD'] },
    });

    const found = await (await web.form('/status', { cnic: '35202-1234567-2', phone: '03001234567' })).text();
    const other = await web.form('/status', { cnic: '35202-1234567-2', phone: '03111234567' });

    expect(found).toContain('You are not eligible');
    expect(found).toContain('above the poverty limit');
    expect(other.status).toBe(404);
    expect(await other.text()).toContain('We found no registration for that CNIC and mobile number');
  });
});

describe('campaign transparency page', () => {
  const lahoreAndSparseDistricts = {
    'district:Lahore:ELIGIBLE': 20,
    'district:Lahore:NOT_ELIGIBLE': 12,
    'district:Lahore:WAITLISTED': 3,
    'district:Lahore:DUPLICATE': 4,
    'district:Lahore:amount': 240000,
    'tehsil:Lahore/Model Town:ELIGIBLE': 8,
    'tehsil:Lahore/Model Town:NOT_ELIGIBLE': 6,
    'tehsil:Lahore/Raiwind:ELIGIBLE': 5,
    'tehsil:Lahore/Raiwind:NOT_ELIGIBLE': 1,
    'tehsil:Lahore/Shalimar:ELIGIBLE': 1,
    'tehsil:Lahore/Shalimar:NOT_ELIGIBLE': 2,
    'district:Karachi:ELIGIBLE': 7,
    'district:Karachi:NOT_ELIGIBLE': 5,
    'tehsil:Karachi/Karachi Central:ELIGIBLE': 7,
    'tehsil:Karachi/Karachi Central:NOT_ELIGIBLE': 5,
    'district:Diamer:NOT_ELIGIBLE': 1,
    'tehsil:Diamer/Darel:NOT_ELIGIBLE': 1,
    'district:Multan:ELIGIBLE': 4,
    'district:Multan:NOT_ELIGIBLE': 4,
    'tehsil:Multan/Shujabad:ELIGIBLE': 4,
    'tehsil:Multan/Shujabad:NOT_ELIGIBLE': 4,
  };

  it('publishes counts by district and tehsil as of the hour, sparse areas folded, without any personal data', async () => {
    // Arrange
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    web.publishedCounters.set(campaign.campaignId, lahoreAndSparseDistricts);
    web.payments.budgets.set(campaign.campaignId, {
      reserved: 0,
      households: 0,
      paid: 84000,
      paidHouseholds: 7,
      duplicates: 0,
      duplicateAmount: 0,
    });

    // Act
    const response = await web.request(`/campaigns/${campaign.campaignId}`);
    const html = await response.text();

    // Assert: Lahore 23 eligible (20 enrolled, 3 waitlisted: the defined figure) of 35 decided; Karachi (12) folded with Diamer and Multan so "other districts"
    // (21, 11 eligible) hides no number under 5; Raiwind, Shalimar and the tehsil-less are "other tehsils".
    expect(response.headers.get('cache-control')).toBe('public, max-age=30');
    expect(html).toContain('<b id="total-registered">56</b>');
    expect(html).toContain('<b id="total-eligible">34</b>');
    expect(html).toContain('<b id="total-paid">7</b>');
    expect(html).toContain('<b id="amount-paid">84,000</b>');
    expect(html).toMatch(
      /<th scope="row">Lahore<\/th><td>Total<\/td><td class="n">35<\/td><td class="n">23<\/td>/,
    );
    expect(html).toMatch(/<td>Model Town<\/td><td class="n">14<\/td><td class="n">8<\/td>/);
    expect(html).toMatch(/<td>Other tehsils of Lahore<\/td><td class="n">21<\/td><td class="n">15<\/td>/);
    expect(html).toMatch(
      /<th scope="row">Other districts<\/th><td>Total<\/td><td class="n">21<\/td><td class="n">11<\/td>/,
    );
    expect(html).not.toMatch(/Raiwind|Shalimar|Karachi|Diamer|Darel|Multan|Shujabad/);
    expect(html).toContain(
      'Figures as of <span id="as-of" dir="ltr">1 Mar 2026, 15:00 PKT</span>, updated every hour.',
    );
    expect(html).not.toMatch(/\+92|35202/);
  });

  it('small cells on the public campaign page: the only household of Darel is not shown, in English or Urdu', async () => {
    // Arrange: the finding, "Darel 1 registered, 0 eligible" twenty seconds after one SMS.
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    web.publishedCounters.set(campaign.campaignId, {
      'district:Diamer:NOT_ELIGIBLE': 1,
      'tehsil:Diamer/Darel:NOT_ELIGIBLE': 1,
    });

    // Act
    const en = await (await web.request(`/campaigns/${campaign.campaignId}`)).text();
    const ur = await (await web.request(`/campaigns/${campaign.campaignId}?lang=ur`)).text();

    // Assert
    expect(en).toContain(
      '<b id="total-registered"><span data-suppressed="fewer-than-5">fewer than 5</span></b>',
    );
    expect(en).toContain(
      '<b id="total-eligible"><span data-suppressed="fewer-than-5">fewer than 5</span></b>',
    );
    expect(en).toContain('<b id="total-paid"><span data-suppressed="fewer-than-5">fewer than 5</span></b>');
    expect(en).toContain('<b id="amount-paid"><span data-suppressed="withheld">–</span></b>');
    expect(en).not.toMatch(/Darel|Diamer|<b[^>]*>[0-4]<\/b>/);
    expect(ur).toContain('<b id="total-registered"><span data-suppressed="fewer-than-5">5 سے کم</span></b>');
    expect(ur).not.toMatch(/Darel|Diamer/);
  });

  it('small cells on the public campaign page: figures are those of the hour, not a registration of twenty seconds ago', async () => {
    // Arrange: the live counters have one more Model Town registration than the hour's figures.
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    web.publishedCounters.set(campaign.campaignId, lahoreAndSparseDistricts);
    web.counters.set(campaign.campaignId, {
      ...lahoreAndSparseDistricts,
      'district:Lahore:NOT_ELIGIBLE': 13,
      'tehsil:Lahore/Model Town:NOT_ELIGIBLE': 7,
    });

    // Act
    const html = await (await web.request(`/campaigns/${campaign.campaignId}`)).text();

    // Assert
    expect(html).toContain('<b id="total-registered">56</b>');
    expect(html).toMatch(/<td>Model Town<\/td><td class="n">14<\/td>/);
  });

  it('does not publish a draft', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('draft');
    expect((await web.request(`/campaigns/${campaign.campaignId}`)).status).toBe(404);
  });
});

describe('page weight', () => {
  it('keeps the inline stylesheet under 10 KB', () => {
    expect(Buffer.byteLength(STYLES)).toBeLessThan(10 * 1024);
  });

  it('serves the progressive script from its own origin', async () => {
    const response = await webFakes().request('/assets/web.js');
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(await response.text()).toContain("getElementById('tehsil')");
  });
});
