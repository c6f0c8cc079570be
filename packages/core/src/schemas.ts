import * as z from 'zod';

/**
 * Languages a household can be answered in: English, Urdu in its own script (`ur`, UCS-2), or Roman
 * Urdu (`ur-Latn`, Urdu in Latin letters, GSM-7). See docs/replies.md for which one a message gets.
 */
export const LanguageSchema = z.enum(['en', 'ur', 'ur-Latn']);
export type Language = z.infer<typeof LanguageSchema>;

/** Languages of the public web pages: English or Urdu script (Roman Urdu is an SMS language). */
export const PageLanguageSchema = z.enum(['en', 'ur']);
export type PageLanguage = z.infer<typeof PageLanguageSchema>;

/** Provider-side message ids: opaque, but never a path or a control character. */
export const MessageIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'messageId may only contain letters, digits and . _ : @ -');

/** `POST /sms/inbound` body, as the SMS aggregator sends it. */
export const InboundSmsSchema = z.object({
  from: z.string().min(3).max(32),
  to: z.string().min(1).max(32),
  // Bounded by the webhook's 16 KiB body, not tighter: a long text is queued and answered (TOO_LONG),
  // so the household hears back instead of the aggregator getting a 400 it cannot act on.
  text: z.string().max(16 * 1024),
  messageId: MessageIdSchema,
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});
export type InboundSms = z.infer<typeof InboundSmsSchema>;

/** One item on the registrations queue: an SMS as received, plus when Madad accepted it. */
export const QueuedSmsSchema = InboundSmsSchema.extend({
  channel: z.literal('sms'),
  acceptedAt: z.iso.datetime({ offset: true }),
});
export type QueuedSms = z.infer<typeof QueuedSmsSchema>;

/** The short questionnaire of the web form, for people the registry does not know. */
export const HouseholdAnswersSchema = z.object({
  size: z.number().int().min(1).max(40),
  children: z.number().int().min(0).max(30),
  assets: z.array(z.enum(['none', 'livestock', 'land', 'motorcycle', 'car', 'tractor', 'shop'])).max(7),
});
export type HouseholdAnswers = z.infer<typeof HouseholdAnswersSchema>;

/** A web registration as queued: already normalized by the API, so the reconciler trusts its shape. */
export const QueuedWebRegistrationSchema = z.object({
  channel: z.literal('web'),
  messageId: MessageIdSchema,
  reference: z.string().regex(/^W[0-9A-Z]{7}$/),
  cnic: z.string().regex(/^[1-7]\d{12}$/),
  phone: z.string().regex(/^\+\d{8,15}$/),
  district: z.string().min(1).max(60),
  tehsil: z.string().min(1).max(60),
  lang: LanguageSchema,
  household: HouseholdAnswersSchema.optional(),
  acceptedAt: z.iso.datetime({ offset: true }),
});
export type QueuedWebRegistration = z.infer<typeof QueuedWebRegistrationSchema>;

export const RegistrationMessageSchema = z.discriminatedUnion('channel', [
  QueuedSmsSchema,
  QueuedWebRegistrationSchema,
]);
export type RegistrationMessage = z.infer<typeof RegistrationMessageSchema>;

/** One item on the outbound queue: a reply to send. `id` is stable, so a redelivered reply is sent once. */
export const OutboundSmsSchema = z.object({
  id: z.string().min(1).max(200),
  to: z.string().min(3).max(32),
  text: z.string().min(1).max(1000),
  lang: LanguageSchema,
  inReplyTo: z.string().max(200).optional(),
  reference: z.string().max(64).optional(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type OutboundSms = z.infer<typeof OutboundSmsSchema>;

/** The most replies one outbound pack carries. */
export const OUTBOUND_PACK_MAX = 500;

/**
 * One item on the outbound queue: the replies of one reconciled batch (or one staff action), handed
 * to the aggregator together; a lone reply is also accepted as is. Retrying a pack re-sends replies
 * already delivered, which the aggregator refuses by id.
 */
export const OutboundPackSchema = z.union([
  z.object({ replies: z.array(OutboundSmsSchema).min(1).max(OUTBOUND_PACK_MAX) }),
  OutboundSmsSchema.transform((reply) => ({ replies: [reply] })),
]);
export type OutboundPack = z.infer<typeof OutboundPackSchema>;

export const StaffRoleSchema = z.enum(['emergency-cell', 'program-officer', 'approver', 'auditor', 'admin']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** One unit of vertical expansion: a page of one district's area index for one campaign. */
export const ActivationWorkSchema = z.object({
  campaignId: z.string().min(1).max(80),
  district: z.string().min(1).max(60),
  /** Only these tehsils of the district; absent: the whole district. */
  tehsils: z.array(z.string().min(1).max(60)).max(50).optional(),
  /** Opaque position in the area index; absent for the first page. */
  cursor: z.string().max(2000).optional(),
  page: z.number().int().min(0),
  /** Only households scored in these hundredths (inclusive); absent: 0 to the threshold. */
  band: z
    .object({ fromCents: z.number().int().min(0).max(10_000), toCents: z.number().int().min(0).max(10_000) })
    .optional(),
  /** Which of the activation's `items` work items this is (its progress is recorded under it). */
  item: z.number().int().min(0).max(100_000).optional(),
  items: z.number().int().min(1).max(100_000).optional(),
});
export type ActivationWork = z.infer<typeof ActivationWorkSchema>;
