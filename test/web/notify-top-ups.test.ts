import { describe, expect, it } from 'vitest';
import { webFakes } from './web-fakes.js';

const CAMPAIGN_FORM = {
  name: 'Dadu floods',
  nameUr: 'دادو سیلاب',
  shockType: 'flood',
  areas: 'Dadu',
  opensAt: '2026-03-01T09:00',
  closesAt: '2026-04-01T09:00',
  pmtThreshold: '30',
  topUp: '10000',
  newBeneficiary: '12000',
  budgetCap: '5000000',
  maxHouseholds: '500',
};

const API_CAMPAIGN = {
  name: 'Dadu floods',
  nameUr: 'دادو سیلاب',
  shockType: 'flood',
  areas: [{ district: 'Dadu' }],
  opensAt: '2026-03-01T04:00:00Z',
  closesAt: '2026-04-01T04:00:00Z',
  rules: { pmtThreshold: 30, exclusionFilters: [], amounts: { topUp: 10000, newBeneficiary: 12000 } },
  budgetCap: 5_000_000,
  maxHouseholds: 500,
};

describe('top-ups told by SMS at activation, unless the campaign opts out', () => {
  it('offers the console form with the notice ticked', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);

    const html = await (await web.request('/console/campaigns', { headers: { cookie } })).text();

    expect(html).toMatch(/<input type="checkbox" name="notifyTopUps" checked/);
  });

  it('keeps the notice when the box stays ticked, and opts out when the cell unticks it', async () => {
    const web = webFakes();
    const cookie = await web.cookieFor('amina', ['emergency-cell']);

    const ticked = await web.form(
      '/console/campaigns',
      { ...CAMPAIGN_FORM, notifyTopUps: 'on' },
      undefined,
      cookie,
    );
    const unticked = await web.form('/console/campaigns', CAMPAIGN_FORM, undefined, cookie);

    const stored = async (response: Response) =>
      web.deps.campaigns.get(response.headers.get('location')?.match(/C-[A-Z0-9]+/)?.[0] ?? '');
    expect((await stored(ticked))?.notifyTopUps).toBe(true);
    expect((await stored(unticked))?.notifyTopUps).toBe(false);
  });

  it('tells top-ups when the API request does not say, and not when it says false', async () => {
    const web = webFakes();
    const headers = {
      authorization: `Bearer ${(await web.cookieFor('amina', ['emergency-cell'])).split('=')[1] ?? ''}`,
      'content-type': 'application/json',
    };

    const silent = await web.request('/api/v1/campaigns', {
      method: 'POST',
      headers,
      body: JSON.stringify(API_CAMPAIGN),
    });
    const optedOut = await web.request('/api/v1/campaigns', {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...API_CAMPAIGN, notifyTopUps: false }),
    });

    expect(silent.status).toBe(201);
    expect(((await silent.json()) as { notifyTopUps: boolean }).notifyTopUps).toBe(true);
    expect(((await optedOut.json()) as { notifyTopUps: boolean }).notifyTopUps).toBe(false);
  });
});
