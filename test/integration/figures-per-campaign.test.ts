import { batchPutAll, getRuntime, identityItem, issueStaffToken, loadSecrets } from '@madad/adapters';
import type { CampaignFigures } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: true });
  // The identity authority knows the newcomer; the registry does not (they will be pending verification).
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await batchPutAll(doc, config.tables.registry, [
    identityItem(cnicPepper, {
      cnic: '3740576543218',
      name: 'Rukhsana',
      gender: 'female',
      birthYear: 1990,
      status: 'ALIVE',
      simPhones: ['03337654321'],
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await t.stop();
});

const number = (html: string, id: string) =>
  Number((new RegExp(`<b id="${id}">([^<]*)</b>`).exec(html)?.[1] ?? 'NaN').replace(/,/g, ''));

describe('one set of figures on the embedded stack', () => {
  it('counts a registrant pending verification under the campaign, and the console shows what the API gives', async () => {
    // Arrange: a Lahore campaign without vertical expansion (no regular programme to top up).
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Lahore figures',
        nameUr: 'لاہور اعداد',
        shockType: 'flood',
        areas: [{ district: 'Lahore' }],
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: {
          pmtThreshold: 100,
          exclusionFilters: [],
          amounts: { topUp: 6000, newBeneficiary: 12000 },
          regularProgramme: 'NO-SUCH-PROGRAMME',
        },
        maxHouseholds: 1000,
        budgetCap: 12_000_000,
      }),
    });
    const { campaignId } = (await created.json()) as { campaignId: string };
    const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
      method: 'POST',
    });
    expect(activated.status).toBe(200);

    // Act: a registry household by SMS, and the newcomer on the web naming a Lahore tehsil.
    await t.sms({ from: '+923001234567', text: '35202-1234567-2', messageId: 'figures-1' });
    const web = await fetch(`${t.stack.httpUrl}/api/v1/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cnic: '37405-7654321-8',
        phone: '0333 7654321',
        district: 'Lahore',
        tehsil: 'Lahore City',
        lang: 'en',
      }),
    });
    expect(web.status).toBe(202);
    const figures = await waitFor(
      async () => {
        const stats = (await (
          await t.staff(`/api/v1/campaigns/${campaignId}/stats`, ['auditor'])
        ).json()) as {
          figures: CampaignFigures;
        };
        return stats.figures.decided === 2 ? stats.figures : undefined;
      },
      30_000,
      'both registrations decided under the campaign',
    );
    const token = await issueStaffToken(t.stack.env.MADAD_JWT_SECRET ?? '', {
      user: 'audrey',
      roles: ['auditor'],
    });
    const live = await (
      await fetch(`${t.stack.httpUrl}/console/campaigns/${campaignId}/live`, {
        headers: { cookie: `madad_staff=${token}` },
      })
    ).text();

    // Assert
    expect(figures).toMatchObject({
      received: 2,
      decided: 2,
      eligible: 1,
      enrolled: 1,
      pendingVerification: 1,
    });
    expect({
      received: number(live, 'tile-received'),
      decided: number(live, 'tile-decided'),
      eligible: number(live, 'tile-eligible'),
      pendingVerification: number(live, 'tile-pending'),
      enrolled: number(live, 'tile-enrolled'),
    }).toEqual({
      received: figures.received,
      decided: figures.decided,
      eligible: figures.eligible,
      pendingVerification: figures.pendingVerification,
      enrolled: figures.enrolled,
    });
  }, 90_000);
});
