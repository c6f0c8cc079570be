/** Where a household's payment stands, as a reply tells it (the reply contract's `payment`). */
export type HouseholdPaymentStage = 'IN_BATCH' | 'APPROVED' | 'SENT' | 'PAID' | 'FAILED' | 'RETRYING';

/** The payment fields an enrollment item carries once payment batches have touched it. */
export interface EnrollmentPaymentFields {
  readonly paymentState?: string;
  readonly paymentAttempt?: number;
  readonly failureConfirmedBy?: string;
  readonly retryAfter?: string;
}

/**
 * The stage of the household's payment from its enrollment, the item every batch, approval and
 * result import updates: one reading for SMS STATUS, the web status page and notifications. A
 * failure becomes RETRYING once it may go into another batch (confirmed final by a second person,
 * or a cool-off is set), and stays RETRYING while that next batch is being built.
 */
export function paymentStageOf(
  enrollment: EnrollmentPaymentFields | undefined,
): HouseholdPaymentStage | undefined {
  switch (enrollment?.paymentState) {
    case 'batched':
      return (enrollment.paymentAttempt ?? 1) > 1 ? 'RETRYING' : 'IN_BATCH';
    case 'approved':
      return 'APPROVED';
    case 'sent':
      return 'SENT';
    case 'paid':
      return 'PAID';
    case 'failed':
      return enrollment.failureConfirmedBy || enrollment.retryAfter ? 'RETRYING' : 'FAILED';
    default:
      return undefined;
  }
}
