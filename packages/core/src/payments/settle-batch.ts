import { createHash } from 'node:crypto';
import { ConflictError } from '../errors.js';
import { WRITE_CONCURRENCY } from './create-batch.js';
import { loadBatch } from './decide-batch.js';
import { renderInstructionsCsv, renderInstructionsJson } from './instruction-file.js';
import { assertApproved } from './maker-checker.js';
import { mapBounded } from './map-bounded.js';
import type { PaymentLine, PaymentResult, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';
import { mergeResults, resolveOutcome } from './results-file.js';

/**
 * The payment instruction file of an approved batch. Exporting is audited, and the batch's
 * households move to `sent` so that STATUS can say the payment is on its way.
 */
export async function exportInstructions(
  deps: PaymentServiceDeps,
  batchId: string,
  format: 'csv' | 'json',
  actor: StaffActor,
): Promise<string> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'an instruction file');
  const lines = await deps.batches.lines(batchId);
  const file =
    format === 'csv'
      ? renderInstructionsCsv(lines)
      : `${JSON.stringify(renderInstructionsJson(batch, lines), null, 2)}\n`;
  await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
    deps.enrollments.advance(l.campaignId, l.householdId, batchId, ['batched', 'approved'], 'sent'),
  );
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.export',
    subject: `payment-batch/${batchId}`,
    after: {
      format,
      lines: lines.length,
      total: batch.total,
      sha256: createHash('sha256').update(file).digest('hex'),
    },
  });
  return file;
}

export interface ResultReport {
  readonly batchId: string;
  readonly received: number;
  /** Results that changed a line (first verdict, or FAILED turned PAID). */
  readonly applied: number;
  /** Results already recorded (a re-sent file), or a FAILED after PAID (PAID wins). */
  readonly alreadyApplied: number;
  readonly unknownReferences: readonly string[];
  /** Lines of the batch paid and failed after this import. */
  readonly paid: number;
  readonly failed: number;
  /** PAID for a household the campaign had already paid under another reference: money to recover. */
  readonly duplicatePayments: readonly { paymentReference: string; householdId: string; paidUnder: string }[];
}

type Applied = 'applied' | 'already' | { paidUnder: string };

async function applyResult(
  deps: PaymentServiceDeps,
  first: PaymentLine,
  result: PaymentResult,
  now: string,
): Promise<Applied> {
  let line = first;
  const paidAt = result.paidAt ?? now;
  for (;;) {
    if (resolveOutcome(line.outcome, result.status) === 'already') return 'already';
    const verdict = {
      outcome: result.status,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.status === 'PAID' ? { paidAt } : {}),
    };
    if (await deps.batches.recordOutcome(line, line.outcome, verdict)) break;
    // Another import recorded a verdict meanwhile: decide again against what it recorded.
    const fresh = (await deps.batches.linesByReference(line.batchId, [line.paymentReference])).get(
      line.paymentReference,
    );
    if (!fresh) throw new ConflictError(`Line ${line.paymentReference} disappeared`);
    line = fresh;
  }
  const { campaignId, householdId, amount } = line;
  const wasFailed = line.outcome === 'FAILED';
  if (result.status === 'FAILED') {
    await deps.enrollments.markFailed(campaignId, householdId, line.batchId);
    // A failed payment gives its reservation back, so the household can be paid from the budget again.
    await deps.budget.adjust(campaignId, { reserved: -amount, households: -1 });
    return 'applied';
  }
  const marked = await deps.enrollments.markPaid(campaignId, householdId, {
    reference: line.paymentReference,
    batchId: line.batchId,
    at: paidAt,
  });
  await deps.budget.adjust(campaignId, {
    ...(wasFailed ? { reserved: amount, households: 1 } : {}),
    ...(marked === 'marked' ? { paid: amount, paidHouseholds: 1 } : {}),
  });
  return typeof marked === 'object' ? marked : 'applied';
}

/**
 * Imports a provider's result file into an approved batch. Idempotent and order-independent: each
 * line's verdict is a compare-and-set where PAID wins over FAILED, and a household is marked paid at
 * most once per campaign (its enrollment item holds the one paid reference). References that are not
 * lines of this batch are reported back.
 */
export async function importPaymentResults(
  deps: PaymentServiceDeps,
  batchId: string,
  results: readonly PaymentResult[],
  actor: StaffActor,
): Promise<ResultReport> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'importing results');
  const lines = new Map((await deps.batches.lines(batchId)).map((l) => [l.paymentReference, l]));
  const merged = mergeResults(results);
  const unknownReferences = merged
    .filter((r) => !lines.has(r.paymentReference))
    .map((r) => r.paymentReference);
  const now = deps.clock.now().toISOString();
  const known = merged.filter((r) => lines.has(r.paymentReference));
  const outcomes = await mapBounded(known, WRITE_CONCURRENCY, (r) =>
    applyResult(deps, lines.get(r.paymentReference) as PaymentLine, r, now),
  );
  const after = await deps.batches.lines(batchId);
  const report: ResultReport = {
    batchId,
    received: results.length,
    applied: outcomes.filter((o) => o !== 'already').length,
    alreadyApplied: outcomes.filter((o) => o === 'already').length,
    unknownReferences,
    paid: after.filter((l) => l.outcome === 'PAID').length,
    failed: after.filter((l) => l.outcome === 'FAILED').length,
    duplicatePayments: known.flatMap((r, i) => {
      const o = outcomes[i];
      return typeof o === 'object'
        ? [
            {
              paymentReference: r.paymentReference,
              householdId: lines.get(r.paymentReference)?.householdId ?? '',
              paidUnder: o.paidUnder,
            },
          ]
        : [];
    }),
  };
  const before = [...lines.values()];
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.results',
    subject: `payment-batch/${batchId}`,
    before: {
      paid: before.filter((l) => l.outcome === 'PAID').length,
      failed: before.filter((l) => l.outcome === 'FAILED').length,
    },
    after: { ...report, unknownReferences: report.unknownReferences.slice(0, 100) },
  });
  return report;
}
