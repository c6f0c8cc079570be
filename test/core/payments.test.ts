import { createHash } from 'node:crypto';
import {
  type AuditEntry,
  approvePaymentBatch,
  type Campaign,
  ConflictError,
  chainAuditEntry,
  checkBudget,
  createPaymentBatch,
  ForbiddenError,
  importPaymentResults,
  type PaymentLine,
  type PaymentResult,
  parseResultsFile,
  paymentReferenceFor,
  rejectPaymentBatch,
  renderInstructionsCsv,
  verifyChain,
  verifyInstructionsCsv,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryPayments } from '../support/payment-fakes.js';

const MAKER = { user: 'maker-ayesha', role: 'program-officer' };
const CHECKER = { user: 'checker-bilal', role: 'approver' };
const AMOUNT = 13_500;

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: 'C-FLOOD1',
    name: 'Sindh floods',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }, { district: 'Sanghar' }],
    opensAt: '2026-02-01T00:00:00Z',
    closesAt: '2026-04-01T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: AMOUNT, newBeneficiary: 25_000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 1_000_000,
    maxHouseholds: 1000,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: 'C-FLOOD1/v1',
    createdBy: 'cell',
    createdAt: '2026-02-01T00:00:00Z',
    ...overrides,
  };
}

/** A world with `n` enrolled households, each with a woman head (the payee) and a man. */
function world(n: number, c: Campaign = campaign()) {
  const w = memoryPayments([c]);
  for (let i = 1; i <= n; i++) {
    const householdId = `HH-${String(i).padStart(4, '0')}`;
    w.enrollments.set(`${c.campaignId}|${householdId}`, {
      campaignId: c.campaignId,
      householdId,
      messageId: `vertical:${householdId}`,
      reference: `REF${i}`,
      cnicHash: `man-${i}`,
      category: 'TOP_UP',
      amount: AMOUNT,
      district: i % 2 ? 'Dadu' : 'Sanghar',
      tehsil: 'T',
      ruleSetVersion: 'C-FLOOD1/v1',
      channel: 'vertical',
      enrolledAt: '2026-02-02T00:00:00Z',
    });
    w.households.set(householdId, [
      {
        cnicHash: `man-${i}`,
        cnic: `41303-000000${i}-1`,
        cnicMasked: 'x',
        name: `Ali ${i}`,
        relation: 'head',
        gender: 'male',
      },
      {
        cnicHash: `woman-${i}`,
        cnic: `41303-100000${i}-2`,
        cnicMasked: 'y',
        name: `Zainab ${i}`,
        relation: 'spouse',
        gender: 'female',
      },
    ]);
  }
  return w;
}

async function approvedBatch(n: number) {
  const w = world(n);
  const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
  await approvePaymentBatch(w.deps, batch.batchId, CHECKER);
  const lines = [...(w.lines.get(batch.batchId)?.values() ?? [])].sort((a, b) =>
    a.householdId < b.householdId ? -1 : 1,
  );
  return { w, batchId: batch.batchId, lines };
}

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

describe('importPaymentResults', () => {
  // The final state, with the (random) batch id taken out so two worlds can be compared.
  const snapshot = ({ w, batchId }: { w: ReturnType<typeof world>; batchId: string }) => {
    const byHousehold = <T extends { householdId: string }>(xs: T[]) =>
      xs.sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
    const state = {
      lines: byHousehold([...w.lines.values()].flatMap((m) => [...m.values()])),
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

    const first = await importPaymentResults(one.w.deps, one.batchId, f1, MAKER);
    await importPaymentResults(one.w.deps, one.batchId, f2, MAKER);
    const resent = await importPaymentResults(one.w.deps, one.batchId, [...f1, ...f2], MAKER);
    await importPaymentResults(two.w.deps, two.batchId, [...f2].reverse(), MAKER);
    await importPaymentResults(two.w.deps, two.batchId, [...f1].reverse(), MAKER);

    expect(first).toMatchObject({ applied: 3, alreadyApplied: 0, paid: 1, failed: 2, unknownReferences: [] });
    expect(resent).toMatchObject({ received: 6, applied: 0, alreadyApplied: 4, paid: 3, failed: 1 });
    expect(resent.unknownReferences).toEqual(['P-0000000000000000']);
    expect(snapshot(two)).toEqual(snapshot(one));
    expect(one.w.budgets.get('C-FLOOD1')).toEqual({
      reserved: 3 * AMOUNT,
      households: 3,
      paid: 3 * AMOUNT,
      paidHouseholds: 3,
    });
    expect(one.w.enrollments.get(`C-FLOOD1|${one.lines[1]?.householdId}`)?.paymentState).toBe('failed');
  });

  it('lets a failed payment be re-batched under a new reference, and never a paid one', async () => {
    const { w, batchId, lines } = await approvedBatch(2);
    const [paid, failed] = lines as [PaymentLine, PaymentLine];
    await importPaymentResults(
      w.deps,
      batchId,
      [
        { paymentReference: paid.paymentReference, status: 'PAID' },
        { paymentReference: failed.paymentReference, status: 'FAILED', reason: 'NO_WALLET' },
      ],
      MAKER,
    );

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

describe('verifyChain', () => {
  const ledger = (n: number) => {
    const entries: AuditEntry[] = [];
    for (let i = 0; i < n; i++) {
      entries.push(
        chainAuditEntry(
          entries.at(-1),
          {
            actor: 'u',
            role: 'approver',
            action: 'payment-batch.approve',
            subject: `payment-batch/B-${i}`,
            after: { total: i },
          },
          `2026-03-01T10:00:0${i}Z`,
        ),
      );
    }
    return entries;
  };

  it('accepts an intact chain', () => {
    const entries = ledger(5);
    expect(verifyChain(entries, entries.at(-1))).toEqual({ ok: true, count: 5 });
  });

  it('finds an altered entry', () => {
    const entries = ledger(5);
    entries[2] = { ...(entries[2] as AuditEntry), after: { total: 999 } };
    expect(verifyChain(entries)).toMatchObject({ ok: false, brokenSeq: 3 });
  });

  it('finds a deleted entry, in the middle or at the end', () => {
    const entries = ledger(5);
    expect(verifyChain(entries.filter((e) => e.seq !== 2))).toMatchObject({ ok: false, brokenSeq: 2 });
    expect(verifyChain(entries.slice(0, 4), entries.at(-1))).toMatchObject({ ok: false, brokenSeq: 5 });
  });
});
