import {
  type Campaign,
  type ImpactPreview,
  NotFoundError,
  previewImpact,
  RuleChangeSchema,
  type RuleSet,
  ValidationError,
} from '@madad/core';
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

/** Households examined at most in one preview (in the request): past it the preview says `truncated`. */
export const PREVIEW_LIMIT = 20_000;
const PAGE_SIZE = 500;
const CAMPAIGN_ID = /^C-[A-Z0-9]{1,40}$/;

export const PreviewQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PREVIEW_LIMIT).default(PREVIEW_LIMIT),
});

/** The campaign to preview, refused past activation's own refusal (a closed campaign). */
export async function campaignToPreview(deps: Pick<ApiDeps, 'campaigns'>, raw: string): Promise<Campaign> {
  const campaign = CAMPAIGN_ID.test(raw) ? await deps.campaigns.get(raw) : undefined;
  if (!campaign) throw new NotFoundError('No such campaign');
  const { revision: _revision, ...rest } = campaign as Campaign & { revision?: number };
  return rest;
}

/** The impact of activating `campaign`, or of changing its rules to `rules`, from the registry. */
export function previewCampaignImpact(
  deps: Pick<ApiDeps, 'areaIndex' | 'enrollmentCaps' | 'enrollments'>,
  campaign: Campaign,
  options: { rules?: Partial<RuleSet>; limit?: number } = {},
): Promise<ImpactPreview> {
  return previewImpact(
    {
      areaIndex: deps.areaIndex,
      caps: deps.enrollmentCaps.caps,
      enrollments: deps.enrollments,
      pageSize: PAGE_SIZE,
    },
    campaign,
    { limit: options.limit ?? PREVIEW_LIMIT, ...(options.rules ? { rules: options.rules } : {}) },
  );
}

/**
 * Impact before commitment: what activating a campaign, or a change of its rules, would do (top-ups
 * and newly eligible households by district and tehsil, the amount against the budget, how many the
 * caps would waitlist). Read only; the emergency cell's, like the actions they preview.
 */
export function campaignPreviewRoutes(deps: ApiDeps): Hono<AppEnv> {
  const cell = requireRoles(deps, 'emergency-cell');
  return new Hono<AppEnv>()
    .get('/api/v1/campaigns/:id/preview', cell, async (c) => {
      const query = PreviewQuerySchema.safeParse(c.req.query());
      if (!query.success) throw new ValidationError(`Query must be ?limit=<1..${PREVIEW_LIMIT}>`);
      const campaign = await campaignToPreview(deps, c.req.param('id'));
      return c.json(await previewCampaignImpact(deps, campaign, { limit: query.data.limit }));
    })
    .post('/api/v1/campaigns/:id/rules/preview', cell, async (c) => {
      const change = RuleChangeSchema.safeParse(await jsonBody(c));
      if (!change.success) {
        const details = change.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new ValidationError('The rules are not valid', details);
      }
      const campaign = await campaignToPreview(deps, c.req.param('id'));
      return c.json(await previewCampaignImpact(deps, campaign, { rules: change.data }));
    });
}
