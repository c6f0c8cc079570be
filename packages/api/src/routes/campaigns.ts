import {
  activateCampaign,
  CampaignInputSchema,
  campaignFigures,
  changeLimits,
  changeRules,
  closeCampaign,
  createCampaign,
  LimitChangeSchema,
  NotFoundError,
  RuleChangeSchema,
  replayProgressOf,
  startReplay,
} from '@madad/core';
import type { Context } from 'hono';
import * as z from 'zod';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { previewReplay } from '../replay-service.js';
import { CampaignListSchema, CampaignSchema } from '../response-schemas.js';
import { summariseStats } from '../stats-summary.js';

export const ReplayRequestSchema = z.strictObject({
  apply: z.boolean().default(false),
  limit: z.number().int().min(1).max(100_000).default(20_000),
});

/** The signed-in user and the role the ledger records them acting in (the cell's, else their first). */
function actorOf(c: Context<AppEnv>): [user: string, role: string] {
  const { user, roles } = c.get('principal');
  return [user, roles.includes('emergency-cell') ? 'emergency-cell' : (roles[0] ?? 'admin')];
}

const CAMPAIGN = CampaignSchema;
const json = (description: string) => ({ type: 'application/json', description });

/** The emergency cell declares, activates and closes campaigns; staff watch them. */
export function campaignRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'POST',
        path: '/api/v1/campaigns',
        summary: 'Declare a campaign (draft)',
        access: 'campaigns.run',
        body: CampaignInputSchema,
        ok: { status: 201, description: 'The campaign', body: CAMPAIGN },
        errors: [400],
      },
      async (c, input) => c.json(await createCampaign(deps, input, ...actorOf(c)), 201),
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/campaigns',
        summary: 'List campaigns',
        access: 'campaigns.watch',
        ok: { status: 200, description: 'Campaigns', body: CampaignListSchema },
      },
      async (c) => c.json({ items: await deps.campaigns.list() }),
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/campaigns/:id',
        summary: 'Read a campaign',
        access: 'campaigns.watch',
        params: { id: 'campaign' },
        ok: { status: 200, description: 'The campaign', body: CAMPAIGN },
        errors: [404],
      },
      async (c, _body, p) => {
        const campaign = await deps.campaigns.get(p.id);
        if (!campaign) throw new NotFoundError('No such campaign');
        return c.json(campaign);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/campaigns/:id/activate',
        summary: 'Activate a campaign (queues its vertical expansion)',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        ok: { status: 200, description: 'The campaign', body: CAMPAIGN },
        errors: [404, 409],
      },
      async (c, _body, p) => c.json(await activateCampaign(deps, p.id, ...actorOf(c))),
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/campaigns/:id/close',
        summary: 'Close a campaign',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        ok: { status: 200, description: 'The campaign', body: CAMPAIGN },
        errors: [404, 409],
      },
      async (c, _body, p) => c.json(await closeCampaign(deps, p.id, ...actorOf(c))),
    )
    .declare(
      {
        method: 'PATCH',
        path: '/api/v1/campaigns/:id/rules',
        summary: 'Change the rules (a new rule-set version)',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        body: RuleChangeSchema,
        ok: { status: 200, description: 'The campaign', body: CAMPAIGN },
        errors: [400, 404, 409],
      },
      async (c, change, p) => c.json(await changeRules(deps, p.id, change, ...actorOf(c))),
    )
    .declare(
      {
        method: 'PATCH',
        path: '/api/v1/campaigns/:id/limits',
        summary:
          'Raise (or lower) the household maximum or budget cap; a raise promotes the waitlist in order',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        body: LimitChangeSchema,
        ok: {
          status: 200,
          description: 'What changed',
          body: json('The new limits and the households promoted'),
        },
        errors: [400, 404, 409],
      },
      async (c, change, p) => {
        const { user, roles } = c.get('principal');
        const role = roles.find((r) => r === 'emergency-cell') ?? 'admin';
        const report = await changeLimits(
          {
            campaigns: deps.campaigns,
            ...deps.enrollmentCaps,
            decisions: deps.decisions,
            replies: deps.replies,
            audit: deps.audit,
            stats: deps.stats,
            clock: deps.clock,
          },
          p.id,
          change,
          { user, role },
        );
        return c.json(report);
      },
    )
    .declare(
      {
        method: 'POST',
        path: '/api/v1/campaigns/:id/replay',
        summary: 'Replay decisions under the current rules: a bounded preview, or with apply a queued replay',
        access: 'campaigns.run',
        params: { id: 'campaign' },
        body: ReplayRequestSchema,
        ok: {
          status: 200,
          description: 'Preview: the decisions that would change',
          body: json('Preview report'),
        },
        alsoOk: [
          {
            status: 202,
            description: 'With apply: the replay queued, { replayId, ..., progress } (its URL)',
          },
        ],
        errors: [400, 404, 409],
      },
      async (c, body, p) => {
        const id = p.id;
        // A preview is read-only and bounded by `limit`: answered in the request. A replay with apply
        // is queued, a page of a shard per work item, for the replay worker; its progress is a GET.
        if (!body.apply) return c.json(await previewReplay(deps, id, { limit: body.limit }));
        const progress = await startReplay(
          {
            campaigns: deps.campaigns,
            jobs: deps.replayJobs,
            work: deps.replayQueue,
            audit: deps.audit,
            now: () => deps.clock.now(),
          },
          id,
          actorOf(c),
        );
        return c.json({ ...progress, progress: `/api/v1/campaigns/${id}/replays/${progress.replayId}` }, 202);
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/campaigns/:id/replays/:replayId',
        summary: 'Progress of a queued replay with apply',
        access: 'campaigns.run',
        params: { id: 'campaign', replayId: 'replay' },
        ok: {
          status: 200,
          description: 'Progress',
          body: json('The replay job: pages done, decisions changed'),
        },
        errors: [404],
      },
      async (c, _body, p) => {
        const id = p.id;
        const job = await deps.replayJobs.read(id, `${id}/${p.replayId}`);
        if (!job) throw new NotFoundError('No such replay');
        return c.json(replayProgressOf(job));
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/campaigns/:id/stats',
        summary:
          'Campaign figures (received, decided, eligible, waitlisted, pending verification, enrolled, paid once) and queue depths',
        access: 'campaigns.watch',
        params: { id: 'campaign' },
        ok: {
          status: 200,
          description: 'Figures, defined in core stats/figures.ts',
          body: json('{ campaignId, figures: CampaignFigures, counts, budget, queues }'),
        },
        errors: [404],
      },
      async (c, _body, p) => {
        const id = p.id;
        const campaign = await deps.campaigns.get(id);
        if (!campaign) throw new NotFoundError('No such campaign');
        const [counters, queues, budget] = await Promise.all([
          deps.stats.read(id),
          deps.queueDepths(),
          deps.payments.budget.read(id),
        ]);
        // `figures`: the campaign's defined figures, the same as the dashboard's and the public page's.
        const figures = campaignFigures(counters, budget);
        return c.json({ campaignId: id, figures, ...summariseStats(campaign, counters), queues });
      },
    );
}
