import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ForbiddenError, ValidationError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import { WRITE_CONCURRENCY } from './create-batch.js';
import { loadBatch } from './decide-batch.js';
import { assertApproved, sameStaffUser } from './maker-checker.js';
import { mapBounded } from './map-bounded.js';
import type { PaymentLine, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/** `POST /api/v1/payment-batches/:id/failures/confirm`: which FAILED lines (all of them when omitted). */
export const ConfirmFailuresRequestSchema = z.strictObject({
  references: z
    .array(z.string().regex(/^P-[0-9A-Z]{16}$/, 'Not a payment reference'))
    .min(1)
    .max(5000)
    .optional(),
});

export interface FailureConfirmation {
  readonly batchId: string;
  readonly confirmed: readonly string[];
  readonly refused: readonly { paymentReference: string; reason: string }[];
}

function refusal(line: PaymentLine | undefined, actor: string): string | undefined {
  if (!line) return 'not a line of this batch';
  if (line.outcome !== 'FAILED') return line.outcome ? `it is ${line.outcome}` : 'no result yet';
  if (line.settledOutcome !== 'FAILED') return 'its result is still being applied';
  if (!line.failureConfirmedBy && line.outcomeUploadedBy && sameStaffUser(line.outcomeUploadedBy, actor)) {
    return 'you uploaded this result; another staff member must confirm it';
  }
  return undefined;
}

/**
 * Confirms FAILED lines final, so their households may go into another batch: until then a late
 * PAID on the old reference cannot meet a second payment. The confirmer must not be the person who
 * uploaded the result. Each line is marked, then its enrollment, both idempotently, so a re-run
 * after a crash completes it.
 */
export async function confirmPaymentFailures(
  deps: PaymentServiceDeps,
  batchId: string,
  references: readonly string[] | undefined,
  actor: StaffActor,
): Promise<FailureConfirmation> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'confirming failures');
  const lines = await deps.batches.lines(batchId);
  const byReference = new Map(lines.map((l) => [l.paymentReference, l]));
  const wanted = references
    ? [...new Set(references)]
    : lines.filter((l) => l.outcome === 'FAILED' && !l.failureConfirmedBy).map((l) => l.paymentReference);
  if (wanted.length === 0) throw new ValidationError(`Batch ${batchId} has no failure to confirm`);

  const refused: { paymentReference: string; reason: string }[] = [];
  const confirm: PaymentLine[] = [];
  for (const reference of wanted) {
    const line = byReference.get(reference);
    const why = refusal(line, actor.user);
    if (why || !line) refused.push({ paymentReference: reference, reason: why ?? 'unknown' });
    else confirm.push(line);
  }
  if (confirm.length === 0 && refused.some((r) => r.reason.startsWith('you uploaded'))) {
    throw new ForbiddenError('You uploaded these results; another staff member must confirm the failures', {
      refused: refused.slice(0, 50),
    });
  }
  const at = deps.clock.now().toISOString();
  const done = await mapBounded(confirm, WRITE_CONCURRENCY, async (line) => {
    const by = line.failureConfirmedBy ?? actor.user;
    if (!line.failureConfirmedBy && !(await deps.batches.confirmFailure(line, by, at))) return undefined;
    crashPoint('failure-confirm.after-line');
    await deps.enrollments.confirmFailure(line.campaignId, line.householdId, batchId, by);
    return line.paymentReference;
  });
  const confirmed = done.filter((r): r is string => r !== undefined);
  const digest = createHash('sha256').update(confirmed.sort().join(',')).digest('hex').slice(0, 16);
  if (confirmed.length > 0) {
    await deps.audit.append({
      actor: actor.user,
      role: actor.role,
      action: 'payment-line.failure-confirm',
      subject: `payment-batch/${batchId}`,
      after: { confirmed: confirmed.length, references: confirmed.slice(0, 100) },
      actionId: `payment-line.failure-confirm/${batchId}/${digest}`,
    });
  }
  return { batchId, confirmed, refused };
}
