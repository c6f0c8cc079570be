import { createHash } from 'node:crypto';
import {
  approvePaymentBatch,
  ConflictError,
  confirmPaymentFailures,
  confirmPaymentResults,
  createPaymentBatch,
  exportInstructions,
  ForbiddenError,
  type PaymentLine,
  renderInstructionsCsv,
  renderInstructionsPain001,
  stagePaymentResults,
  summariseBatch,
  verifyInstructionsCsv,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import {
  AMOUNT,
  approvedBatch,
  CHECKER,
  importResults,
  linesOf,
  MAKER,
  OFFICER_TWO,
  world,
} from '../support/payment-world.js';

const CAMPAIGN = { campaignId: 'C-FLOOD1' };
const member = (w: ReturnType<typeof world>, householdId: string, cnicHash: string) => {
  const found = w.households.get(householdId)?.find((m) => m.cnicHash === cnicHash);
  if (!found) throw new Error(`no member ${cnicHash}`);
  return found as { -readonly [K in keyof typeof found]: (typeof found)[K] };
};

describe('Finding 3: payees re-checked when a batch is made', () => {
  it('pays the next valid member when the preferred payee is deceased, blocked, unknown or marked deceased', async () => {
    const w = world(4);
    member(w, 'HH-0001', 'woman-1').identityStatus = 'DECEASED';
    member(w, 'HH-0002', 'woman-2').identityStatus = 'BLOCKED';
    member(w, 'HH-0003', 'woman-3').identityStatus = undefined;
    member(w, 'HH-0004', 'woman-4').deceased = true;

    const { batch } = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);

    const payees = linesOf(w, batch.batchId).map((l) => l.payeeCnicHash);
    expect(payees).toEqual(['man-1', 'man-2', 'man-3', 'man-4']);
  });

  it('holds a household with no valid payee, with the reason, and never pays it', async () => {
    const w = world(3);
    member(w, 'HH-0002', 'woman-2').identityStatus = 'DECEASED';
    member(w, 'HH-0002', 'man-2').identityStatus = 'BLOCKED';
    w.households.set('HH-0003', []);

    const { batch, skipped } = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);

    expect(linesOf(w, batch.batchId).map((l) => l.householdId)).toEqual(['HH-0001']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { householdId: 'HH-0002', reason: 'NO_VALID_PAYEE', refused: { DECEASED: 1, BLOCKED: 1 } },
        { householdId: 'HH-0003', reason: 'NO_MEMBERS', refused: {} },
      ]),
    );
    expect(w.batches.get(batch.batchId)).toMatchObject({ heldCount: 2 });
    expect(w.batches.get(batch.batchId)?.held?.map((h) => h.householdId)).toEqual(['HH-0002', 'HH-0003']);
    expect(w.enrollments.get('C-FLOOD1|HH-0002')?.batchId).toBeUndefined();
    // Held households stay out of batches until their re-check is due.
    await expect(createPaymentBatch(w.deps, CAMPAIGN, MAKER)).rejects.toThrow(/no unbatched enrollments/);
  });

  it('fills a batch with payable households however many are held, and re-checks the held ones a day later', async () => {
    const w = world(6);
    for (const n of [1, 2, 3]) {
      member(w, `HH-000${n}`, `woman-${n}`).identityStatus = 'DECEASED';
      member(w, `HH-000${n}`, `man-${n}`).identityStatus = undefined;
    }
    const later = { ...w.deps, clock: { now: () => new Date('2026-03-02T11:00:00Z') } };

    const { batch, skipped } = await createPaymentBatch(w.deps, { ...CAMPAIGN, maxLines: 2 }, MAKER);
    const holdAfterFirst = w.enrollments.get('C-FLOOD1|HH-0001')?.paymentHold;
    const next = await createPaymentBatch(w.deps, { ...CAMPAIGN, maxLines: 2 }, MAKER);
    member(w, 'HH-0001', 'man-1').identityStatus = 'ALIVE';
    const recheck = await createPaymentBatch(later, { ...CAMPAIGN, maxLines: 5 }, MAKER);

    expect(batch.lineCount).toBe(2);
    expect(skipped.map((s) => s.householdId).sort()).toEqual(['HH-0001', 'HH-0002', 'HH-0003']);
    expect(linesOf(w, batch.batchId).map((l) => l.householdId)).toEqual(['HH-0004', 'HH-0005']);
    expect(holdAfterFirst).toMatchObject({ reason: 'NO_VALID_PAYEE', until: '2026-03-02T10:00:00.000Z' });
    expect(linesOf(w, next.batch.batchId).map((l) => l.householdId)).toEqual(['HH-0006']);
    expect(linesOf(w, recheck.batch.batchId).map((l) => [l.householdId, l.payeeCnicHash])).toEqual([
      ['HH-0001', 'man-1'],
    ]);
    expect(recheck.batch.heldCount).toBe(2);
  });

  it('refuses approval when a change removed or marked the payee after the batch was made', async () => {
    const w = world(2);
    const { batch } = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);
    // A change approved meanwhile: the payee of HH-0001 is gone from the household.
    w.households.set(
      'HH-0001',
      (w.households.get('HH-0001') ?? []).filter((m) => m.cnicHash !== 'woman-1'),
    );

    await expect(approvePaymentBatch(w.deps, batch.batchId, CHECKER)).rejects.toThrow(
      /1 payees of batch .* may no longer be paid/,
    );
    expect(w.batches.get(batch.batchId)?.status).toBe('pending');
    expect((await w.deps.budget.read('C-FLOOD1')).reserved).toBe(0);
  });
});

