import {
  APPROVAL_CLAIM_GRACE_MS,
  approvePaymentBatch,
  confirmPaymentFailures,
  confirmPaymentResults,
  crashOnceAt,
  createPaymentBatch,
  InjectedCrashError,
  type PaymentLine,
  type PaymentResult,
  readBatch,
  readBatchAndImports,
  rejectPaymentBatch,
  setCrashHook,
  stagePaymentResults,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  approvedBatch,
  CHECKER,
  importResults,
  linesOf,
  MAKER,
  OFFICER_TWO,
  world,
} from '../support/payment-world.js';

type World = ReturnType<typeof world>;
const SECOND_APPROVER = { user: 'checker-sara', role: 'approver' };

/** Everything money depends on, with the random batch ids named by their order of creation. */
function finalState(w: World) {
  const ids = [...w.batches.keys(), ...[...w.imports.values()].map((i) => i.header.importId)];
  const byHousehold = <T extends { householdId: string }>(xs: T[]) =>
    [...xs].sort((a, b) => (a.householdId < b.householdId ? -1 : 1));
  const state = {
    batches: [...w.batches.values()],
    lines: byHousehold([...w.lines.values()].flatMap((m) => [...m.values()])),
    enrollments: byHousehold([...w.enrollments.values()]),
    budget: w.budgets.get('C-FLOOD1'),
    imports: [...w.imports.values()].map((i) => i.header),
    ledger: w.audit.map(({ actor, role, action, subject, actionId, before, after }) => ({
      actor,
      role,
      action,
      subject,
      actionId,
      before,
      after,
    })),
  };
  let text = JSON.stringify(state);
  ids.forEach((id, i) => {
    text = text.replaceAll(id, `ID-${i}`);
  });
  return JSON.parse(text);
}

afterEach(() => setCrashHook(undefined));

describe('Finding 5: crashes leave money state wrong (approval)', () => {
  const APPROVAL_STEPS = [
    'approve.after-approving',
    'approve.after-reserve',
    'approve.after-audit',
    'approve.after-advance-line',
    'approve.after-advance',
  ];

  const made = async () => {
    const w = world(6);
    const { batch } = await createPaymentBatch(w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    return { w, batchId: batch.batchId };
  };

  it.each(APPROVAL_STEPS)(
    'converges after a crash at %s, re-run by another approver or by a read',
    async (point) => {
      const clean = await made();
      await approvePaymentBatch(clean.w.deps, clean.batchId, CHECKER);
      for (const resume of ['re-run', 'read'] as const) {
        const crashed = await made();
        setCrashHook(crashOnceAt(point));
        await expect(approvePaymentBatch(crashed.w.deps, crashed.batchId, CHECKER)).rejects.toThrow(
          InjectedCrashError,
        );
        setCrashHook(undefined);

        if (resume === 're-run') await approvePaymentBatch(crashed.w.deps, crashed.batchId, SECOND_APPROVER);
        else await readBatch(crashed.w.deps, crashed.batchId);

        expect(finalState(crashed.w)).toEqual(finalState(clean.w));
      }
    },
  );

  it('gives one outcome to two approvers at once (20 repetitions)', async () => {
    for (let i = 0; i < 20; i++) {
      const { w, batchId } = await made();
      const results = await Promise.allSettled([
        approvePaymentBatch(w.deps, batchId, CHECKER),
        approvePaymentBatch(w.deps, batchId, SECOND_APPROVER),
      ]);

      const approvedBy = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.approvedBy] : []));
      expect(approvedBy.length).toBeGreaterThan(0);
      expect(new Set(approvedBy).size).toBe(1);
      expect(w.batches.get(batchId)).toMatchObject({ status: 'approved', approvedBy: approvedBy[0] });
      expect(await w.deps.budget.read('C-FLOOD1')).toMatchObject({ reserved: 6 * 13_500, households: 6 });
      expect(w.audit.filter((e) => e.action === 'payment-batch.approve')).toHaveLength(1);
      expect([...w.enrollments.values()].every((e) => e.paymentState === 'approved')).toBe(true);
    }
  });

  it('leaves a batch killed between its claim and its payee re-check to its claimant for the grace, then completes it with the re-check', async () => {
    const clean = await made();
    await approvePaymentBatch(clean.w.deps, clean.batchId, CHECKER);
    const crashed = await made();
    setCrashHook(crashOnceAt('approve.after-claim'));
    await expect(approvePaymentBatch(crashed.w.deps, crashed.batchId, CHECKER)).rejects.toThrow(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    const afterGrace = {
      ...crashed.w.deps,
      clock: { now: () => new Date(Date.parse('2026-03-01T10:00:00Z') + APPROVAL_CLAIM_GRACE_MS) },
    };

    await expect(approvePaymentBatch(crashed.w.deps, crashed.batchId, SECOND_APPROVER)).rejects.toThrow(
      /being approved by checker-bilal/,
    );
    const read = await readBatch(crashed.w.deps, crashed.batchId);
    const completed = await readBatch(afterGrace, crashed.batchId);

    expect(read).toMatchObject({ status: 'approving', approvedBy: CHECKER.user });
    expect(completed).toMatchObject({ status: 'approved', approvedBy: CHECKER.user });
    // The same state as an uncrashed approval, but for when the re-check was recorded.
    const withoutCheckTime = (w: World) => {
      const state = finalState(w);
      for (const batch of state.batches) delete batch.payeesCheckedAt;
      return state;
    };
    expect(withoutCheckTime(crashed.w)).toEqual(withoutCheckTime(clean.w));
  });

  it('refuses, after the grace, to complete a killed approval whose payee died meanwhile, with nothing reserved', async () => {
    const crashed = await made();
    setCrashHook(crashOnceAt('approve.after-claim'));
    await expect(approvePaymentBatch(crashed.w.deps, crashed.batchId, CHECKER)).rejects.toThrow(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    const [line] = linesOf(crashed.w, crashed.batchId) as [PaymentLine];
    const payee = crashed.w.households.get(line.householdId)?.find((m) => m.cnicHash === line.payeeCnicHash);
    if (payee) Object.assign(payee, { deceased: true });
    const afterGrace = {
      ...crashed.w.deps,
      clock: { now: () => new Date(Date.parse('2026-03-01T10:00:00Z') + APPROVAL_CLAIM_GRACE_MS) },
    };

    await expect(approvePaymentBatch(afterGrace, crashed.batchId, SECOND_APPROVER)).rejects.toThrow(
      /may no longer be paid/,
    );

    expect(crashed.w.batches.get(crashed.batchId)?.status).toBe('pending');
    expect(crashed.w.batches.get(crashed.batchId)?.approvedBy).toBeUndefined();
    expect((await crashed.w.deps.budget.read('C-FLOOD1')).reserved).toBe(0);
  });
});

