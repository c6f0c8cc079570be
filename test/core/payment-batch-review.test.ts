import {
  type Appeal,
  type AppealStatus,
  batchBreakdown,
  confirmPaymentFailures,
  createPaymentBatch,
  type PaymentLine,
  reviewBatch,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import {
  approvedBatch,
  importResults,
  linesOf,
  MAKER,
  OFFICER_TWO,
  world,
} from '../support/payment-world.js';

function appealsOf(appeals: Appeal[]) {
  return { list: async (status: AppealStatus) => appeals.filter((a) => a.status === status) };
}

function appeal(overrides: Partial<Appeal>): Appeal {
  return {
    appealId: 'A-1',
    messageId: 'm-1',
    cnicHash: 'someone-else',
    phone: '+923001234567',
    lang: 'en',
    note: 'please check',
    status: 'OPEN',
    openedAt: '2026-03-01T09:00:00Z',
    ...overrides,
  };
}

async function madeBatch(n: number) {
  const w = world(n);
  const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
  return { w, batch, lines: linesOf(w, batch.batchId) };
}

describe('batchBreakdown', () => {
  it('splits a batch by district and category, the rows summing to the batch total', async () => {
    const { w, batch, lines } = await madeBatch(5);
    const newcomer = lines[0] as PaymentLine;
    const mixed = lines.map((l) =>
      l === newcomer ? { ...l, category: 'NEW_BENEFICIARY' as const, amount: 25_000 } : l,
    );

    const rows = batchBreakdown(mixed);

    expect(rows).toEqual([
      { district: 'Dadu', category: 'NEW_BENEFICIARY', lines: 1, amount: 25_000 },
      { district: 'Dadu', category: 'TOP_UP', lines: 2, amount: 27_000 },
      { district: 'Sanghar', category: 'TOP_UP', lines: 2, amount: 27_000 },
    ]);
    expect(rows.reduce((n, r) => n + r.amount, 0)).toBe(mixed.reduce((n, l) => n + l.amount, 0));
    expect(batchBreakdown(lines).reduce((n, r) => n + r.amount, 0)).toBe(batch.total);
    expect(w.batches.size).toBe(1);
  });
});

describe('reviewBatch flags', () => {
  it('raises no flag on a first payment to the same payee with no appeal', async () => {
    const { w, lines } = await madeBatch(3);

    const review = await reviewBatch({ appeals: appealsOf([]), payees: w.deps.payees }, lines);

    expect(review.flags.size).toBe(0);
  });

  it('flags a payee changed since the household was last paid, and only that household', async () => {
    const w = world(2);
    w.history.set('HH-0001', {
      payeeCnicHash: 'man-1',
      paymentReference: 'P-OLD',
      paidAt: '2026-01-01T00:00:00Z',
    });
    w.history.set('HH-0002', {
      payeeCnicHash: 'woman-2',
      paymentReference: 'P-OLD2',
      paidAt: '2026-01-01T00:00:00Z',
    });
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    const lines = linesOf(w, batch.batchId);

    const review = await reviewBatch({ appeals: appealsOf([]), payees: w.deps.payees }, lines);

    const byHousehold = new Map(lines.map((l) => [l.householdId, review.flags.get(l.paymentReference)]));
    expect(byHousehold.get('HH-0001')).toEqual(['PAYEE_CHANGED']);
    expect(byHousehold.get('HH-0002')).toBeUndefined();
  });

  it('flags a line that retries a failed payment, not the paid one', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [paidLine, failedLine] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [
      { paymentReference: paidLine.paymentReference, status: 'PAID' },
      { paymentReference: failedLine.paymentReference, status: 'FAILED', reason: 'NO_WALLET' },
    ]);
    await confirmPaymentFailures(w.deps, batchId, undefined, OFFICER_TWO);
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);

    const review = await reviewBatch(
      { appeals: appealsOf([]), payees: w.deps.payees },
      linesOf(w, batch.batchId),
    );

    const [retry] = linesOf(w, batch.batchId);
    expect(retry?.householdId).toBe(failedLine.householdId);
    expect(review.flags.get(retry?.paymentReference ?? '')).toEqual(['RETRY']);
    expect(review.flags.size).toBe(1);
  });

  it('flags a household with an unresolved appeal (open, proposed, being resolved), by the decision or a member CNIC, not a resolved one', async () => {
    const { w, lines } = await madeBatch(4);
    const decision = {
      status: 'NOT_ELIGIBLE' as const,
      reasons: [],
      ruleSetVersion: 'v',
      inputs: {},
      decidedAt: '',
    };
    const appeals = [
      appeal({
        appealId: 'A-1',
        decision: { messageId: 'x', reference: 'R', decision: { ...decision, householdId: 'HH-0001' } },
      }),
      appeal({ appealId: 'A-2', status: 'RESOLVING', cnicHash: 'man-2' }),
      appeal({ appealId: 'A-3', status: 'UPHELD', cnicHash: 'woman-3' }),
      appeal({ appealId: 'A-4', cnicHash: 'not-in-batch' }),
      appeal({ appealId: 'A-5', status: 'OVERTURNED', cnicHash: 'man-3' }),
      appeal({ appealId: 'A-6', status: 'PROPOSED', cnicHash: 'woman-4' }),
    ];

    const review = await reviewBatch({ appeals: appealsOf(appeals), payees: w.deps.payees }, lines);

    const flagged = lines.filter((l) => review.flags.get(l.paymentReference)?.includes('OPEN_APPEAL'));
    expect(flagged.map((l) => l.householdId)).toEqual(['HH-0001', 'HH-0002', 'HH-0004']);
  });
});
