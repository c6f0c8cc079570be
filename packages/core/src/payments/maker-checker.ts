import { ConflictError, ForbiddenError } from '../errors.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import type { PaymentBatch } from './model.js';

/** A checker may decide a batch only if someone else made it, and only while it is pending. */
export function assertCanDecide(batch: PaymentBatch, checker: string, decision: 'approve' | 'reject'): void {
  if (sameStaffUserId(batch.maker, checker)) {
    throw new ForbiddenError(
      `You made batch ${batch.batchId}; another approver must ${decision} it (maker-checker)`,
    );
  }
  assertPending(batch, decision);
}

/** Whether the batch was approved (and so its lines are final): approved, settled or partly paid. */
export function isApprovedStatus(status: PaymentBatch['status']): boolean {
  return status === 'approved' || status === 'settled' || status === 'partly-paid';
}

/** Approved and rejected batches are final: nothing about them can change. */
export function assertPending(batch: PaymentBatch, action: string): void {
  if (isApprovedStatus(batch.status)) {
    throw new ConflictError(`Batch ${batch.batchId} is approved and can no longer change (${action})`);
  }
  if (batch.status !== 'pending') {
    throw new ConflictError(`Batch ${batch.batchId} is ${batch.status}; only a pending batch can ${action}`);
  }
}

export function assertApproved(batch: PaymentBatch, action: string): void {
  if (!isApprovedStatus(batch.status)) {
    throw new ConflictError(`Batch ${batch.batchId} is ${batch.status}; ${action} needs an approved batch`);
  }
}

export interface BudgetLimits {
  readonly cap: number;
  readonly maxHouseholds: number;
}

/** Reserved (approved and not failed) amounts and households of a campaign, and what was paid. */
export interface BudgetState {
  readonly reserved: number;
  readonly households: number;
  /** PKR disbursed, duplicates included, and households paid (each once). */
  readonly paid: number;
  readonly paidHouseholds: number;
  /** Payments to households already paid under another reference: a flag for staff, money to recover. */
  readonly duplicates: number;
  readonly duplicateAmount: number;
}

export const EMPTY_BUDGET: BudgetState = {
  reserved: 0,
  households: 0,
  paid: 0,
  paidHouseholds: 0,
  duplicates: 0,
  duplicateAmount: 0,
};

export type BudgetCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly remaining: number; readonly remainingHouseholds: number };

/**
 * Whether `amount` for `households` more fits under the campaign's cap: reaching the cap exactly is
 * allowed, one rupee over is not. The DynamoDB ledger enforces the same rule in its condition.
 */
export function checkBudget(
  limits: BudgetLimits,
  state: Pick<BudgetState, 'reserved' | 'households'>,
  request: { readonly amount: number; readonly households: number },
): BudgetCheck {
  const remaining = limits.cap - state.reserved;
  const remainingHouseholds = limits.maxHouseholds - state.households;
  if (request.amount <= remaining && request.households <= remainingHouseholds) return { ok: true };
  return { ok: false, remaining, remainingHouseholds };
}

/** The refusal an approver sees when a batch does not fit. */
export function budgetExceededError(
  batch: Pick<PaymentBatch, 'batchId' | 'total' | 'lineCount'>,
  refused: Extract<BudgetCheck, { ok: false }>,
): ConflictError {
  return new ConflictError(
    `Batch ${batch.batchId} (PKR ${batch.total} for ${batch.lineCount} households) exceeds the campaign ` +
      `budget: PKR ${Math.max(0, refused.remaining)} and ${Math.max(0, refused.remainingHouseholds)} ` +
      'households remain',
    {
      remaining: Math.max(0, refused.remaining),
      remainingHouseholds: Math.max(0, refused.remainingHouseholds),
      requested: batch.total,
      requestedHouseholds: batch.lineCount,
    },
  );
}
