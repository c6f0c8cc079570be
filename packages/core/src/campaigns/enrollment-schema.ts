import * as z from 'zod';
import { LanguageSchema } from '../schemas.js';
import type { Enrollment } from './enrollment-ports.js';

/**
 * An enrollment as stored: what it must hold to be read as one. Fields it does not name (a payment's
 * state, an index key) are kept, for the reader that knows them.
 */
export const EnrollmentSchema = z.looseObject({
  campaignId: z.string().min(1),
  householdId: z.string().min(1),
  messageId: z.string(),
  reference: z.string(),
  cnicHash: z.string(),
  category: z.enum(['TOP_UP', 'NEW_BENEFICIARY']),
  amount: z.number(),
  district: z.string(),
  tehsil: z.string(),
  ruleSetVersion: z.string(),
  channel: z.enum(['sms', 'web', 'vertical']),
  enrolledAt: z.string(),
  capState: z.enum(['reserving', 'enrolled', 'waitlisted']).optional(),
  capShard: z.number().int().min(0).optional(),
  claimId: z.string().optional(),
  notify: z.object({ phone: z.string(), lang: LanguageSchema }).optional(),
}) satisfies z.ZodType<Enrollment>;
