import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ForbiddenError, ValidationError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import { loadBatch } from './decide-batch.js';
import { assertApproved } from './maker-checker.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
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
  if (line.failureConfirmedBy) return `already confirmed by ${line.failureConfirmedBy}`;
  if (line.outcomeUploadedBy && sameStaffUserId(line.outcomeUploadedBy, actor)) {
    return 'you uploaded this result; another staff member must confirm it';
  }
  return undefined;
}

/**
 * Confirms FAILED lines final, so their households may go into another batch: until then a late
 * PAID on the old reference cannot meet a second payment. The confirmer must not be the person who
 * uploaded the result. Each line records the confirmation (its id names the ledger entry), then its
 * enrollment is released for re-batching, the ledger entry appended, and the line marked done; a
 * confirmation a crash interrupted is completed by the next call for the batch, by anyone.
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
    : lines
        .filter((l) => l.outcome === 'FAILED' && l.settledOutcome === 'FAILED' && !l.failureConfirmedBy)
        .map((l) => l.paymentReference);

  const refused: { paymentReference: string; reason: string }[] = [];
  const confirm: PaymentLine[] = [];
  for (const reference of wanted) {
    const line = byReference.get(reference);
    const why = refusal(line, actor.user);
    if (why || !line) refused.push({ paymentReference: reference, reason: why ?? 'unknown' });
    else confirm.push(line);
  }
  const unfinished = lines.filter((l) => l.failureConfirmationId && !l.failureConfirmationDone);
  if (confirm.length === 0 && unfinished.length === 0) {
    if (refused.some((r) => r.reason.startsWith('you uploaded'))) {
      throw new ForbiddenError('You uploaded these results; another staff member must confirm the failures', {
        refused: refused.slice(0, 50),
      });
    }
    throw new ValidationError(`Batch ${batchId} has no failure to confirm`, {
      refused: refused.slice(0, 50),
    });
  }

  const at = deps.clock.now().toISOString();
  const sortedReferences = confirm.map((l) => l.paymentReference).sort();
  const id = createHash('sha256')
    .update(`${actor.user}|${sortedReferences.join(',')}`)
    .digest('hex')
    .slice(0, 16);
  const marked = await mapBounded(confirm, WRITE_CONCURRENCY, async (line) => {
    const ok = await deps.batches.confirmFailure(line, { by: actor.user, at, id });
    crashPoint('failure-confirm.after-line');
    return ok
      ? { ...line, failureConfirmedBy: actor.user, failureConfirmedAt: at, failureConfirmationId: id }
      : undefined;
  });
  const pending = [...unfinished, ...marked.filter((l): l is NonNullable<typeof l> => l !== undefined)];
  await completeConfirmations(deps, batchId, pending, actor.role);
  return {
    batchId,
    confirmed: pending.map((l) => l.paymentReference).sort(),
    refused,
  };
}

/** The steps after a line records its confirmation: the enrollment, one ledger entry per confirmation, done. */
async function completeConfirmations(
  deps: PaymentServiceDeps,
  batchId: string,
  pending: readonly PaymentLine[],
  role: string,
) {
  await mapBounded(pending, WRITE_CONCURRENCY, async (line) => {
    await deps.enrollments.confirmFailure(
      line.campaignId,
      line.householdId,
      batchId,
      line.failureConfirmedBy ?? '',
    );
    crashPoint('failure-confirm.after-enrollment');
  });
  const byConfirmation = new Map<string, PaymentLine[]>();
  for (const line of pending) {
    const id = line.failureConfirmationId ?? '';
    byConfirmation.set(id, [...(byConfirmation.get(id) ?? []), line]);
  }
  for (const [id, confirmed] of byConfirmation) {
    await deps.audit.append({
      actor: confirmed[0]?.failureConfirmedBy ?? 'unknown',
      role,
      action: 'payment-line.failure-confirm',
      subject: `payment-batch/${batchId}`,
      after: {
        confirmed: confirmed.length,
        references: confirmed
          .map((l) => l.paymentReference)
          .sort()
          .slice(0, 100),
      },
      actionId: `payment-line.failure-confirm/${batchId}/${id}`,
    });
  }
  crashPoint('failure-confirm.after-audit');
  await mapBounded(pending, WRITE_CONCURRENCY, (line) => deps.batches.completeFailureConfirmation(line));
}
