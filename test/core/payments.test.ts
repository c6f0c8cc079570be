import { createHash } from 'node:crypto';
import {
  approvePaymentBatch,
  ConflictError,
  checkBudget,
  confirmPaymentFailures,
  createPaymentBatch,
  ForbiddenError,
  type PaymentLine,
  type PaymentResult,
  parseResultsFile,
  paymentReferenceFor,
  rejectPaymentBatch,
  renderInstructionsCsv,
  verifyInstructionsCsv,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import {
  AMOUNT,
  approvedBatch,
  CHECKER,
  campaign,
  importResults,
  MAKER,
  OFFICER_TWO,
  world,
} from '../support/payment-world.js';

describe('createPaymentBatch', () => {
  it('pays the woman of the household, with a stable reference per household and attempt', async () => {
    const w = world(2);
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1', district: 'dadu' }, MAKER);

    const [line] = [...(w.lines.get(batch.batchId)?.values() ?? [])];
    expect(batch).toMatchObject({ status: 'pending', lineCount: 1, total: AMOUNT, maker: MAKER.user });
    expect(line).toMatchObject({ householdId: 'HH-0001', payeeName: 'Zainab 1', payeeCnicHash: 'woman-1' });
    expect(line?.paymentReference).toBe(paymentReferenceFor('C-FLOOD1', 'HH-0001', 1));
    expect(w.audit.map((e) => e.action)).toEqual(['payment-batch.create']);
  });

  it('never puts one enrollment in two open batches, even with two makers at once', async () => {
    const w = world(40);
    const results = await Promise.allSettled([
      createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER),
      createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, { ...MAKER, user: 'maker-two' }),
    ]);

    const households = [...w.lines.values()].flatMap((l) => [...l.values()].map((x) => x.householdId));
    expect(households).toHaveLength(40);
    expect(new Set(households).size).toBe(40);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
  });
});

describe('maker-checker', () => {
  it('refuses approval and rejection by the maker', async () => {
    const w = world(3);
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);

    await expect(
      approvePaymentBatch(w.deps, batch.batchId, { ...CHECKER, user: MAKER.user }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      rejectPaymentBatch(w.deps, batch.batchId, 'no', { ...CHECKER, user: MAKER.user }),
    ).rejects.toThrow(/another approver must reject/);
    expect(w.batches.get(batch.batchId)?.status).toBe('pending');
  });

  it('keeps an approved batch unchanged: no second approval, no rejection', async () => {
    const { w, batchId } = await approvedBatch(3);
    const before = w.batches.get(batchId);

    await expect(approvePaymentBatch(w.deps, batchId, { ...CHECKER, user: 'other' })).rejects.toThrow(
      ConflictError,
    );
    await expect(
      rejectPaymentBatch(w.deps, batchId, 'late change', { ...CHECKER, user: 'other' }),
    ).rejects.toThrow(/approved and can no longer change/);
    expect(w.batches.get(batchId)).toEqual(before);
    expect((await w.deps.budget.read('C-FLOOD1')).reserved).toBe(3 * AMOUNT);
  });

  it('frees the households of a rejected batch for another batch', async () => {
    const w = world(2);
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    await rejectPaymentBatch(w.deps, batch.batchId, 'wrong district', CHECKER);

    const again = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    expect(again.batch.lineCount).toBe(2);
  });
});

describe('budget', () => {
  it('allows reaching the cap exactly and refuses one rupee over', () => {
    const limits = { cap: 27_000, maxHouseholds: 2 };
    expect(
      checkBudget(limits, { reserved: 13_500, households: 1 }, { amount: 13_500, households: 1 }),
    ).toEqual({
      ok: true,
    });
    expect(
      checkBudget(limits, { reserved: 13_501, households: 1 }, { amount: 13_500, households: 1 }),
    ).toEqual({
      ok: false,
      remaining: 13_499,
      remainingHouseholds: 1,
    });
    expect(checkBudget(limits, { reserved: 0, households: 2 }, { amount: 1, households: 1 }).ok).toBe(false);
  });

  it('approves a batch that exhausts the budget exactly, then refuses the next naming what remains', async () => {
    const w = world(4, campaign({ budgetCap: 2 * AMOUNT }));
    const first = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1', maxLines: 2 }, MAKER);
    await approvePaymentBatch(w.deps, first.batch.batchId, CHECKER);
    const second = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1', maxLines: 1 }, MAKER);

    await expect(approvePaymentBatch(w.deps, second.batch.batchId, CHECKER)).rejects.toThrow(
      /exceeds the campaign budget: PKR 0 and 998 households remain/,
    );
    expect(await w.deps.budget.read('C-FLOOD1')).toMatchObject({ reserved: 2 * AMOUNT, households: 2 });
    expect(w.batches.get(second.batch.batchId)?.status).toBe('pending');
  });

  it('refuses a batch one rupee over the cap', async () => {
    const w = world(2, campaign({ budgetCap: 2 * AMOUNT - 1 }));
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);

    await expect(approvePaymentBatch(w.deps, batch.batchId, CHECKER)).rejects.toThrow(/PKR 26999 and/);
  });
});