describe('Finding 4: no double payment', () => {
  const failOne = async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [paid, failed] = lines as [PaymentLine, PaymentLine];
    await importResults(w, batchId, [
      { paymentReference: paid.paymentReference, status: 'PAID' },
      { paymentReference: failed.paymentReference, status: 'FAILED', reason: 'TIMEOUT' },
    ]);
    return { w, batchId, paid, failed };
  };

  it('does not re-batch a failed line before someone other than the uploader confirms the failure', async () => {
    const { w, batchId, failed } = await failOne();

    await expect(createPaymentBatch(w.deps, CAMPAIGN, MAKER)).rejects.toThrow(/no unbatched enrollments/);
    await expect(confirmPaymentFailures(w.deps, batchId, undefined, MAKER)).rejects.toThrow(ForbiddenError);
    await expect(createPaymentBatch(w.deps, CAMPAIGN, MAKER)).rejects.toThrow(/no unbatched enrollments/);

    const confirmation = await confirmPaymentFailures(w.deps, batchId, undefined, CHECKER);
    const { batch } = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);

    expect(confirmation.confirmed).toEqual([failed.paymentReference]);
    expect(linesOf(w, batch.batchId)).toEqual([
      expect.objectContaining({ householdId: failed.householdId, attempt: 2 }),
    ]);
    expect(w.audit.map((e) => e.action)).toContain('payment-line.failure-confirm');
  });

  it('re-batches a failed line without confirmation once a configured cool-off is over', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [, failed] = lines as [PaymentLine, PaymentLine];
    const at = (hours: number) => ({
      ...w.deps,
      settings: { failureCoolOffMs: 48 * 3600_000 },
      clock: { now: () => new Date(Date.parse('2026-03-01T10:00:00Z') + hours * 3600_000) },
    });
    const staged = await stagePaymentResults(
      at(0),
      batchId,
      [{ paymentReference: failed.paymentReference, status: 'FAILED' }],
      MAKER,
    );
    await confirmPaymentResults(at(0), batchId, staged.importId, OFFICER_TWO);

    await expect(createPaymentBatch(at(47), CAMPAIGN, MAKER)).rejects.toThrow(/no unbatched enrollments/);
    const { batch } = await createPaymentBatch(at(49), CAMPAIGN, MAKER);

    expect(linesOf(w, batch.batchId).map((l) => l.householdId)).toEqual([failed.householdId]);
  });

  it('counts a late PAID after FAILED as money paid and flags the duplicate', async () => {
    const { w, batchId, failed } = await failOne();
    await confirmPaymentFailures(w.deps, batchId, undefined, CHECKER);
    const retry = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);
    await approvePaymentBatch(w.deps, retry.batch.batchId, CHECKER);
    const [again] = linesOf(w, retry.batch.batchId) as [PaymentLine];
    await importResults(w, retry.batch.batchId, [
      { paymentReference: again.paymentReference, status: 'PAID' },
    ]);

    const late = await importResults(w, batchId, [
      { paymentReference: failed.paymentReference, status: 'PAID' },
    ]);

    expect(late.duplicatePayments).toEqual([
      {
        paymentReference: failed.paymentReference,
        householdId: failed.householdId,
        paidUnder: again.paymentReference,
      },
    ]);
    expect(await w.deps.budget.read('C-FLOOD1')).toEqual({
      reserved: 3 * AMOUNT,
      households: 3,
      paid: 3 * AMOUNT,
      paidHouseholds: 2,
      duplicates: 1,
      duplicateAmount: AMOUNT,
    });
    const first = summariseBatch(w.batches.get(batchId) ?? retry.batch, linesOf(w, batchId));
    expect(first).toMatchObject({ outcomes: { paid: 2, duplicates: 1 } });
  });

  it('records in each results confirmation the rupees it recorded paid, failed and duplicated, so the ledger sums to the money paid', async () => {
    const { w, batchId, failed } = await failOne();
    await confirmPaymentFailures(w.deps, batchId, undefined, CHECKER);
    const retry = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);
    await approvePaymentBatch(w.deps, retry.batch.batchId, CHECKER);
    const [again] = linesOf(w, retry.batch.batchId) as [PaymentLine];
    await importResults(w, retry.batch.batchId, [
      { paymentReference: again.paymentReference, status: 'PAID' },
    ]);

    await importResults(w, batchId, [{ paymentReference: failed.paymentReference, status: 'PAID' }]);

    const confirms = w.audit.filter((e) => e.action === 'payment-batch.results-confirm');
    const amounts = confirms.map((e) => {
      const { paidAmount, failedAmount, duplicateAmount } = e.after as {
        paidAmount: number;
        failedAmount: number;
        duplicateAmount: number;
      };
      return { subject: e.subject, paidAmount, failedAmount, duplicateAmount };
    });
    expect(amounts).toEqual([
      { subject: `payment-batch/${batchId}`, paidAmount: AMOUNT, failedAmount: AMOUNT, duplicateAmount: 0 },
      {
        subject: `payment-batch/${retry.batch.batchId}`,
        paidAmount: AMOUNT,
        failedAmount: 0,
        duplicateAmount: 0,
      },
      { subject: `payment-batch/${batchId}`, paidAmount: AMOUNT, failedAmount: 0, duplicateAmount: AMOUNT },
    ]);
    const budget = await w.deps.budget.read('C-FLOOD1');
    expect(amounts.reduce((sum, a) => sum + a.paidAmount, 0)).toBe(budget.paid);
    expect(amounts.reduce((sum, a) => sum + a.duplicateAmount, 0)).toBe(budget.duplicateAmount);
  });

  it('applies results only when a second person confirms them', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const results = lines.map((l) => ({ paymentReference: l.paymentReference, status: 'PAID' as const }));

    const staged = await stagePaymentResults(w.deps, batchId, results, MAKER);
    const stagedState = { lines: linesOf(w, batchId), budget: await w.deps.budget.read('C-FLOOD1') };
    await expect(confirmPaymentResults(w.deps, batchId, staged.importId, MAKER)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      confirmPaymentResults(w.deps, batchId, staged.importId, { ...MAKER, user: 'MAKER-Ayesha' }),
    ).rejects.toThrow(ForbiddenError);
    const applied = await confirmPaymentResults(w.deps, batchId, staged.importId, OFFICER_TWO);

    expect(staged).toMatchObject({ status: 'staged', paid: 0 });
    expect(w.audit.find((e) => e.action === 'payment-batch.results')?.after).toMatchObject({
      paid: 2,
      failed: 0,
      paidAmount: 2 * AMOUNT,
      failedAmount: 0,
    });
    expect(stagedState.lines.every((l) => l.outcome === undefined)).toBe(true);
    expect(stagedState.budget.paid).toBe(0);
    expect(applied).toMatchObject({ status: 'applied', paid: 2, confirmedBy: OFFICER_TWO.user });
    expect((await w.deps.budget.read('C-FLOOD1')).paid).toBe(2 * AMOUNT);
    await expect(confirmPaymentResults(w.deps, batchId, staged.importId, CHECKER)).rejects.toThrow(
      ConflictError,
    );
  });

  it('shows the checker which lines are retries and which payees changed since the last payment', async () => {
    const w = world(3);
    w.history.set('HH-0002', {
      payeeCnicHash: 'someone-else',
      paymentReference: 'P-OLD0000000000000',
      paidAt: '2025-01-01T00:00:00Z',
    });
    w.history.set('HH-0003', {
      payeeCnicHash: 'woman-3',
      paymentReference: 'P-OLD0000000000001',
      paidAt: '2025-01-01T00:00:00Z',
    });
    const enrollment = w.enrollments.get('C-FLOOD1|HH-0001');
    Object.assign(enrollment ?? {}, {
      batchId: 'B-OLD',
      paymentState: 'failed',
      paymentAttempt: 1,
      failureConfirmedBy: 'checker-bilal',
    });

    const { batch } = await createPaymentBatch(w.deps, CAMPAIGN, MAKER);
    const view = summariseBatch(batch, linesOf(w, batch.batchId));

    expect(view).toMatchObject({ review: { retries: 1, payeeChanges: 1 } });
    expect(linesOf(w, batch.batchId).map((l) => [l.householdId, l.attempt, l.payeeChangedSince])).toEqual([
      ['HH-0001', 2, undefined],
      ['HH-0002', 1, 'P-OLD0000000000000'],
      ['HH-0003', 1, undefined],
    ]);
  });
});

