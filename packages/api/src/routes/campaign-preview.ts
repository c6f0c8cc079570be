import {
  type Campaign,
  type ImpactPreview,
  NotFoundError,
  previewImpact,
  RuleChangeSchema,
  type RuleSet,
  ValidationError,
} from '@madad/core';
import * as z from 'zod';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { ID_PATTERNS } from '../path-ids.js';

/** Households examined at most in one preview (in the request): past it the preview says `truncated`. */
export const PREVIEW_LIMIT = 20_000;
const PAGE_SIZE = 500;
const json = (description: string) => ({ type: 'application/json', description });

export const PreviewQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PREVIEW_LIMIT).default(PREVIEW_LIMIT),
});

/** The campaign to preview, refused past activation's own refusal (a closed campaign). */
export async function campaignToPreview(deps: Pick<ApiDeps, 'campaigns'>, raw: string): Promise<Campaign> {
  const campaign = ID_PATTERNS.campaign.test(raw) ? await deps.campaigns.get(raw) : undefined;
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
export function campaignPreviewRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/campaigns/:id/preview',
        summary:
          'Impact of activating: top-ups and newly eligible households by district and tehsil, the amount against the budget, how many the caps would waitlist',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        query: {
          limit: {
            description: `Households examined at most (1..${PREVIEW_LIMIT}); past it the preview is truncated`,
            schema: PreviewQuerySchema.shape.limit,
          },
        },
        ok: {
          status: 200,
          description: 'The preview',
          body: json('ImpactPreview: areas, topUps, newlyEligible, budget, activation, registrations'),
        },
        errors: [400, 404],
      },
      async (c, _body, p) => {
        const query = PreviewQuerySchema.safeParse(c.req.query());
        if (!query.success) throw new ValidationError(`Query must be ?limit=<1..${PREVIEW_LIMIT}>`);
        const campaign = await campaignToPreview(deps, p.id);
        return c.json(await previewCampaignImpact(deps, campaign, { limit: query.data.limit }));
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/campaigns/:id/rules/preview',
        summary:
          'Impact of a rules change (the same body as PATCH .../rules), computed as an activation under those rules',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        body: RuleChangeSchema,
        ok: { status: 200, description: 'The preview', body: json('ImpactPreview under the proposed rules') },
        errors: [400, 404],
      },
      async (c, rules, p) => {
        const campaign = await campaignToPreview(deps, p.id);
        return c.json(await previewCampaignImpact(deps, campaign, { rules }));
      },
    );
}
