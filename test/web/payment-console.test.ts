import type { PaymentBatch, PaymentLine } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

const MAKER = 'pat';
const OTHER = 'omar';

/** An approved batch of two lines: a retry, and a payee changed since the household's last payment. */
async function approvedBatch(web: WebFakes) {
  const campaign = await web.addCampaign('active');
  const batch: PaymentBatch = {
    batchId: 'B-0000000B',
    campaignId: campaign.campaignId,
    status: 'approved',
    lineCount: 2,
    total: 20_000,
    maker: MAKER,
    approvedBy: 'sam',
    approvedAt: NOW.toISOString(),
    createdAt: NOW.toISOString(),
    held: [{ householdId: 'HH-DEAD', reason: 'NO_VALID_PAYEE', refused: { DECEASED: 2 } }],
    heldCount: 1,
  };
  const line = (n: number, extra: Partial<PaymentLine>): PaymentLine => ({
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
  web.payments.batches.set(batch.batchId, batch);
  web.payments.lines.set(
    batch.batchId,
    new Map([
      ['P-0000000000000001', line(1, { attempt: 2 })],
      ['P-0000000000000002', line(2, { payeeChangedSince: 'P-OLD0000000000000' })],
    ]),
  );
  for (const n of [1, 2]) {
    web.payments.enrollments.set(`${campaign.campaignId}|HH-${n}`, {
      campaignId: campaign.campaignId,
      householdId: `HH-${n}`,
      messageId: `m${n}`,
      reference: `R${n}`,
      cnicHash: `h${n}`,
      category: 'TOP_UP',
      amount: 10_000,
      district: 'Lahore',
      tehsil: 'Lahore City',
      ruleSetVersion: 'v1',
      channel: 'sms',
      enrolledAt: NOW.toISOString(),
      batchId: batch.batchId,
      paymentState: 'sent',
      paymentAttempt: n === 1 ? 2 : 1,
    });
  }
  return batch;
}

describe('console payment pages (issue 13 findings 3 and 4)', () => {
  it('shows the checker held households, retries and changed payees, and the pain.001 download', async () => {
    const web = webFakes();
    const batch = await approvedBatch(web);
    const cookie = await web.cookieFor('sam', ['approver']);

    const html = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie } })
    ).text();

    expect(html).toContain('id="held"');
    expect(html).toContain('HH-DEAD: NO_VALID_PAYEE DECEASED 2');
    expect(html).toContain('1 lines retry a failed payment; 1 payees changed');
    expect(html).toContain('retry 2');
    expect(html).toContain('payee changed');
    expect(html).toContain(`href="/console/payment-batches/${batch.batchId}/instructions.xml"`);
  });

  it('stages uploaded results, offers confirmation only to someone else, who applies them', async () => {
    const web = webFakes();
    const batch = await approvedBatch(web);
    const maker = await web.cookieFor(MAKER, ['program-officer']);
    const other = await web.cookieFor(OTHER, ['program-officer']);
    const csv =
      'paymentReference,status,reason\nP-0000000000000001,PAID,\nP-0000000000000002,FAILED,NO_WALLET\n';

    const staged = await (
      await web.form(`/console/payment-batches/${batch.batchId}/results`, { csv }, undefined, maker)
    ).text();
    const importId = /import (R-[0-9A-F]{16})/.exec(staged)?.[1] ?? '';
    const outcomeWhenStaged = web.payments.lines.get(batch.batchId)?.get('P-0000000000000001')?.outcome;
    const makersView = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie: maker } })
    ).text();
    const selfConfirm = await web.form(
      `/console/payment-batches/${batch.batchId}/results/${importId}/confirm`,
      {},
      undefined,
      maker,
    );
    const othersView = await (
      await web.request(`/console/payment-batches/${batch.batchId}`, { headers: { cookie: other } })
    ).text();
    const applied = await (
      await web.form(
        `/console/payment-batches/${batch.batchId}/results/${importId}/confirm`,
        {},
        undefined,
        other,
      )
    ).text();

    expect(staged).toContain('another staff member');
    expect(outcomeWhenStaged).toBeUndefined();
    expect(makersView).not.toContain(`/results/${importId}/confirm`);
    expect(selfConfirm.status).toBe(403);
    expect(othersView).toContain(`/results/${importId}/confirm`);
    expect(applied).toContain(`Results of import ${importId} applied`);
    expect(web.payments.lines.get(batch.batchId)?.get('P-0000000000000001')?.outcome).toBe('PAID');
  });

  it('flags duplicate payments on the campaign dashboard and the batch list', async () => {
    const web = webFakes();
    const campaign = await web.addCampaign('active');
    web.payments.budgets.set(campaign.campaignId, {
      reserved: 30_000,
      households: 2,
      paid: 30_000,
      paidHouseholds: 2,
      duplicates: 1,
      duplicateAmount: 10_000,
    });
    const cookie = await web.cookieFor('sam', ['approver']);

    const dashboard = await (
      await web.request(`/console/campaigns/${campaign.campaignId}`, { headers: { cookie } })
    ).text();
    const list = await (
      await web.request(`/console/campaigns/${campaign.campaignId}/payments`, { headers: { cookie } })
    ).text();

    for (const page of [dashboard, list]) {
      expect(page).toContain('id="duplicate-payments"');
      expect(page).toContain('1 duplicate payments (PKR 10,000)');
    }
  });
});
