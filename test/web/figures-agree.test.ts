import {
  type Campaign,
  type CampaignFigures,
  campaignCountedUnder,
  type Decision,
  EMPTY_BUDGET,
  GLOBAL_STATS,
  StatsBatch,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, webFakes } from './web-fakes.js';

type Registration = {
  readonly count: number;
  readonly channel: 'sms' | 'web' | 'vertical';
  readonly status: Decision['status'];
  readonly campaign: boolean;
  readonly tehsil?: string;
};

/** The known set: every outcome a campaign's figures distinguish, plus decisions outside any campaign. */
const KNOWN: readonly Registration[] = [
  { count: 12, channel: 'sms', status: 'ELIGIBLE', campaign: true, tehsil: 'Lahore City' },
  { count: 3, channel: 'web', status: 'ELIGIBLE', campaign: true, tehsil: 'Lahore City' },
  { count: 7, channel: 'sms', status: 'NOT_ELIGIBLE', campaign: true, tehsil: 'Lahore City' },
  { count: 2, channel: 'sms', status: 'DUPLICATE', campaign: true, tehsil: 'Lahore City' },
  { count: 5, channel: 'sms', status: 'WAITLISTED', campaign: true, tehsil: 'Model Town' },
  { count: 9, channel: 'vertical', status: 'ELIGIBLE', campaign: true, tehsil: 'Model Town' },
  // Not in the registry: no campaign on the decision, counted under the only campaign open.
  { count: 6, channel: 'sms', status: 'PENDING_VERIFICATION', campaign: false },
  // Flags: outside any campaign, never in a campaign's figures.
  { count: 4, channel: 'sms', status: 'RATE_LIMITED', campaign: false },
];

/** Counts the known registrations as the reconciler and vertical expansion do (StatsBatch). */
function countKnown(campaign: Campaign): Map<string, Record<string, number>> {
  const batch = new StatsBatch();
  for (const r of KNOWN) {
    for (let i = 0; i < r.count; i++) {
      const decision: Decision = {
        status: r.status,
        reasons: r.status === 'PENDING_VERIFICATION' ? ['NOT_IN_REGISTRY'] : [],
        ruleSetVersion: campaign.ruleSetVersion,
        decidedAt: NOW.toISOString(),
        ...(r.campaign ? { campaignId: campaign.campaignId } : {}),
        ...(r.status === 'ELIGIBLE' ? { category: 'NEW_BENEFICIARY' as const, amount: 12000 } : {}),
        inputs: r.tehsil ? { district: 'Lahore', tehsil: r.tehsil } : {},
      };
      batch.count(decision, r.channel, campaignCountedUnder(decision, {}, [campaign], NOW));
    }
  }
  return batch.drain();
}

const number = (html: string, id: string) => {
  const match = new RegExp(`<b id="${id}">([^<]*)</b>`).exec(html);
  return match ? Number((match[1] ?? '').replace(/,/g, '')) : Number.NaN;
};

