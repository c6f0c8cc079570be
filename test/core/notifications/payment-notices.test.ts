import {
  approvePaymentBatch,
  confirmPaymentResults,
  crashOnceAt,
  createPaymentBatch,
  exportInstructions,
  InjectedCrashError,
  type Language,
  type PaymentResult,
  type PaymentServiceDeps,
  paymentNoticeId,
  readBatchAndImports,
  renderReply,
  setCrashHook,
  stagePaymentResults,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryNotices } from '../../support/notice-fakes.js';
import {
  AMOUNT,
  CHECKER,
  campaign,
  linesOf,
  MAKER,
  OFFICER_TWO,
  world,
} from '../../support/payment-world.js';

const phoneOf = (i: number) => `+92302${String(1000000 + i)}`;

/**
 * Four enrolled households in one approved batch. Households 1-3 registered from a phone tied to them
 * (their enrollment names it); 1 last wrote in Roman Urdu, 2 in English, 3 never wrote since its web
 * registration in Urdu; household 4 has no phone and is told nothing.
 */
async function approvedWithPhones() {
  const w = world(4);
  for (const i of [1, 2, 3]) {
    const key = `C-FLOOD1|HH-${String(i).padStart(4, '0')}`;
    const enrollment = w.enrollments.get(key);
    if (enrollment) w.enrollments.set(key, { ...enrollment, notify: { phone: phoneOf(i), lang: 'ur' } });
  }
  const n = memoryNotices({ [phoneOf(1)]: 'ur-Latn', [phoneOf(2)]: 'en' });
  const deps: PaymentServiceDeps = { ...w.deps, notices: n.ports };
  const { batch } = await createPaymentBatch(deps, { campaignId: 'C-FLOOD1' }, MAKER);
  await approvePaymentBatch(deps, batch.batchId, CHECKER);
  return { w, n, deps, batchId: batch.batchId, lines: linesOf(w, batch.batchId) };
}

/** The maker uploads the file, a second officer confirms it. */
async function confirmResults(deps: PaymentServiceDeps, batchId: string, results: readonly PaymentResult[]) {
  const staged = await stagePaymentResults(deps, batchId, results, MAKER);
  return confirmPaymentResults(deps, batchId, staged.importId, OFFICER_TWO);
}

const LANGS: Record<number, Language> = { 1: 'ur-Latn', 2: 'en', 3: 'ur' };

afterEach(() => {
  setCrashHook(undefined);
});

