import { type Campaign, CampaignInputSchema } from '@madad/core';
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