/** An RFC 4180 reader written apart from the product's, as a bank's CSV library would read the file. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  const pattern = /("(?:[^"]|"")*"|[^,\n]*)(,|\n|$)/g;
  let row: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const [, cell = '', end] = match;
    if (match[0] === '') break;
    row.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
    if (end !== ',') {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

describe('Finding 9: formula injection and a broken file', () => {
  const line = (ref: string, name: string, amount = 1000): PaymentLine => ({
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
  const hostile = [
    line('P-A', '=HYPERLINK("http://x","y")'),
    line('P-B', '+92300'),
    line('P-C', '-1+1'),
    line('P-D', '@SUM(A1)'),
    line('P-E', '\tcmd'),
    line('P-F', '\r=1'),
    line('P-G', 'Amina\nP-FORGED,41303-9999999-9,Thief,999999,Dadu'),
    line('P-H', 'Nul\u0000Name \u202Eevil\u202C'),
  ];

  it('neutralizes formulas, drops control and bidi characters, and lets no name forge a row', () => {
    const csv = renderInstructionsCsv(hostile);

    const rows = readCsv(csv.slice(0, csv.lastIndexOf('#checksum')));
    expect(verifyInstructionsCsv(csv)).toEqual({ ok: true, lines: 8, total: 8000 });
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.length === 5)).toBe(true);
    expect(rows.slice(1).map((r) => r[2])).toEqual([
      `'=HYPERLINK("http://x","y")`,
      "'+92300",
      "'-1+1",
      "'@SUM(A1)",
      "'cmd",
      "'=1",
      'Amina P-FORGED,41303-9999999-9,Thief,999999,Dadu',
      'NulName evil',
    ]);
    expect(csv.split('\n').some((l) => l.startsWith('P-FORGED'))).toBe(false);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
    expect(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2066-\u2069]/.test(csv)).toBe(false);
  });

  it('verifies the file as CSV: a quoted field over two lines is one record', () => {
    const body =
      'paymentReference,payeeCnic,payeeName,amount,district\nP-A,41303-1234567-2,"Two\nLines",100,Dadu\n';
    const digest = createHash('sha256').update(body).digest('hex');

    expect(verifyInstructionsCsv(`${body}#checksum,sha256=${digest},lines=1,total=100\n`)).toEqual({
      ok: true,
      lines: 1,
      total: 100,
    });
    expect(verifyInstructionsCsv(`${body}#checksum,sha256=${digest},lines=2,total=100\n`).ok).toBe(false);
  });

  it('offers ISO 20022 pain.001.001.09 with totals matching the lines, escaped, and audits its export', async () => {
    const { w, batchId } = await approvedBatch(3);
    const [first] = linesOf(w, batchId) as [PaymentLine];
    w.lines.get(batchId)?.set(first.paymentReference, { ...first, payeeName: '<Zainab> & "Co" \u202E' });

    const xml = await exportInstructions(w.deps, batchId, 'pain001', OFFICER_TWO);

    expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"');
    expect(xml.match(/<NbOfTxs>(\d+)<\/NbOfTxs>/g)).toEqual(['<NbOfTxs>3</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>']);
    expect(xml.match(/<CtrlSum>([\d.]+)<\/CtrlSum>/g)).toEqual([
      `<CtrlSum>${3 * AMOUNT}.00</CtrlSum>`,
      `<CtrlSum>${3 * AMOUNT}.00</CtrlSum>`,
    ]);
    const amounts = [...xml.matchAll(/<InstdAmt Ccy="PKR">([\d.]+)<\/InstdAmt>/g)].map((m) => Number(m[1]));
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(3 * AMOUNT);
    expect([...xml.matchAll(/<EndToEndId>(P-[0-9A-Z]{16})<\/EndToEndId>/g)]).toHaveLength(3);
    expect(xml).toContain('<Nm>&lt;Zainab&gt; &amp; &quot;Co&quot;</Nm>');
    expect(xml).not.toContain('\u202E');
    expect(w.audit.at(-1)).toMatchObject({
      action: 'payment-batch.export',
      actor: OFFICER_TWO.user,
      after: { format: 'pain001', lines: 3 },
    });
  });

  it('renders the same pain.001 for the same batch whatever order the lines come in', () => {
    const batch = {
      batchId: 'B-1',
      campaignId: 'C-1',
      status: 'approved',
      lineCount: 2,
      total: 2000,
      maker: 'm',
      createdAt: '2026-03-01T10:00:00.000Z',
    } as const;
    const a = line('P-A', 'Amina');
    const b = line('P-B', 'Bushra');
    expect(renderInstructionsPain001(batch, [b, a])).toBe(renderInstructionsPain001(batch, [a, b]));
  });
});
