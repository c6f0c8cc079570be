import { createHash } from 'node:crypto';
import * as z from 'zod';

/** Where an enrollment stands in the payment flow; kept on the enrollment item for STATUS replies. */
export type PaymentState = 'batched' | 'approved' | 'sent' | 'paid' | 'failed';

/**
 * `building` while the maker claims enrollments, then `pending` until a checker decides. Only a
 * pending batch can be approved or rejected; approval passes through `approving` (the approver is
 * recorded, then budget, ledger and enrollments follow) which any re-run or read completes; an
 * approved batch's lines never change again, and once every line's result is applied it is
 * `settled` (all paid) or `partly-paid` (some failed; a later PAID for those lines settles it).
 */
export type BatchStatus =
  | 'building'
  | 'pending'
  | 'approving'
  | 'approved'
  | 'rejected'
  /** Approved, and every line's result applied: all PAID (`settled`), or some FAILED (`partly-paid`). */
  | 'settled'
  | 'partly-paid';

/** Why a household got no line: no member may be paid (DESIGN.md: a payee is a living, unblocked member known to the ID authority). */
export type HoldReason = 'NO_MEMBERS' | 'NO_VALID_PAYEE';

/** A household left out of a batch because none of its members may be paid; it is never paid so. */
export interface HeldHousehold {
  readonly householdId: string;
  readonly reason: HoldReason;
  /** Members refused, by why: e.g. `{ DECEASED: 1, UNKNOWN_TO_ID_AUTHORITY: 1 }`. */
  readonly refused: Readonly<Record<string, number>>;
}

export type LineOutcome = 'PAID' | 'FAILED';

export const PaymentCategorySchema = z.enum(['TOP_UP', 'NEW_BENEFICIARY']);

/** `POST /api/v1/payment-batches`: what the maker asks for. */
export const CreateBatchRequestSchema = z.strictObject({
  campaignId: z.string().regex(/^C-[A-Z0-9]{1,40}$/, 'Not a campaign id'),
  district: z.string().min(1).max(60).optional(),
  category: PaymentCategorySchema.optional(),
  maxLines: z.number().int().min(1).max(5000).default(1000),
});
export type CreateBatchRequest = z.input<typeof CreateBatchRequestSchema>;

export const RejectBatchRequestSchema = z.strictObject({
  reason: z.string().trim().min(3, 'Give a reason for the rejection').max(500),
});

/** One line of the provider's result file. */
export const PaymentResultSchema = z.strictObject({
  paymentReference: z.string().regex(/^P-[0-9A-Z]{16}$/, 'Not a payment reference'),
  status: z.enum(['PAID', 'FAILED']),
  reason: z.string().max(200).optional(),
  paidAt: z.iso.datetime({ offset: true }).optional(),
});
export type PaymentResult = z.infer<typeof PaymentResultSchema>;

export const PaymentResultsSchema = z.array(PaymentResultSchema).min(1).max(20_000);

export interface StaffActor {
  readonly user: string;
  /** The role under which the action was allowed. */
  readonly role: string;
}

export interface PaymentBatch {
  readonly batchId: string;
  readonly campaignId: string;
  readonly district?: string;
  readonly category?: 'TOP_UP' | 'NEW_BENEFICIARY';
  readonly status: BatchStatus;
  readonly lineCount: number;
  readonly total: number;
  readonly maker: string;
  readonly createdAt: string;
  readonly approvedBy?: string;
  /** The role under which the approver acted, for the ledger entry a resumed approval writes. */
  readonly approverRole?: string;
  readonly approvedAt?: string;
  /** When the batch became `settled` or `partly-paid` (its results all applied). */
  readonly settledAt?: string;
  /**
   * When the payees were re-checked after the claim. Until it is set only the claimant completes the
   * approval (others wait out `APPROVAL_CLAIM_GRACE_MS`, as after a crash), so a refused re-check can
   * put the batch back to pending while nothing is reserved.
   */
  readonly payeesCheckedAt?: string;
  readonly rejectedBy?: string;
  readonly rejectedAt?: string;
  readonly rejectReason?: string;
  /** Households held at creation for want of a valid payee (the first 200), and how many in all. */
  readonly held?: readonly HeldHousehold[];
  readonly heldCount?: number;
}

/** One payment of a batch. The payee's raw CNIC is kept here only, because the bank file needs it. */
export interface PaymentLine {
  readonly batchId: string;
  readonly paymentReference: string;
  readonly campaignId: string;
  readonly householdId: string;
  /** 1 for the first batch a household is in, +1 for each re-batch after a failure. */
  readonly attempt: number;
  readonly category: 'TOP_UP' | 'NEW_BENEFICIARY';
  readonly amount: number;
  readonly district: string;
  readonly payeeCnic: string;
  readonly payeeCnicMasked: string;
  readonly payeeName: string;
  readonly payeeCnicHash: string;
  /** The provider's verdict, once a result file reported it. */
  readonly outcome?: LineOutcome;
  readonly outcomeReason?: string;
  readonly paidAt?: string;
  /** The result import that recorded the outcome, and who uploaded it. */
  readonly outcomeImportId?: string;
  readonly outcomeUploadedBy?: string;
  /** The outcome whose consequences (enrollment, duplicate check) are done; the budget is derived from it. */
  readonly settledOutcome?: LineOutcome;
  /** PAID although the household was paid under this other reference: money to recover. */
  readonly duplicateOf?: string;
  /** A FAILED outcome confirmed final by someone other than its uploader: the household may be re-batched. */
  readonly failureConfirmedBy?: string;
  readonly failureConfirmedAt?: string;
  /** The confirmation that marked it (one ledger entry each), and whether its steps are all done. */
  readonly failureConfirmationId?: string;
  readonly failureConfirmationDone?: boolean;
  /** Set when the payee differs from the one of the household's last payment (that payment's reference). */
  readonly payeeChangedSince?: string;
}

// Crockford base32 without I, L, O, U, like registration references.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The payment reference of a household's `attempt`-th payment in a campaign: stable (a retried batch
 * creation gives the same reference) and different for every re-batch after a failure.
 */
export function paymentReferenceFor(campaignId: string, householdId: string, attempt: number): string {
  const digest = createHash('sha256').update(`${campaignId}|${householdId}|${attempt}`).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[(digest[i] ?? 0) % 32];
  return `P-${out}`;
}

/** What staff see of a batch: the header, and outcome counts when its lines are given. */
export function summariseBatch(batch: PaymentBatch, lines?: readonly PaymentLine[]) {
  if (!lines) return { ...batch };
  const paid = lines.filter((l) => l.outcome === 'PAID');
  return {
    ...batch,
    outcomes: {
      paid: paid.length,
      failed: lines.filter((l) => l.outcome === 'FAILED').length,
      awaiting: lines.filter((l) => !l.outcome).length,
      amountPaid: paid.reduce((sum, l) => sum + l.amount, 0),
      duplicates: lines.filter((l) => l.duplicateOf).length,
      failuresToConfirm: lines.filter((l) => l.outcome === 'FAILED' && !l.failureConfirmedBy).length,
    },
    // What the checker weighs: lines that retry a failed payment, and payees changed since the last one.
    review: {
      retries: lines.filter((l) => l.attempt > 1).length,
      payeeChanges: lines.filter((l) => l.payeeChangedSince).length,
    },
  };
}

/** A line as staff may see it: the CNIC masked. */
export function publicLine(line: PaymentLine) {
  const { payeeCnic: _raw, payeeCnicHash: _hash, ...rest } = line;
  return rest;
}
