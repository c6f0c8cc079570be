import type { AuditLog } from '../audit/ports.js';
import type { Campaign } from '../campaigns/campaign.js';
import type { Enrollment } from '../campaigns/enrollment-ports.js';
import type { NoticePorts } from '../notifications/ports.js';
import type { Clock } from '../time/clock.js';
import type { BudgetLimits, BudgetState } from './maker-checker.js';
import type { BatchStatus, LineOutcome, PaymentBatch, PaymentLine, PaymentState } from './model.js';
import type { ResultImportStore } from './result-import-model.js';

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
  /**
   * Enrollments not in a batch, or whose failed payment may be retried (the failure confirmed by a
   * second person, or its cool-off over at `now`), and not held at `now`, from the
   * campaign-by-district index.
   */
  unbatched(query: {
    campaignId: string;
    district: string;
    category?: 'TOP_UP' | 'NEW_BENEFICIARY';
    limit: number;
    now: string;
  }): Promise<PayableEnrollment[]>;
  /**
   * The district's enrollments claimed by `batchId` (a read of the district's index: only a batch a
   * crashed maker left `building` is looked up so, to give its claims their lines).
   */
  claimedBy(query: { campaignId: string; district: string; batchId: string }): Promise<PayableEnrollment[]>;
  /** Puts the enrollment in `batchId` unless it is in a batch already (a retryable failure excepted). */
  claim(campaignId: string, householdId: string, batchId: string, now: string): Promise<ClaimResult>;
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
  /**
   * Failed, while still in `batchId` and not paid. Not retryable until {@link confirmFailure}, or,
   * with `retryAfter`, until that time (the configured cool-off).
   */
  markFailed(campaignId: string, householdId: string, batchId: string, retryAfter?: string): Promise<boolean>;
  /**
   * Holds an unpaid enrollment out of batches until `hold.until` (its payee may not be paid), so held
   * households never crowd out payable ones; a batch made after that re-checks it. Claiming clears it.
   */
  hold(
    campaignId: string,
    householdId: string,
    hold: { reason: string; at: string; until: string },
  ): Promise<void>;
  /** Makes a failure in `batchId` retryable: someone other than the uploader confirmed it. */
  confirmFailure(campaignId: string, householdId: string, batchId: string, by: string): Promise<boolean>;
}

/** A household member who may receive the payment, as the registry keeps them. */
export interface PayeeCandidate {
  readonly cnicHash: string;
  readonly cnic: string;
  readonly cnicMasked: string;
  readonly name: string;
  readonly relation: string;
  readonly gender: 'male' | 'female';
  /** Marked deceased in the household (an approved change request). */
  readonly deceased?: boolean;
  /** The ID authority's status of the CNIC; undefined when it does not know the CNIC. */
  readonly identityStatus?: 'ALIVE' | 'DECEASED' | 'BLOCKED';
}

export interface PayeeDirectory {
  /**
   * Members of each household with the ID authority's status of each, read in batches (never one
   * call per household).
   */
  members(householdIds: readonly string[]): Promise<Map<string, PayeeCandidate[]>>;
}

/** The last payment made to a household, whichever campaign paid it. */
export interface LastPayment {
  readonly payeeCnicHash: string;
  readonly paymentReference: string;
  readonly paidAt: string;
}

/** Who each household was last paid to, so a checker sees a payee changed since. */
export interface PaymentHistory {
  lastPaid(householdIds: readonly string[]): Promise<Map<string, LastPayment>>;
  /** Idempotent; an older payment never replaces a newer one. */
  recordPaid(householdId: string, payment: LastPayment): Promise<void>;
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
    next: { outcome: LineOutcome; reason?: string; paidAt?: string; importId: string; uploadedBy: string },
  ): Promise<boolean>;
  /** Marks the consequences of the line's `outcome` done, while the line still has that outcome. */
  settleLine(line: PaymentLine, outcome: LineOutcome, duplicateOf?: string): Promise<boolean>;
  /** Records who confirmed a FAILED line final, under which confirmation, while it is FAILED and unconfirmed. */
  confirmFailure(line: PaymentLine, confirmation: { by: string; at: string; id: string }): Promise<boolean>;
  /** Marks a confirmed failure's enrollment and ledger steps done. */
  completeFailureConfirmation(line: PaymentLine): Promise<void>;
}

/** What a batch's settled lines add to the campaign budget, derived from the lines alone. */
export interface BatchSettlement {
  /** PKR disbursed (PAID lines, duplicates included) and households paid (duplicates excluded). */
  readonly paid: number;
  readonly paidHouseholds: number;
  /** Reservations given back by FAILED lines. */
  readonly released: number;
  readonly releasedHouseholds: number;
  /** PAID lines for households already paid under another reference, and their amount. */
  readonly duplicates: number;
  readonly duplicateAmount: number;
}

export interface BudgetLedger {
  /**
   * Reserves a batch's amount in one conditional write that refuses it past the cap or the
   * household maximum. Idempotent: the batch id is recorded on the budget item in the same write,
   * and a batch already recorded is `ok` without a second reservation.
   */
  reserveBatch(
    campaignId: string,
    batchId: string,
    limits: BudgetLimits,
    amount: number,
    households: number,
  ): Promise<{ ok: true } | { ok: false; state: BudgetState }>;
  /** What the budget holds for a batch's settlement, with its version (0 when nothing yet). */
  settlement(campaignId: string, batchId: string): Promise<{ version: number; totals?: BatchSettlement }>;
  /**
   * Replaces the batch's settlement with `totals` and moves the campaign counters by the difference,
   * if the settlement is still at `version` (compare-and-set); false otherwise.
   */
  settle(campaignId: string, batchId: string, version: number, totals: BatchSettlement): Promise<boolean>;
  read(campaignId: string): Promise<BudgetState>;
}

/** The ports of the payment service, grouped as `ApiDeps.payments`. */
export interface PaymentPorts {
  readonly batches: PaymentBatchStore;
  readonly enrollments: PaymentEnrollments;
  readonly payees: PayeeDirectory;
  readonly budget: BudgetLedger;
  readonly imports: ResultImportStore;
  readonly history: PaymentHistory;
}

/** Settings of the payment flows (read once from the environment by `paymentSettingsFromEnv`). */
export interface PaymentSettings {
  /**
   * How long after a FAILED result its household may be re-batched without a second person's
   * confirmation; undefined (the default) means confirmation is always required.
   */
  readonly failureCoolOffMs?: number;
}

export interface PaymentServiceDeps extends PaymentPorts {
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly settings?: PaymentSettings;
  /** The households' SMS when a payment is sent, paid or failed; absent: none are sent. */
  readonly notices?: NoticePorts;
}
