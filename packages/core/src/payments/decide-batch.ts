import { enrollmentKey } from '../campaigns/enrollment-ports.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import { payeeRefusal } from './choose-payee.js';
import { assertCanDecide, budgetExceededError, checkBudget, isApprovedStatus } from './maker-checker.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { PaymentBatch, PaymentLine, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/** A batch still `building` this long after creation was left by a crashed maker; it may be rejected. */
export const STALE_BUILD_MS = 10 * 60 * 1000;

/** How long after its claim an `approving` batch whose payees are not yet re-checked is left to its claimant. */
export const APPROVAL_CLAIM_GRACE_MS = 2 * 60 * 1000;

export async function loadBatch(deps: Pick<PaymentServiceDeps, 'batches'>, batchId: string) {
  const batch = await deps.batches.get(batchId);
  if (!batch) throw new NotFoundError(`No payment batch ${batchId}`);
  return batch;
}

/**
 * A batch as staff read it. An approval interrupted by a crash (`approving`) is completed first, so
 * reading a batch is enough to bring it to its one correct state; a completion refused by the budget
 * puts it back to `pending`, which the reader then sees.
 */
export async function readBatch(deps: PaymentServiceDeps, batchId: string): Promise<PaymentBatch> {
  const batch = await loadBatch(deps, batchId);
  if (batch.status !== 'approving') return batch;
  try {
    return await resumeApproval(deps, batch);
  } catch (error) {
    if (error instanceof ConflictError) return loadBatch(deps, batchId);
    throw error;
  }
}

/**
 * Refuses approval when a line may no longer be paid as it stands: its household was paid or moved
 * meanwhile (a late PAID on an older reference), or its payee is no longer a member who may be paid
 * (a change approved while the batch was made removed or marked them, or the ID authority did).
 */
async function assertLinesStillPayable(deps: PaymentServiceDeps, batch: PaymentBatch, lines: PaymentLine[]) {
  const [enrollments, members] = await Promise.all([
    deps.enrollments.load(lines),
    deps.payees.members(lines.map((l) => l.householdId)),
  ]);
  const stale = lines.filter((l) => {
    const e = enrollments.get(enrollmentKey(l.campaignId, l.householdId));
    return !e || e.batchId !== batch.batchId || e.paymentState === 'paid';
  });
  if (stale.length > 0) {
    throw new ConflictError(
      `${stale.length} households of batch ${batch.batchId} were paid or moved meanwhile; reject it and make a new batch`,
      { households: stale.map((l) => l.householdId).slice(0, 50) },
    );
  }
  const payeeGone = lines.filter((l) => {
    const payee = members.get(l.householdId)?.find((m) => m.cnicHash === l.payeeCnicHash);
    return !payee || payeeRefusal(payee) !== undefined;
  });
  if (payeeGone.length > 0) {
    throw new ConflictError(
      `${payeeGone.length} payees of batch ${batch.batchId} may no longer be paid (removed from the household, deceased, blocked or unknown to the ID authority); reject it and make a new batch`,
      { households: payeeGone.map((l) => l.householdId).slice(0, 50) },
    );
  }
}

/**
 * The checker's approval. The batch first moves from pending to `approving` with the approver
 * recorded (compare-and-set: of two approvers at once, one wins); then the amount is reserved on
 * the campaign budget (idempotent per batch, refused past the cap), the ledger entry is appended
 * (idempotent by action id), the enrollments advance, and the batch becomes `approved`. A crash at
 * any step leaves `approving`, which a re-run by anyone, or a read, completes to the same state.
 */
