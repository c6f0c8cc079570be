import type { HouseholdRecord, PaymentBatch, PaymentLine } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

/** Lahore households: scores 10, 20, 30, 40; the even ones in KAFAALAT; one excluded. */
function seedRegistry(web: WebFakes) {
  const household = (n: number, extra: Partial<HouseholdRecord> = {}): HouseholdRecord => ({
    householdId: `HH-L${n}`,
    province: 'Punjab',
    district: 'Lahore',
    tehsil: n % 2 ? 'Lahore City' : 'Model Town',
    pmtScore: n * 10,
    programmes: n % 2 ? [] : ['KAFAALAT'],
    members: [{ cnicHash: `m${n}`, relation: 'head', gender: 'female', exclusions: [] }],
    status: 'active',
    ...extra,
  });
  web.registryHouseholds.push(household(1), household(2), household(3), household(4), household(5));
}

const text = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();

describe('impact preview in the console', () => {
  it('shows on the activation confirm page what activating tops up, per district and tehsil', async () => {
    const web = webFakes();
    seedRegistry(web);
    const campaign = await web.addCampaign('draft');
    const cookie = await web.cookieFor('cell-1', ['emergency-cell']);

    const html = await (
      await web.request(`/console/campaigns/${campaign.campaignId}/activate`, { headers: { cookie } })
    ).text();

    // Threshold 32: households 1, 2, 3; KAFAALAT: 2 (top-up); 1 and 3 newly eligible.
    expect(text(html, 'preview-top-ups')).toBe('1');
    expect(text(html, 'preview-newly-eligible')).toBe('2');
    expect(text(html, 'preview-waitlisted')).toBe('0');
    expect(html).toContain('data-area="Lahore/Model Town"');
    expect(html).toContain('data-area="Lahore/Lahore City"');
    expect(html).toContain('id="confirm-activate"');
  });

  it('previews a rules change, then changes the rules to a new version', async () => {
    const web = webFakes();
    seedRegistry(web);
    const campaign = await web.addCampaign('active');
    const cookie = await web.cookieFor('cell-1', ['emergency-cell']);

    const html = await (
      await web.request(
        `/console/campaigns/${campaign.campaignId}/rules?pmtThreshold=45&topUp=10000&newBeneficiary=12000`,
        { headers: { cookie } },
      )
    ).text();
    const applied = await web.form(
      `/console/campaigns/${campaign.campaignId}/rules`,
      { pmtThreshold: '45', topUp: '10000', newBeneficiary: '12000' },
      undefined,
      cookie,
    );

    expect(text(html, 'preview-top-ups')).toBe('2');
    expect(text(html, 'preview-newly-eligible')).toBe('2');
    expect(html).toContain('id="rules-apply"');
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe(
      `/console/campaigns/${campaign.campaignId}/replay?done=rules`,
    );
    expect((await web.deps.campaigns.get(campaign.campaignId))?.rules.pmtThreshold).toBe(45);
    expect((await web.deps.campaigns.get(campaign.campaignId))?.ruleSetVersion).toMatch(/\/v2$/);
  });

  it('refuses the rules pages to anyone but the emergency cell', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const response = await web.request(`/console/campaigns/${campaign.campaignId}/rules`, {
      headers: { cookie },
    });

    expect(response.status).toBe(403);
  });
});

/** A pending batch of three Lahore lines and one Kasur new beneficiary. */
async function pendingBatch(web: WebFakes, status: PaymentBatch['status'] = 'pending') {
  const campaign = await web.addCampaign('active');
  const batch: PaymentBatch = {
    batchId: 'B-0000000C',
    campaignId: campaign.campaignId,
    status,
    lineCount: 4,
    total: 42_000,
    maker: 'pat',
    createdAt: NOW.toISOString(),
  };
  const line = (n: number, extra: Partial<PaymentLine> = {}): PaymentLine => ({
    batchId: batch.batchId,
    paymentReference: `P-000000000000000${n}`,
    campaignId: campaign.campaignId,
    householdId: `HH-${n}`,
    attempt: 1,
    category: 'TOP_UP',
    amount: 10_000,
    district: 'Lahore',
    payeeCnic: `35202-000000${n}-2`,
    payeeCnicMasked: '35202-*****-2',
    payeeName: `Payee ${n}`,
    payeeCnicHash: `h${n}`,
    ...extra,
  });
  const lines = [
    line(1),
    line(2, { payeeChangedSince: 'P-OLD0000000000000' }),
    line(3),
    line(4, { district: 'Kasur', category: 'NEW_BENEFICIARY', amount: 12_000 }),
  ];
  web.payments.batches.set(batch.batchId, batch);
  web.payments.lines.set(batch.batchId, new Map(lines.map((l) => [l.paymentReference, l])));
  return { batch, lines };
}