describe('Finding 5: crashes leave money state wrong (result import)', () => {
  const IMPORT_STEPS = [
    'results.after-stage',
    'results.after-applying',
    'results.after-line-verdict',
    'results.after-line-enrollment',
    'results.after-line-history',
    'results.after-lines',
    'results.after-budget',
    'results.after-batch-status',
    'results.after-audit',
  ];
  const fileOf = (lines: PaymentLine[]): PaymentResult[] =>
    lines.map((l, i) =>
      i % 3 === 2
        ? { paymentReference: l.paymentReference, status: 'FAILED', reason: 'NO_WALLET' }
        : { paymentReference: l.paymentReference, status: 'PAID', paidAt: '2026-03-02T09:00:00Z' },
    );

  /** The uploader stages the file, a second officer confirms: the whole import. */
  const upload = async (w: World, batchId: string, file: PaymentResult[]) => {
    const staged = await stagePaymentResults(w.deps, batchId, file, MAKER);
    if (staged.status === 'staged')
      await confirmPaymentResults(w.deps, batchId, staged.importId, OFFICER_TWO);
  };

  it.each(IMPORT_STEPS)(
    'converges when the same file is imported again after a crash at %s',
    async (point) => {
      const clean = await approvedBatch(9);
      await upload(clean.w, clean.batchId, fileOf(clean.lines));
      const crashed = await approvedBatch(9);

      setCrashHook(crashOnceAt(point));
      await expect(upload(crashed.w, crashed.batchId, fileOf(crashed.lines))).rejects.toThrow(
        InjectedCrashError,
      );
      setCrashHook(undefined);
      await upload(crashed.w, crashed.batchId, fileOf(crashed.lines));

      expect(finalState(crashed.w)).toEqual(finalState(clean.w));
      expect(crashed.w.budgets.get('C-FLOOD1')).toMatchObject({ paid: 6 * 13_500, paidHouseholds: 6 });
      expect([...crashed.w.enrollments.values()].filter((e) => e.paymentState === 'paid')).toHaveLength(6);
    },
  );

  it('completes a confirmed import that a crash interrupted when anyone reads the batch', async () => {
    const clean = await approvedBatch(9);
    await upload(clean.w, clean.batchId, fileOf(clean.lines));
    const crashed = await approvedBatch(9);

    setCrashHook(crashOnceAt('results.after-line-enrollment'));
    await expect(upload(crashed.w, crashed.batchId, fileOf(crashed.lines))).rejects.toThrow(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    const { imports } = await readBatchAndImports(crashed.w.deps, crashed.batchId);

    expect(imports.map((i) => i.status)).toEqual(['applied']);
    expect(finalState(crashed.w)).toEqual(finalState(clean.w));
  });

  it('gives the uncrashed state when two different result files are confirmed at once', async () => {
    const sequential = await approvedBatch(8);
    const parallel = await approvedBatch(8);
    const halves = (lines: PaymentLine[]) => [fileOf(lines.slice(0, 4)), fileOf(lines).slice(2)];
    const [a, b] = halves(sequential.lines) as [PaymentResult[], PaymentResult[]];
    await importResults(sequential.w, sequential.batchId, a);
    await importResults(sequential.w, sequential.batchId, b);

    const [pa, pb] = halves(parallel.lines) as [PaymentResult[], PaymentResult[]];
    const staged = await Promise.all([
      stagePaymentResults(parallel.w.deps, parallel.batchId, pa, MAKER),
      stagePaymentResults(parallel.w.deps, parallel.batchId, pb, MAKER),
    ]);
    await Promise.all(
      staged.map((s) => confirmPaymentResults(parallel.w.deps, parallel.batchId, s.importId, OFFICER_TWO)),
    );

    const withoutOrder = (w: World) => {
      const state = finalState(w);
      // Which import recorded a shared line's verdict depends on the race, as do the ledger's order and
      // the batch totals each confirmation saw.
      for (const line of state.lines) delete line.outcomeImportId;
      for (const entry of state.ledger)
        if (entry.action === 'payment-batch.results-confirm') delete entry.after;
      state.ledger.sort((x: { actionId: string }, y: { actionId: string }) =>
        x.actionId < y.actionId ? -1 : 1,
      );
      return state;
    };
    expect(withoutOrder(parallel.w)).toEqual(withoutOrder(sequential.w));
  });

  it('applies a file once when two people confirm it at once', async () => {
    const { w, batchId, lines } = await approvedBatch(4);
    const staged = await stagePaymentResults(w.deps, batchId, fileOf(lines), MAKER);

    await Promise.allSettled([
      confirmPaymentResults(w.deps, batchId, staged.importId, OFFICER_TWO),
      confirmPaymentResults(w.deps, batchId, staged.importId, CHECKER),
    ]);

    expect(w.budgets.get('C-FLOOD1')).toMatchObject({ paid: 3 * 13_500, paidHouseholds: 3, households: 3 });
    expect(w.audit.filter((e) => e.action === 'payment-batch.results-confirm')).toHaveLength(1);
    expect(linesOf(w, batchId).filter((l) => l.settledOutcome === 'PAID')).toHaveLength(3);
  });
});

describe('Finding 5: crashes leave money state wrong (failure confirmation and rejection)', () => {
  const failed = async () => {
    const { w, batchId, lines } = await approvedBatch(4);
    await importResults(
      w,
      batchId,
      lines.map((l, i) => ({ paymentReference: l.paymentReference, status: i < 3 ? 'FAILED' : 'PAID' })),
    );
    return { w, batchId };
  };

  it.each(['failure-confirm.after-line', 'failure-confirm.after-enrollment', 'failure-confirm.after-audit'])(
    'completes a failure confirmation interrupted at %s on the next call',
    async (point) => {
      const clean = await failed();
      await confirmPaymentFailures(clean.w.deps, clean.batchId, undefined, CHECKER);
      const crashed = await failed();

      setCrashHook(crashOnceAt(point));
      await expect(
        confirmPaymentFailures(crashed.w.deps, crashed.batchId, undefined, CHECKER),
      ).rejects.toThrow(InjectedCrashError);
      setCrashHook(undefined);
      await confirmPaymentFailures(crashed.w.deps, crashed.batchId, undefined, SECOND_APPROVER);

      expect(finalState(crashed.w)).toEqual(finalState(clean.w));
      const retry = await createPaymentBatch(crashed.w.deps, { campaignId: 'C-FLOOD1' }, MAKER);
      expect(retry.batch.lineCount).toBe(3);
    },
  );

  it('releases every household of a batch whose rejection a crash interrupted, on the checker re-running it', async () => {
    const clean = world(5);
    const cleanBatch = await createPaymentBatch(clean.deps, { campaignId: 'C-FLOOD1' }, MAKER);
    await rejectPaymentBatch(clean.deps, cleanBatch.batch.batchId, 'wrong district', CHECKER);
    const crashed = world(5);
    const { batch } = await createPaymentBatch(crashed.deps, { campaignId: 'C-FLOOD1' }, MAKER);

    setCrashHook(crashOnceAt('reject.after-transition'));
    await expect(rejectPaymentBatch(crashed.deps, batch.batchId, 'wrong district', CHECKER)).rejects.toThrow(
      InjectedCrashError,
    );
    setCrashHook(undefined);
    await rejectPaymentBatch(crashed.deps, batch.batchId, 'wrong district', CHECKER);

    expect(finalState(crashed)).toEqual(finalState(clean));
    expect([...crashed.enrollments.values()].every((e) => e.batchId === undefined)).toBe(true);
  });
});
