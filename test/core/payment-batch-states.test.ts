import {
  confirmPaymentFailures,
  confirmPaymentResults,
  crashOnceAt,
  InjectedCrashError,
  type PaymentLine,
  readBatchAndImports,
  setCrashHook,
  stagePaymentResults,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { approvedBatch, importResults, MAKER, OFFICER_TWO } from '../support/payment-world.js';

const paid = (l: PaymentLine) => ({ paymentReference: l.paymentReference, status: 'PAID' as const });
const failed = (l: PaymentLine, reason = 'ACCOUNT_CLOSED') => ({
  paymentReference: l.paymentReference,
  status: 'FAILED' as const,
  reason,
});

describe('payment batch states after results are reconciled', () => {
  afterEach(() => setCrashHook(undefined));

  it('settles a batch once every line is reported paid', async () => {
    const { w, batchId, lines } = await approvedBatch(3);

    await importResults(w, batchId, lines.map(paid));

    expect(w.batches.get(batchId)).toMatchObject({
      status: 'settled',
      settledAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('marks a batch partly paid when every line has a result and some failed', async () => {
    const { w, batchId, lines } = await approvedBatch(3);
    const [a, b, c] = lines as [PaymentLine, PaymentLine, PaymentLine];

    await importResults(w, batchId, [paid(a), failed(b), paid(c)]);

    expect(w.batches.get(batchId)?.status).toBe('partly-paid');
    expect(w.audit.find((e) => e.action === 'payment-batch.results-confirm')?.after).toMatchObject({
      batchStatus: 'partly-paid',
    });
  });

  it('stays approved while some lines wait for a result', async () => {
    const { w, batchId, lines } = await approvedBatch(3);
    const [a, b] = lines as [PaymentLine, PaymentLine];

    await importResults(w, batchId, [paid(a), failed(b)]);

    expect(w.batches.get(batchId)?.status).toBe('approved');
  });

  it('moves from approved to settled over two partial files', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [a, b] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [paid(a)]);

    await importResults(w, batchId, [paid(b)]);

    expect(w.batches.get(batchId)?.status).toBe('settled');
  });

  it('settles a partly paid batch when a later file reports the failed line paid', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [a, b] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [paid(a), failed(b)]);

    await importResults(w, batchId, [paid(b)]);

    expect(w.batches.get(batchId)?.status).toBe('settled');
  });

  it('keeps the bank reason on each failed line', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [a, b] = lines as [PaymentLine, PaymentLine];

    await importResults(w, batchId, [failed(a, 'NO_WALLET'), failed(b, 'CNIC_MISMATCH')]);

    const after = [...(w.lines.get(batchId)?.values() ?? [])];
    expect(after.map((l) => [l.householdId, l.outcomeReason]).sort()).toEqual(
      [
        [a.householdId, 'NO_WALLET'],
        [b.householdId, 'CNIC_MISMATCH'],
      ].sort(),
    );
    expect(w.batches.get(batchId)?.status).toBe('partly-paid');
  });

  it('still accepts failure confirmations on a partly paid batch', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [a, b] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [paid(a), failed(b)]);

    const confirmation = await confirmPaymentFailures(w.deps, batchId, undefined, OFFICER_TWO);

    expect(confirmation.confirmed).toEqual([b.paymentReference]);
  });

  it('sets the status when a read resumes a confirmation a crash interrupted before it', async () => {
    const { w, batchId, lines } = await approvedBatch(3);
    const staged = await stagePaymentResults(w.deps, batchId, lines.map(paid), MAKER);
    setCrashHook(crashOnceAt('results.after-budget'));
    await expect(confirmPaymentResults(w.deps, batchId, staged.importId, OFFICER_TWO)).rejects.toThrow(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    expect(w.batches.get(batchId)?.status).toBe('approved');

    const { batch, imports } = await readBatchAndImports(w.deps, batchId);

    expect(batch.status).toBe('settled');
    expect(imports.map((i) => i.status)).toEqual(['applied']);
  });
});
