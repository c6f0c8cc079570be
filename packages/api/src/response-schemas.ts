import { type AuditEntry, type Campaign, CampaignInputSchema, type ChainVerdict } from '@madad/core';
import * as z from 'zod';

const { nameUr: _required, ...declared } = CampaignInputSchema.shape;

/** A campaign as the API returns it: what was declared, and what the system keeps about it. */
export const CampaignSchema = z.object({
  ...declared,
  nameUr: z.string().optional().describe('The name in Urdu script (absent on campaigns older than issue 15)'),
  campaignId: z.string().regex(/^C-[A-Z0-9]{1,40}$/),
  status: z.enum(['draft', 'active', 'closed']),
  ruleSetVersion: z.string().describe('`<campaignId>/v<n>`: stored on every decision taken under it'),
  createdBy: z.string(),
  createdAt: z.string(),
  activatedAt: z.string().optional(),
  closedAt: z.string().optional(),
  capShards: z.number().int().optional(),
  limitsRevision: z.number().int().optional(),
});

/** The document cannot drift from the core's `Campaign`: this fails to compile when they differ. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const campaignSchemaMatchesCore: Same<z.output<typeof CampaignSchema>, Campaign> = true;

export const CampaignListSchema = z.object({ items: z.array(CampaignSchema) });

/** An entry of the audit ledger: who did what to which subject, before and after, chained by MAC. */
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string().describe('The stable user id'),
  role: z.string(),
  action: z.string().describe('e.g. campaign.create, payment-batch.approve, household.read-raw'),
  subject: z.string().describe('e.g. payment-batch/B-1234ABCD'),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  actionId: z.string().optional(),
  prevHash: z.string(),
  hash: z.string(),
});
/** Every entry the core writes is described by the schema (actions are a closed list in the core). */
export const auditEntrySchemaCoversCore: [AuditEntry] extends [z.output<typeof AuditEntrySchema>]
  ? true
  : false = true;
export const AuditPageSchema = z.object({
  items: z.array(AuditEntrySchema),
  next: z.number().int().optional().describe('The seq to ask for next; absent on the last page'),
});

/** `GET /api/v1/audit/verify`: the chain holds (up to the anchored seq), or where it breaks and why. */
export const ChainVerdictSchema = z.union([
  z.object({ ok: z.literal(true), count: z.number().int(), anchoredSeq: z.number().int().optional() }),
  z.object({
    ok: z.literal(false),
    brokenSeq: z.number().int(),
    reason: z.string(),
    count: z.number().int(),
  }),
]);
export const chainVerdictSchemaMatchesCore: Same<z.output<typeof ChainVerdictSchema>, ChainVerdict> = true;
