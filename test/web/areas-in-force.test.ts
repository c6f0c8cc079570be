import { builtInAreaRecords, Gazetteer, readHouseholdProfile } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { VerificationSection } from '../../packages/api/src/web/console/household-verification-form.js';
import { FLOOD, webFakes } from './web-fakes.js';

/** The gazetteer after an areas import that renamed Jacobabad's tehsil Thul to Thull, with an Urdu name. */
const IMPORTED = Gazetteer.fromRecords([
  ...builtInAreaRecords().filter((r) => r.district !== 'Jacobabad'),
  ...['Jacobabad', 'Garhi Khairo'].map((tehsil) => ({
    province: 'Sindh',
    district: 'Jacobabad',
    tehsil,
    districtUr: 'جیکب آباد',
    cnicCode: 4,
  })),
  { province: 'Sindh', district: 'Jacobabad', tehsil: 'Thull', tehsilUr: 'ٹھل نیا', cnicCode: 4 },
]);

const REGISTRATION = { cnic: '42101-1234567-3', phone: '0300 1234567', district: 'Jacobabad' };

/** The options of the form's `<select id="tehsil">`, as `value|label` pairs. */
function tehsilChoices(html: string): string[] {
  const select = html.match(/<select id="tehsil"[\s\S]*?<\/select>/)?.[0] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map(
    (m) => `${m[1]}|${m[2]}`,
  );
}

describe('the public registration form offers the areas in force (the stored gazetteer)', () => {
  it('lists a renamed tehsil under its new name, and in Urdu script on the Urdu page', async () => {
    const web = webFakes({ gazetteer: IMPORTED });

    const english = tehsilChoices(await (await web.request('/')).text());
    const urdu = tehsilChoices(await (await web.request('/?lang=ur')).text());

    expect(english).toContain('Thull|Thull');
    expect(english).not.toContain('Thul|Thul');
    expect(urdu).toContain('Thull|ٹھل نیا');
    expect(urdu).toContain('Model Town|ماڈل ٹاؤن');
  });

  it('accepts the renamed tehsil on the form and on the JSON route, and refuses the old name', async () => {
    const web = webFakes({ gazetteer: IMPORTED });

    const form = await web.form('/register', { lang: 'en', ...REGISTRATION, tehsil: 'thull' });
    const json = await web.request('/api/v1/registrations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...REGISTRATION, phone: '0300 7654321', tehsil: 'Thull' }),
    });
    const old = await web.form('/register', { lang: 'en', ...REGISTRATION, tehsil: 'Thul' });

    expect(form.status).toBe(303);
    expect(json.status).toBe(202);
    expect(web.queued.map((m) => 'tehsil' in m && m.tehsil)).toEqual(['Thull', 'Thull']);
    expect(old.status).toBe(400);
    expect(await old.text()).toContain('id="tehsil-error"');
  });
});

describe("a campaign's public page names areas as the gazetteer in force does", () => {
  it('shows the renamed tehsil under its new Urdu name on the Urdu page', async () => {
    const web = webFakes({ gazetteer: IMPORTED });
    const campaign = await web.addCampaign('active', { ...FLOOD, areas: [{ district: 'Jacobabad' }] });
    web.publishedCounters.set(campaign.campaignId, {
      'status:ELIGIBLE': 12,
      'status:NOT_ELIGIBLE': 8,
      'district:Jacobabad:ELIGIBLE': 12,
      'district:Jacobabad:NOT_ELIGIBLE': 8,
      'tehsil:Jacobabad/Thull:ELIGIBLE': 12,
      'tehsil:Jacobabad/Thull:NOT_ELIGIBLE': 8,
    });

    const urdu = await (await web.request(`/campaigns/${campaign.campaignId}?lang=ur`)).text();

    expect(urdu).toContain('<th scope="row">جیکب آباد</th>');
    expect(urdu).toContain('<td>ٹھل نیا</td>');
  });
});

describe('the verification form (console) offers the areas in force', () => {
  it("lists the renamed tehsil and selects the household's own", async () => {
    // Arrange: a provisional household registered in Thull
    const none = async () => [];
    const profile = await readHouseholdProfile(
      {
        household: async () => ({
          item: { householdId: 'P-1', status: 'provisional', district: 'Jacobabad', tehsil: 'Thull' },
        }),
        people: async () => new Map(),
        changeRequests: none,
        enrollments: none,
        campaigns: none,
        appeals: none,
        messages: none,
        registration: async () => undefined,
        auditAbout: none,
      },
      'P-1',
      { rawCnics: false },
    );
    if (!profile) throw new Error('the profile was not read');

    // Act
    const html = String(VerificationSection({ p: profile, mayVerify: true, areas: IMPORTED }));

    // Assert
    expect(html).toContain('<option value="Sindh|Jacobabad|Thull" selected="">Thull, Jacobabad</option>');
    expect(html).not.toContain('Sindh|Jacobabad|Thul"');
  });
});
