import { ConflictError, NotFoundError } from '../errors.js';
import { enrollmentKey } from '../ports.js';
import { WRITE_CONCURRENCY } from './create-batch.js';
import { assertCanDecide, budgetExceededError, checkBudget } from './maker-checker.js';
import { mapBounded } from './map-bounded.js';
import type { PaymentBatch, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/** A batch still `building` this long after creation was left by a crashed maker; it may be rejected. */
export const STALE_BUILD_MS = 10 * 60 * 1000;

export async function loadBatch(deps: Pick<PaymentServiceDeps, 'batches'>, batchId: string) {
  const batch = await deps.batches.get(batchId);
  if (!batch) throw new NotFoundError(`No payment batch ${batchId}`);
  return batch;
}

/**
 * The checker's approval. The amount is reserved against the campaign budget first, in one
 * conditional write that refuses it if the cap or the household maximum would be exceeded; then the
 * batch moves from pending to approved (compare-and-set), after which it never changes.
 */
export async function approvePaymentBatch(
  deps: PaymentServiceDeps,
  batchId: string,
  actor: StaffActor,
): Promise<PaymentBatch> {
  const batch = await loadBatch(deps, batchId);
  assertCanDecide(batch, actor.user, 'approve');
  const campaign = await deps.campaigns.get(batch.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${batch.campaignId}`);

  // A household paid meanwhile (a late PAID on a reference reported FAILED before) must not be paid again.
  const lines = await deps.batches.lines(batchId);
  const enrollments = await deps.enrollments.load(lines);
  const stale = lines.filter((l) => {
    const e = enrollments.get(enrollmentKey(l.campaignId, l.householdId));
    return !e || e.batchId !== batchId || e.paymentState === 'paid';
  });
  if (stale.length > 0) {
    throw new ConflictError(
      `${stale.length} households of batch ${batchId} were paid or moved meanwhile; reject it and make a new batch`,
      { households: stale.map((l) => l.householdId).slice(0, 50) },
    );
  }

  const limits = { cap: campaign.budgetCap, maxHouseholds: campaign.maxHouseholds };
  const reserved = await deps.budget.reserve(batch.campaignId, limits, batch.total, batch.lineCount);
  if (!reserved.ok) {
    const refused = checkBudget(limits, reserved.state, { amount: batch.total, households: batch.lineCount });
    throw budgetExceededError(
      batch,
      refused.ok ? { ok: false, remaining: 0, remainingHouseholds: 0 } : refused,
    );
  }
  const approved: PaymentBatch = {
    ...batch,
    status: 'approved',
    approvedBy: actor.user,
    approvedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.batches.transition(batchId, 'pending', approved))) {
    await deps.budget.adjust(batch.campaignId, { reserved: -batch.total, households: -batch.lineCount });
    throw new ConflictError(`Batch ${batchId} was decided by someone else meanwhile`);
  }
  await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
    deps.enrollments.advance(l.campaignId, l.householdId, batchId, ['batched'], 'approved'),
  );
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.approve',
    subject: `payment-batch/${batchId}`,
    before: { status: batch.status, maker: batch.maker },
    after: { status: approved.status, total: batch.total, lineCount: batch.lineCount },
  });
  return approved;
}

/** The checker's rejection: the batch is closed and its households are free for another batch. */
export async function rejectPaymentBatch(
  deps: PaymentServiceDeps,
  batchId: string,
  reason: string,
  actor: StaffActor,
): Promise<PaymentBatch> {
  const batch = await loadBatch(deps, batchId);
  const abandoned =
    batch.status === 'building' &&
    deps.clock.now().getTime() - Date.parse(batch.createdAt) > STALE_BUILD_MS &&
    batch.maker !== actor.user;
  if (!abandoned) assertCanDecide(batch, actor.user, 'reject');
  const rejected: PaymentBatch = {
    ...batch,
    status: 'rejected',
    rejectedBy: actor.user,
    rejectedAt: deps.clock.now().toISOString(),
    rejectReason: reason,
  };
  if (!(await deps.batches.transition(batchId, batch.status, rejected))) {
    throw new ConflictError(`Batch ${batchId} was decided by someone else meanwhile`);
  }
  const lines = await deps.batches.lines(batchId);
  await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
    deps.enrollments.release(l.campaignId, l.householdId, batchId),
  );
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.reject',
    subject: `payment-batch/${batchId}`,
    before: { status: batch.status, maker: batch.maker },
    after: { status: rejected.status, reason, released: lines.length },
  });
  return rejected;
}
