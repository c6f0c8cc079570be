import { createHash } from 'node:crypto';
import * as z from 'zod';

/** Where an enrollment stands in the payment flow; kept on the enrollment item for STATUS replies. */
export type PaymentState = 'batched' | 'approved' | 'sent' | 'paid' | 'failed';

/**
 * `building` while the maker claims enrollments, then `pending` until a checker decides. Only a
 * pending batch can be approved or rejected; an approved batch never changes again.
 */
export type BatchStatus = 'building' | 'pending' | 'approved' | 'rejected';

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
  readonly approvedAt?: string;
  readonly rejectedBy?: string;
  readonly rejectedAt?: string;
  readonly rejectReason?: string;
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
    },
  };
}

/** A line as staff may see it: the CNIC masked. */
export function publicLine(line: PaymentLine) {
  const { payeeCnic: _raw, payeeCnicHash: _hash, ...rest } = line;
  return rest;
}