describe('one set of figures', () => {
  it('gives the same received, decided, eligible, waitlisted, pending, enrolled and paid on the API, the dashboard and the public page', async () => {
    // Arrange: the known registrations counted, six households paid.
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    for (const [id, counters] of countKnown(campaign)) web.counters.set(id, counters);
    web.payments.budgets.set(campaign.campaignId, { ...EMPTY_BUDGET, paid: 72000, paidHouseholds: 6 });
    const cookie = await web.cookieFor('pat', ['program-officer']);
    const expected: CampaignFigures = {
      received: 35,
      decided: 42,
      decidedByExpansion: 9,
      eligible: 29,
      waitlisted: 5,
      pendingVerification: 6,
      enrolled: 24,
      paidOnce: 6,
    };

    // Act: the three surfaces.
    const api = (await (
      await web.request(`/api/v1/campaigns/${campaign.campaignId}/stats`, {
        headers: { authorization: `Bearer ${cookie.slice('madad_staff='.length)}` },
      })
    ).json()) as { figures: CampaignFigures };
    const dashboard = await (
      await web.request(`/console/campaigns/${campaign.campaignId}/live`, { headers: { cookie } })
    ).text();
    const publicPage = await (await web.request(`/campaigns/${campaign.campaignId}`)).text();

    // Assert: the API's figures are the known ones, and the dashboard and public page show the same.
    expect(api.figures).toEqual(expected);
    expect({
      received: number(dashboard, 'tile-received'),
      decided: number(dashboard, 'tile-decided'),
      decidedByExpansion: number(dashboard, 'tile-vertical'),
      eligible: number(dashboard, 'tile-eligible'),
      waitlisted: number(dashboard, 'tile-waitlisted'),
      pendingVerification: number(dashboard, 'tile-pending'),
      enrolled: number(dashboard, 'tile-enrolled'),
      paidOnce: number(dashboard, 'tile-paid'),
    }).toEqual(expected);
    expect({
      decided: number(publicPage, 'total-registered'),
      eligible: number(publicPage, 'total-eligible'),
      paidOnce: number(publicPage, 'total-paid'),
    }).toEqual({ decided: expected.decided, eligible: expected.eligible, paidOnce: expected.paidOnce });
    expect(publicPage).toContain('<span>Decided</span>');
  });

  it('shows decisions outside any campaign once, on the campaign list, and in no campaign', async () => {
    // Arrange: two campaigns; the flags of the known set are outside both.
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    const other = await web.addCampaign('draft');
    for (const [id, counters] of countKnown(campaign)) web.counters.set(id, counters);
    const cookie = await web.cookieFor('pat', ['program-officer']);

    // Act
    const list = await (await web.request('/console/campaigns', { headers: { cookie } })).text();
    const dashboards = await Promise.all(
      [campaign, other].map(async (c) =>
        (await web.request(`/console/campaigns/${c.campaignId}/live`, { headers: { cookie } })).text(),
      ),
    );

    // Assert
    expect(web.counters.get(GLOBAL_STATS)?.decided).toBe(4);
    expect(list).toContain('<strong id="outside-decided">4</strong>');
    for (const html of dashboards) expect(html).not.toContain('Outside any campaign');
    expect(number(dashboards[1] ?? '', 'tile-pending')).toBe(0);
  });
});

describe('campaignCountedUnder', () => {
  const open = (id: string, district: string): Campaign =>
    ({
      campaignId: id,
      status: 'active',
      areas: [{ district }],
      opensAt: '2026-02-01T00:00:00Z',
      closesAt: '2026-04-01T00:00:00Z',
    }) as Campaign;
  const pending = { status: 'PENDING_VERIFICATION' as const };

  it('counts a decision under its own campaign, and a flag outside any', () => {
    expect(campaignCountedUnder({ status: 'ELIGIBLE', campaignId: 'C-A' }, {}, [], NOW)).toBe('C-A');
    expect(
      campaignCountedUnder({ status: 'RATE_LIMITED' }, {}, [open('C-A', 'Lahore')], NOW),
    ).toBeUndefined();
  });

  it('counts a web registrant pending verification under the open campaign covering the area given', () => {
    const campaigns = [open('C-A', 'Lahore'), open('C-B', 'Dadu')];

    expect(campaignCountedUnder(pending, { district: 'Dadu', tehsil: 'Johi' }, campaigns, NOW)).toBe('C-B');
    expect(
      campaignCountedUnder(pending, { district: 'Quetta', tehsil: 'X' }, campaigns, NOW),
    ).toBeUndefined();
  });

  it('counts an SMS registrant pending verification under the only campaign open, and outside when several are', () => {
    expect(campaignCountedUnder(pending, {}, [open('C-A', 'Lahore')], NOW)).toBe('C-A');
    expect(
      campaignCountedUnder(pending, {}, [open('C-A', 'Lahore'), open('C-B', 'Dadu')], NOW),
    ).toBeUndefined();
  });
});