export async function approvePaymentBatch(
  deps: PaymentServiceDeps,
  batchId: string,
  actor: StaffActor,
): Promise<PaymentBatch> {
  const batch = await loadBatch(deps, batchId);
  if (batch.status === 'approving') return resumeApproval(deps, batch);
  assertCanDecide(batch, actor.user, 'approve');
  const campaign = await deps.campaigns.get(batch.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${batch.campaignId}`);

  const lines = await deps.batches.lines(batchId);
  const approving: PaymentBatch = {
    ...batch,
    status: 'approving',
    approvedBy: actor.user,
    approverRole: actor.role,
    approvedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.batches.transition(batchId, 'pending', approving))) {
    throw new ConflictError(`Batch ${batchId} was decided by someone else meanwhile`);
  }
  crashPoint('approve.after-claim');
  const checked = await checkClaimedPayees(deps, approving, lines);
  crashPoint('approve.after-approving');
  return completeApproval(deps, checked, lines);
}

/** A batch back to `pending`, its approval forgotten (nothing was reserved). */
function pendingAgain(batch: PaymentBatch): PaymentBatch {
  const { approvedBy: _by, approverRole: _role, approvedAt: _at, payeesCheckedAt: _checked, ...rest } = batch;
  return { ...rest, status: 'pending' };
}

/**
 * The payees checked after the claim, not before: a change approved (a death, a removal) before the
 * batch became `approving` is seen by this read, so no checker approves a payee already recorded
 * gone. A refusal puts the batch back to pending; a pass is recorded on the batch before anything is
 * reserved, which is what lets others complete it.
 */
async function checkClaimedPayees(
  deps: PaymentServiceDeps,
  batch: PaymentBatch,
  lines: PaymentLine[],
): Promise<PaymentBatch> {
  try {
    await assertLinesStillPayable(deps, batch, lines);
  } catch (error) {
    if (error instanceof ConflictError)
      await deps.batches.transition(batch.batchId, 'approving', pendingAgain(batch));
    throw error;
  }
  const checked: PaymentBatch = { ...batch, payeesCheckedAt: deps.clock.now().toISOString() };
  if (!(await deps.batches.transition(batch.batchId, 'approving', checked))) {
    throw new ConflictError(`Batch ${batch.batchId} was decided by someone else meanwhile`);
  }
  return checked;
}

/**
 * Completes an `approving` batch found by a re-run or a read. One whose payees are re-checked is
 * completed; one still in its claimant's hands (claimed under `APPROVAL_CLAIM_GRACE_MS` ago) is left
 * to them (409); one older than that was left by a crash, and is re-checked here first.
 */
async function resumeApproval(deps: PaymentServiceDeps, batch: PaymentBatch): Promise<PaymentBatch> {
  if (batch.payeesCheckedAt) return completeApproval(deps, batch);
  const claimedFor = deps.clock.now().getTime() - Date.parse(batch.approvedAt ?? '');
  if (!(claimedFor >= APPROVAL_CLAIM_GRACE_MS)) {
    throw new ConflictError(`Batch ${batch.batchId} is being approved by ${batch.approvedBy}`);
  }
  const lines = await deps.batches.lines(batch.batchId);
  return completeApproval(deps, await checkClaimedPayees(deps, batch, lines), lines);
}

/** The steps after `approving`, each idempotent, in an order that a re-run completes. */
async function completeApproval(
  deps: PaymentServiceDeps,
  batch: PaymentBatch,
  known?: PaymentLine[],
): Promise<PaymentBatch> {
  const { batchId } = batch;
  const campaign = await deps.campaigns.get(batch.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${batch.campaignId}`);
  const limits = { cap: campaign.budgetCap, maxHouseholds: campaign.maxHouseholds };
  const reserved = await deps.budget.reserveBatch(
    batch.campaignId,
    batchId,
    limits,
    batch.total,
    batch.lineCount,
  );
  if (!reserved.ok) {
    // Nothing was reserved: the batch goes back to pending, to be rejected or approved once it fits.
    await deps.batches.transition(batchId, 'approving', pendingAgain(batch));
    const refused = checkBudget(limits, reserved.state, { amount: batch.total, households: batch.lineCount });
    throw budgetExceededError(
      batch,
      refused.ok ? { ok: false, remaining: 0, remainingHouseholds: 0 } : refused,
    );
  }
  crashPoint('approve.after-reserve');
  await deps.audit.append({
    actor: batch.approvedBy ?? 'unknown',
    role: batch.approverRole ?? 'approver',
    action: 'payment-batch.approve',
    subject: `payment-batch/${batchId}`,
    before: { status: 'pending', maker: batch.maker },
    after: { status: 'approved', total: batch.total, lineCount: batch.lineCount },
    actionId: `payment-batch.approve/${batchId}`,
  });
  crashPoint('approve.after-audit');
  const lines = known ?? (await deps.batches.lines(batchId));
  await mapBounded(lines, WRITE_CONCURRENCY, async (l) => {
    await deps.enrollments.advance(l.campaignId, l.householdId, batchId, ['batched'], 'approved');
    crashPoint('approve.after-advance-line');
  });
  crashPoint('approve.after-advance');
  const approved: PaymentBatch = { ...batch, status: 'approved' };
  if (await deps.batches.transition(batchId, 'approving', approved)) return approved;
  // Another run completed it meanwhile (both did the same idempotent steps).
  const now = await loadBatch(deps, batchId);
  if (!isApprovedStatus(now.status)) throw new ConflictError(`Batch ${batchId} is ${now.status}`);
  return now;
}

/**
 * The checker's rejection: the batch is closed and its households are free for another batch. A
 * re-run on a batch this checker rejected completes the release a crash may have interrupted.
 */
export async function rejectPaymentBatch(
  deps: PaymentServiceDeps,
  batchId: string,
  reason: string,
  actor: StaffActor,
): Promise<PaymentBatch> {
  const batch = await loadBatch(deps, batchId);
  let rejected: PaymentBatch;
  if (batch.status === 'rejected' && sameStaffUserId(batch.rejectedBy, actor.user)) {
    rejected = batch;
  } else {
    const abandoned =
      batch.status === 'building' &&
      deps.clock.now().getTime() - Date.parse(batch.createdAt) > STALE_BUILD_MS &&
      !sameStaffUserId(batch.maker, actor.user);
    if (!abandoned) assertCanDecide(batch, actor.user, 'reject');
    rejected = {
      ...batch,
      status: 'rejected',
      rejectedBy: actor.user,
      rejectedAt: deps.clock.now().toISOString(),
      rejectReason: reason,
    };
    if (!(await deps.batches.transition(batchId, batch.status, rejected))) {
      throw new ConflictError(`Batch ${batchId} was decided by someone else meanwhile`);
    }
    crashPoint('reject.after-transition');
  }
  const lines = await deps.batches.lines(batchId);
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.reject',
    subject: `payment-batch/${batchId}`,
    before: { status: batch.status === 'rejected' ? 'pending' : batch.status, maker: batch.maker },
    after: { status: rejected.status, reason: rejected.rejectReason, released: lines.length },
    actionId: `payment-batch.reject/${batchId}`,
  });
  await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
    deps.enrollments.release(l.campaignId, l.householdId, batchId),
  );
  return rejected;
}