describe('payment batch page for the checker', () => {
  it('breaks the batch down by district and category, the rows adding up to its total', async () => {
    const web = webFakes();
    const { batch } = await pendingBatch(web);
    const cookie = await web.cookieFor('sam', ['approver']);

    const html = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();

    expect(html).toMatch(
      /data-row="Kasur\/NEW_BENEFICIARY">.*?<td class="n">1<\/td><td class="n">12,000<\/td>/s,
    );
    expect(html).toMatch(/data-row="Lahore\/TOP_UP">.*?<td class="n">3<\/td><td class="n">30,000<\/td>/s);
    expect(text(html, 'breakdown-total')).toBe('42,000');
  });

  it('lists the flagged lines above the approve button: a changed payee and an open appeal, not the others', async () => {
    const web = webFakes();
    const { batch } = await pendingBatch(web);
    web.appeals.set('A-1', {
      appealId: 'A-1',
      messageId: 'm',
      cnicHash: 'h3',
      phone: '+923001234567',
      lang: 'en',
      note: 'wrong amount',
      status: 'OPEN',
      openedAt: NOW.toISOString(),
    });
    web.payments.households.set('HH-3', [
      { cnicHash: 'h3', cnic: 'x', cnicMasked: 'x', name: 'Payee 3', relation: 'head', gender: 'female' },
    ]);
    const cookie = await web.cookieFor('sam', ['approver']);

    const html = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();

    const decide = html.slice(html.indexOf('id="decide"'), html.indexOf('id="approve"'));
    expect(decide).toContain('id="flagged-lines"');
    expect(decide).toContain(
      'P-0000000000000002 (HH-2, Lahore, PKR 10,000): payee changed since the last payment',
    );
    expect(decide).toContain('P-0000000000000003 (HH-3, Lahore, PKR 10,000): household has an open appeal');
    expect(decide).not.toContain('P-0000000000000001');
    expect(decide).not.toContain('P-0000000000000004');
  });

  it('shows the bank reason on failed lines and the partly paid status', async () => {
    const web = webFakes();
    const { batch, lines } = await pendingBatch(web, 'partly-paid');
    const failed = {
      ...(lines[0] as PaymentLine),
      outcome: 'FAILED' as const,
      outcomeReason: 'ACCOUNT_CLOSED',
    };
    web.payments.lines.get(batch.batchId)?.set(failed.paymentReference, failed);
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const html = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();

    expect(text(html, 'batch-status')).toBe('partly-paid');
    expect(html).toContain('FAILED: ACCOUNT_CLOSED');
    expect(html).toContain('id="upload-results"');
  });

  it('gives the API checker the same breakdown and flags', async () => {
    const web = webFakes();
    const { batch } = await pendingBatch(web);
    const token = (await web.cookieFor('sam', ['approver'])).replace('madad_staff=', '');

    const response = await web.request(`/api/v1/payment-batches/${batch.batchId}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      breakdown: { amount: number }[];
      lines: { paymentReference: string; flags: string[] }[];
    };
    expect(body.breakdown.reduce((n, r) => n + r.amount, 0)).toBe(batch.total);
    expect(Object.fromEntries(body.lines.map((l) => [l.paymentReference, l.flags]))).toEqual({
      'P-0000000000000001': [],
      'P-0000000000000002': ['PAYEE_CHANGED'],
      'P-0000000000000003': [],
      'P-0000000000000004': [],
    });
  });
});