describe('importing payment results', () => {
  // The final state, with the (random) batch id taken out so two worlds can be compared.
  const snapshot = ({ w, batchId }: { w: ReturnType<typeof world>; batchId: string }) => {
    const byHousehold = <T extends { householdId: string }>(xs: T[]) =>
      xs.sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
    const state = {
      // Which import recorded a verdict differs between the two orders; the verdicts must not.
      lines: byHousehold([...w.lines.values()].flatMap((m) => [...m.values()])).map(
        ({ outcomeImportId: _id, ...line }) => line,
      ),
      enrollments: byHousehold([...w.enrollments.values()]),
      budget: w.budgets.get('C-FLOOD1'),
    };
    return JSON.parse(JSON.stringify(state).replaceAll(batchId, 'B-?'));
  };
  const results = (lines: PaymentLine[]): PaymentResult[][] => {
    const [a, b, c, d] = lines.map((l) => l.paymentReference) as [string, string, string, string];
    const paidAt = '2026-03-02T09:00:00Z';
    return [
      [
        { paymentReference: a, status: 'PAID', paidAt },
        { paymentReference: b, status: 'FAILED', reason: 'ACCOUNT_CLOSED' },
        { paymentReference: c, status: 'FAILED', reason: 'TIMEOUT' },
      ],
      [
        { paymentReference: c, status: 'PAID', paidAt },
        { paymentReference: d, status: 'PAID', paidAt },
        { paymentReference: 'P-0000000000000000', status: 'PAID' },
      ],
    ];
  };

  it('gives the same final state when files are re-sent, or arrive in reverse order', async () => {
    const one = await approvedBatch(4);
    const two = await approvedBatch(4);
    const [f1, f2] = results(one.lines) as [PaymentResult[], PaymentResult[]];

    const first = await importResults(one.w, one.batchId, f1);
    await importResults(one.w, one.batchId, f2);
    const resent = await importResults(one.w, one.batchId, [...f1, ...f2]);
    await importResults(two.w, two.batchId, [...f2].reverse());
    await importResults(two.w, two.batchId, [...f1].reverse());

    expect(first).toMatchObject({ applied: 3, alreadyApplied: 0, paid: 1, failed: 2, unknownReferences: [] });
    expect(resent).toMatchObject({ received: 6, applied: 0, alreadyApplied: 4, paid: 3, failed: 1 });
    expect(resent.unknownReferences).toEqual(['P-0000000000000000']);
    expect(snapshot(two)).toEqual(snapshot(one));
    expect(one.w.budgets.get('C-FLOOD1')).toEqual({
      reserved: 3 * AMOUNT,
      households: 3,
      paid: 3 * AMOUNT,
      paidHouseholds: 3,
      duplicates: 0,
      duplicateAmount: 0,
    });
    expect(one.w.enrollments.get(`C-FLOOD1|${one.lines[1]?.householdId}`)?.paymentState).toBe('failed');
  });

  it('lets a confirmed failed payment be re-batched under a new reference, and never a paid one', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [paid, failed] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [
      { paymentReference: paid.paymentReference, status: 'PAID' },
      { paymentReference: failed.paymentReference, status: 'FAILED', reason: 'NO_WALLET' },
    ]);
    await confirmPaymentFailures(w.deps, batchId, undefined, OFFICER_TWO);

    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    const [retry] = [...(w.lines.get(batch.batchId)?.values() ?? [])];
    expect(batch.lineCount).toBe(1);
    expect(retry).toMatchObject({ householdId: failed.householdId, attempt: 2 });
    expect(retry?.paymentReference).not.toBe(failed.paymentReference);
  });
});

describe('instruction file', () => {
  const line = (ref: string, amount: number, name: string): PaymentLine => ({
    batchId: 'B-1',
    paymentReference: ref,
    campaignId: 'C-1',
    householdId: `H-${ref}`,
    attempt: 1,
    category: 'TOP_UP',
    amount,
    district: 'Dadu',
    payeeCnic: '41303-1234567-2',
    payeeCnicMasked: 'x',
    payeeName: name,
    payeeCnicHash: 'h',
  });

  it('ends with a checksum line over every preceding line', () => {
    const csv = renderInstructionsCsv([line('P-B', 5000, 'Zainab, Bibi'), line('P-A', 13500, 'Amina')]);
    const rows = csv.split('\n');
    const body = `${rows.slice(0, 3).join('\n')}\n`;

    expect(rows.slice(0, 3)).toEqual([
      'paymentReference,payeeCnic,payeeName,amount,district',
      'P-A,41303-1234567-2,Amina,13500,Dadu',
      'P-B,41303-1234567-2,"Zainab, Bibi",5000,Dadu',
    ]);
    const digest = createHash('sha256').update(body).digest('hex');
    expect(rows[3]).toBe(`#checksum,sha256=${digest},lines=2,total=18500`);
    expect(verifyInstructionsCsv(csv)).toEqual({ ok: true, lines: 2, total: 18500 });
    expect(verifyInstructionsCsv(csv.replace('13500', '31500')).ok).toBe(false);
  });
});

describe('parseResultsFile', () => {
  it('reads CSV with a header and quoted reasons, and JSON', () => {
    const csv =
      'paymentReference,status,reason\nP-0123456789ABCDEF,failed,"closed, by bank"\nP-0123456789ABCDEG,PAID,\n';
    expect(parseResultsFile(csv, 'text/csv')).toEqual([
      { paymentReference: 'P-0123456789ABCDEF', status: 'FAILED', reason: 'closed, by bank' },
      { paymentReference: 'P-0123456789ABCDEG', status: 'PAID' },
    ]);
    expect(
      parseResultsFile('[{"paymentReference":"P-0123456789ABCDEF","status":"PAID"}]', 'application/json'),
    ).toHaveLength(1);
  });

  it('refuses the whole file over one bad line, naming it', () => {
    expect(() => parseResultsFile('P-0123456789ABCDEF,PAID\nnot-a-ref,MAYBE\n', 'text/csv')).toThrow(
      /invalid lines/,
    );
  });
});
