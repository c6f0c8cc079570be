import * as z from 'zod';
import { EnrollmentSchema } from '../campaigns/enrollment-schema.js';
import type { PayableEnrollment } from './ports.js';

/** An enrollment as payments read it: the enrollment and where it stands in the payment flow. */
export const PayableEnrollmentSchema = EnrollmentSchema.extend({
  paymentState: z.enum(['batched', 'approved', 'sent', 'paid', 'failed']).optional(),
  batchId: z.string().optional(),
  paymentAttempt: z.number().int().min(0).optional(),
  paidReference: z.string().optional(),
}) satisfies z.ZodType<PayableEnrollment>;
