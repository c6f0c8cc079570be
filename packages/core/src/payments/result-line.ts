import { ConflictError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import type { PaymentLine, PaymentResult } from './model.js';
import type { PaymentServiceDeps } from './ports.js';
import { resolveOutcome } from './results-file.js';

/**
 * Records one verdict and its consequences. The verdict is a compare-and-set where PAID wins over
 * FAILED; the consequences (the enrollment marked paid or failed, a duplicate noted) are redone
 * until the line says they are done, so a crash between the two is completed by a re-run. Whether
 * the result changed the verdict is what it reports.
 */
export async function applyResultLine(
  deps: PaymentServiceDeps,
  first: PaymentLine,
  result: PaymentResult,
  context: { now: string; importId: string; uploadedBy: string },
): Promise<'applied' | 'already'> {
  let line = first;
  let verdict: 'applied' | 'already' = 'already';
  const paidAt = result.paidAt ?? context.now;
  for (;;) {
    if (resolveOutcome(line.outcome, result.status) === 'already') break;
    const next = {
      outcome: result.status,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.status === 'PAID' ? { paidAt } : {}),
      importId: context.importId,
      uploadedBy: context.uploadedBy,
    };
    if (await deps.batches.recordOutcome(line, line.outcome, next)) {
      verdict = 'applied';
      const { outcomeReason: _r, ...rest } = line;
      line = {
        ...rest,
        outcome: result.status,
        ...(result.reason ? { outcomeReason: result.reason } : {}),
        ...(result.status === 'PAID' ? { paidAt } : {}),
      };
      break;
    }
    line = await reload(deps, line);
  }
  crashPoint('results.after-line-verdict');
  await settleLine(deps, line, context.now);
  return verdict;
}

async function reload(deps: PaymentServiceDeps, line: PaymentLine): Promise<PaymentLine> {
  const fresh = (await deps.batches.linesByReference(line.batchId, [line.paymentReference])).get(
    line.paymentReference,
  );
  if (!fresh) throw new ConflictError(`Line ${line.paymentReference} disappeared`);
  return fresh;
}

/** The consequences of a line's recorded outcome, once each; nothing when they are done already. */
async function settleLine(deps: PaymentServiceDeps, line: PaymentLine, now: string): Promise<void> {
  const { outcome, campaignId, householdId, batchId } = line;
  if (!outcome || line.settledOutcome === outcome) return;
  if (outcome === 'FAILED') {
    const coolOff = deps.settings?.failureCoolOffMs;
    const retryAfter = coolOff === undefined ? undefined : new Date(Date.parse(now) + coolOff).toISOString();
    await deps.enrollments.markFailed(campaignId, householdId, batchId, retryAfter);
    crashPoint('results.after-line-enrollment');
    await deps.batches.settleLine(line, 'FAILED');
    return;
  }
  const marked = await deps.enrollments.markPaid(campaignId, householdId, {
    reference: line.paymentReference,
    batchId,
    at: line.paidAt ?? now,
  });
  crashPoint('results.after-line-enrollment');
  if (typeof marked !== 'object') {
    await deps.history.recordPaid(householdId, {
      payeeCnicHash: line.payeeCnicHash,
      paymentReference: line.paymentReference,
      paidAt: line.paidAt ?? now,
    });
  }
  crashPoint('results.after-line-history');
  await deps.batches.settleLine(line, 'PAID', typeof marked === 'object' ? marked.paidUnder : undefined);
}
