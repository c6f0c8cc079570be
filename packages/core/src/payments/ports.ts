import type { Campaign } from '../campaign.js';
import type { Clock, Enrollment } from '../ports.js';
import { type AuditEntry, type AuditInput, verifyChain } from './audit-ledger.js';
import type { BudgetLimits, BudgetState } from './maker-checker.js';
import type { BatchStatus, LineOutcome, PaymentBatch, PaymentLine, PaymentState } from './model.js';

/** An enrollment with where it stands in the payment flow. */
export interface PayableEnrollment extends Enrollment {
  readonly paymentState?: PaymentState;
  readonly batchId?: string;
  readonly paymentAttempt?: number;
  readonly paidReference?: string;
}

export type ClaimResult = { readonly claimed: true; readonly attempt: number } | { readonly claimed: false };

export type MarkPaidResult = 'marked' | 'already' | { readonly paidUnder: string };

/**
 * Enrollments as payments see them. Every write is conditional on the enrollment item itself, so
 * that two makers at once never put one enrollment in two open batches.
 */
export interface PaymentEnrollments {
  /** Enrollments not in a batch (or whose payment failed), from the campaign-by-district index. */
  unbatched(query: {
    campaignId: string;
    district: string;
    category?: 'TOP_UP' | 'NEW_BENEFICIARY';
    limit: number;
  }): Promise<PayableEnrollment[]>;
  /** Puts the enrollment in `batchId` unless it is in a batch already (a failed one excepted). */
  claim(campaignId: string, householdId: string, batchId: string): Promise<ClaimResult>;
  /** The enrollments behind these lines, read in one batch. */
  load(
    pairs: readonly { campaignId: string; householdId: string }[],
  ): Promise<Map<string, PayableEnrollment>>;
  /** Takes it out of `batchId` again (a rejection), so another batch may claim it. */
  release(campaignId: string, householdId: string, batchId: string): Promise<void>;
  /** Moves the payment state forward while the enrollment is still in `batchId` and in `from`. */
  advance(
    campaignId: string,
    householdId: string,
    batchId: string,
    from: readonly PaymentState[],
    to: PaymentState,
  ): Promise<boolean>;
  /** Paid under `reference` unless already paid under another reference (then that one is returned). */
  markPaid(
    campaignId: string,
    householdId: string,
    paid: { reference: string; batchId: string; at: string },
  ): Promise<MarkPaidResult>;
  /** Failed, while still in `batchId` and not paid. */
  markFailed(campaignId: string, householdId: string, batchId: string): Promise<boolean>;
}

/** A household member who may receive the payment, as the registry keeps them. */
export interface PayeeCandidate {
  readonly cnicHash: string;
  readonly cnic: string;
  readonly cnicMasked: string;
  readonly name: string;
  readonly relation: string;
  readonly gender: 'male' | 'female';
}

export interface PayeeDirectory {
  /** Members of each household, read in batches (never one call per household). */
  members(householdIds: readonly string[]): Promise<Map<string, PayeeCandidate[]>>;
}

export interface PaymentBatchStore {
  /** Conditional create of the header. */
  create(batch: PaymentBatch): Promise<void>;
  putLines(lines: readonly PaymentLine[]): Promise<void>;
  get(batchId: string): Promise<PaymentBatch | undefined>;
  lines(batchId: string): Promise<PaymentLine[]>;
  /** The batch's lines for these references; a reference of another batch is simply absent. */
  linesByReference(batchId: string, references: readonly string[]): Promise<Map<string, PaymentLine>>;
  /** Compare-and-set on the status: false when the batch was no longer in `from`. */
  transition(batchId: string, from: BatchStatus, to: PaymentBatch): Promise<boolean>;
  listByCampaign(campaignId: string): Promise<PaymentBatch[]>;
  /** Compare-and-set on a line's outcome (`expected` undefined: none recorded yet). */
  recordOutcome(
    line: PaymentLine,
    expected: LineOutcome | undefined,
    next: { outcome: LineOutcome; reason?: string; paidAt?: string },
  ): Promise<boolean>;
}

export interface BudgetLedger {
  /** Single-item conditional reservation; the state that refused it otherwise. */
  reserve(
    campaignId: string,
    limits: BudgetLimits,
    amount: number,
    households: number,
  ): Promise<{ ok: true } | { ok: false; state: BudgetState }>;
  /** Unconditional counter changes (a failure gives its reservation back; a payment is counted). */
  adjust(campaignId: string, delta: Partial<BudgetState>): Promise<void>;
  read(campaignId: string): Promise<BudgetState>;
}

/** Append-only, hash-chained ledger of staff decisions. */
export interface AuditLog {
  append(input: AuditInput): Promise<AuditEntry>;
  /** Entries from seq `from` on, in order. */
  list(from: number, limit: number): Promise<AuditEntry[]>;
  /** The last link the ledger recorded, undefined before the first entry. */
  head(): Promise<Pick<AuditEntry, 'seq' | 'hash'> | undefined>;
}

/** Reads the whole ledger page by page and checks its chain against the recorded head. */
export async function verifyLedger(audit: Pick<AuditLog, 'list' | 'head'>, pageSize = 1000) {
  const head = await audit.head();
  const entries: AuditEntry[] = [];
  for (;;) {
    const page = await audit.list((entries.at(-1)?.seq ?? 0) + 1, pageSize);
    entries.push(...page);
    if (page.length < pageSize) break;
  }
  return verifyChain(entries, head);
}

/** The ports of the payment service, grouped as `ApiDeps.payments`. */
export interface PaymentPorts {
  readonly batches: PaymentBatchStore;
  readonly enrollments: PaymentEnrollments;
  readonly payees: PayeeDirectory;
  readonly budget: BudgetLedger;
}

export interface PaymentServiceDeps extends PaymentPorts {
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly audit: AuditLog;
  readonly clock: Clock;
}
