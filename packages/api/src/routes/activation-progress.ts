import { NotFoundError, readActivationProgress } from '@madad/core';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';

/** How far a campaign's activation has come: its work items done, pages and households read. */
export function activationProgressRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps).declare(
    {
      method: 'GET',
      path: '/api/v1/campaigns/:id/activation',
      summary:
        "Progress of a campaign's activation (vertical expansion in work items: items done of planned, pages, households read)",
      access: 'campaigns.watch',
      params: { id: 'campaign' },
      ok: {
        status: 200,
        description: 'Progress',
        body: {
          type: 'application/json',
          description: '{ campaignId, items, itemsDone, pages, households, done, startedAt?, lastPageAt? }',
        },
      },
      errors: [404],
    },
    async (c, _body, p) => {
      if (!deps.activationProgress) throw new NotFoundError('This stack records no activation progress');
      if (!(await deps.campaigns.get(p.id))) throw new NotFoundError(`No campaign ${p.id}`);
      return c.json({
        campaignId: p.id,
        ...(await readActivationProgress({ progress: deps.activationProgress }, p.id)),
      });
    },
  );
}
