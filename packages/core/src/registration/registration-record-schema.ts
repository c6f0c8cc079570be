import * as z from 'zod';
import { DecisionSchema } from '../eligibility/decision.js';
import { LanguageSchema, OutboundSmsSchema } from '../schemas.js';
import type { RegistrationRecord } from './ports.js';

/**
 * A message's registration record as the core knows it. Fields it does not name are kept. A store
 * that keeps the reply or notice shorter extends it with its stored form.
 */
export const RegistrationRecordSchema = z.looseObject({
  messageId: z.string().min(1),
  channel: z.enum(['sms', 'web']),
  from: z.string(),
  receivedAt: z.string(),
  acceptedAt: z.string(),
  command: z.string(),
  cnicHash: z.string().optional(),
  lang: LanguageSchema,
  reference: z.string(),
  decision: DecisionSchema.optional(),
  reply: OutboundSmsSchema.optional(),
  notice: OutboundSmsSchema.optional(),
  tied: z.boolean().optional(),
  forReview: z.boolean().optional(),
}) satisfies z.ZodType<RegistrationRecord>;