describe('payment notices', () => {
  it('tells each household with a phone, once, in its language, when its payment is sent', async () => {
    const { n, deps, batchId, lines } = await approvedWithPhones();

    await exportInstructions(deps, batchId, 'csv', MAKER);
    await exportInstructions(deps, batchId, 'pain001', CHECKER);

    for (const i of [1, 2, 3]) {
      const line = lines[i - 1];
      expect(n.deliveredTo(phoneOf(i))).toEqual([
        {
          id: paymentNoticeId(line?.paymentReference ?? '', 'SENT'),
          to: phoneOf(i),
          lang: LANGS[i],
          reference: `REF${i}`,
          createdAt: '2026-03-01T10:00:00.000Z',
          text: renderReply({
            status: 'ELIGIBLE',
            reasons: [],
            lang: LANGS[i] ?? 'ur',
            reference: `REF${i}`,
            amount: AMOUNT,
            topUp: true,
            payment: 'SENT',
            campaignName: campaign().name,
            ...(campaign().nameUr ? { campaignNameUr: campaign().nameUr } : {}),
          }),
        },
      ]);
    }
    // The second export queued nothing: the first one's notices are marked done.
    expect(n.queued).toHaveLength(3);
    expect(n.delivered.size).toBe(3);
  });

  it('tells each household once that it was paid, or that it failed and what to do, when results are confirmed', async () => {
    const { n, deps, batchId, lines } = await approvedWithPhones();
    await exportInstructions(deps, batchId, 'csv', MAKER);
    const [l1, l2, l3, l4] = lines.map((l) => l.paymentReference);
    const results: PaymentResult[] = [
      { paymentReference: l1 ?? '', status: 'PAID' },
      { paymentReference: l2 ?? '', status: 'FAILED', reason: 'WALLET_INACTIVE' },
      { paymentReference: l3 ?? '', status: 'PAID' },
      { paymentReference: l4 ?? '', status: 'PAID' },
    ];

    await confirmResults(deps, batchId, results);
    await stagePaymentResults(deps, batchId, results, MAKER);

    expect(n.deliveredTo(phoneOf(1)).map((s) => s.id)).toEqual([
      paymentNoticeId(l1 ?? '', 'SENT'),
      paymentNoticeId(l1 ?? '', 'PAID'),
    ]);
    const failed = n.deliveredTo(phoneOf(2)).at(-1);
    expect(failed?.id).toBe(paymentNoticeId(l2 ?? '', 'FAILED'));
    expect(failed?.text).toBe(
      renderReply({
        status: 'ELIGIBLE',
        reasons: [],
        lang: 'en',
        reference: 'REF2',
        amount: AMOUNT,
        topUp: true,
        payment: 'FAILED',
        campaignName: campaign().name,
        ...(campaign().nameUr ? { campaignNameUr: campaign().nameUr } : {}),
      }),
    );
    expect(n.deliveredTo(phoneOf(3)).map((s) => s.lang)).toEqual(['ur', 'ur']);
    // The same file sent again queued nothing more.
    expect(n.queued).toHaveLength(6);
  });

  it('tells a failed household again when a later file reports the same line paid (another stage)', async () => {
    const { n, deps, batchId, lines } = await approvedWithPhones();
    const reference = lines[1]?.paymentReference ?? '';
    await confirmResults(deps, batchId, [{ paymentReference: reference, status: 'FAILED' }]);

    await confirmResults(deps, batchId, [{ paymentReference: reference, status: 'PAID' }]);

    expect(n.deliveredTo(phoneOf(2)).map((s) => s.id)).toEqual([
      paymentNoticeId(reference, 'FAILED'),
      paymentNoticeId(reference, 'PAID'),
    ]);
  });

  describe('once, whatever the crash', () => {
    /** Every notice that reached a phone, by id, with its text. */
    const deliveredOf = (n: ReturnType<typeof memoryNotices>) =>
      [...n.delivered.values()].map((s) => [s.id, s.to, s.lang, s.text]).sort();

    it.each(['export.after-sent', 'notices.before-enqueue', 'notices.after-enqueue'])(
      'a crash at %s during the export, then its re-run, tells each household once',
      async (point) => {
        const uncrashed = await approvedWithPhones();
        await exportInstructions(uncrashed.deps, uncrashed.batchId, 'csv', MAKER);
        const crashed = await approvedWithPhones();
        setCrashHook(crashOnceAt(point));

        await expect(exportInstructions(crashed.deps, crashed.batchId, 'csv', MAKER)).rejects.toThrow(
          InjectedCrashError,
        );
        await exportInstructions(crashed.deps, crashed.batchId, 'csv', MAKER);

        expect(deliveredOf(crashed.n)).toEqual(deliveredOf(uncrashed.n));
        expect(crashed.n.delivered.size).toBe(3);
        // Whatever was queued twice went under the same id, which the aggregator refused.
        expect(new Set(crashed.n.queued.map((s) => s.id)).size).toBe(3);
      },
    );

    it.each([
      'results.after-lines',
      'results.after-batch-status',
      'notices.before-enqueue',
      'notices.after-enqueue',
    ])(
      'a crash at %s during the confirmation, then its resumption, tells each household once',
      async (point) => {
        const results = (lines: { paymentReference: string }[]): PaymentResult[] =>
          lines.map((l, i) => ({
            paymentReference: l.paymentReference,
            status: i === 1 ? 'FAILED' : 'PAID',
          }));
        const uncrashed = await approvedWithPhones();
        await confirmResults(uncrashed.deps, uncrashed.batchId, results(uncrashed.lines));
        const crashed = await approvedWithPhones();
        const staged = await stagePaymentResults(
          crashed.deps,
          crashed.batchId,
          results(crashed.lines),
          MAKER,
        );
        setCrashHook(crashOnceAt(point));

        await expect(
          confirmPaymentResults(crashed.deps, crashed.batchId, staged.importId, OFFICER_TWO),
        ).rejects.toThrow(InjectedCrashError);
        // Staff reading the batch completes the interrupted confirmation.
        await readBatchAndImports(crashed.deps, crashed.batchId);

        expect(deliveredOf(crashed.n)).toEqual(deliveredOf(uncrashed.n));
        expect(crashed.n.delivered.size).toBe(3);
        expect(new Set(crashed.n.queued.map((s) => s.id)).size).toBe(3);
      },
    );
  });
});
