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
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';
import { previewReplay } from '../replay-service.js';
import { summariseStats } from '../stats-summary.js';

export const ReplayRequestSchema = z.object({
  apply: z.boolean().default(false),
  limit: z.number().int().min(1).max(100_000).default(20_000),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError('The campaign is not valid', details);
  }
  return result.data;
}

const CAMPAIGN_ID = /^C-[A-Z0-9]{1,40}$/;
function campaignId(raw: string): string {
  if (!CAMPAIGN_ID.test(raw)) throw new NotFoundError('No such campaign');
  return raw;
}

/** The signed-in user and the role the ledger records them acting in (the cell's, else their first). */
function actorOf(c: Context<AppEnv>): [user: string, role: string] {
  const { user, roles } = c.get('principal');
  return [user, roles.includes('emergency-cell') ? 'emergency-cell' : (roles[0] ?? 'admin')];
}

/** The emergency cell declares, activates and closes campaigns; staff watch them. */
export function campaignRoutes(deps: ApiDeps): Hono<AppEnv> {
  const cell = requireRoles(deps, 'emergency-cell');
  const watchers = requireRoles(deps, 'emergency-cell', 'program-officer', 'approver', 'auditor');
  return new Hono<AppEnv>()
    .post('/api/v1/campaigns', cell, async (c) => {
      const input = parse(CampaignInputSchema, await jsonBody(c));
      return c.json(await createCampaign(deps, input, ...actorOf(c)), 201);
    })
    .get('/api/v1/campaigns', watchers, async (c) => c.json({ items: await deps.campaigns.list() }))
    .get('/api/v1/campaigns/:id', watchers, async (c) => {
      const campaign = await deps.campaigns.get(campaignId(c.req.param('id')));
      if (!campaign) throw new NotFoundError('No such campaign');
      return c.json(campaign);
    })
    .post('/api/v1/campaigns/:id/activate', cell, async (c) =>
      c.json(await activateCampaign(deps, campaignId(c.req.param('id')), ...actorOf(c))),
    )
    .post('/api/v1/campaigns/:id/close', cell, async (c) =>
      c.json(await closeCampaign(deps, campaignId(c.req.param('id')), ...actorOf(c))),
    )
    .patch('/api/v1/campaigns/:id/rules', cell, async (c) => {
      const change = parse(RuleChangeSchema, await jsonBody(c));
      return c.json(await changeRules(deps, campaignId(c.req.param('id')), change, ...actorOf(c)));
    })
    .patch('/api/v1/campaigns/:id/limits', cell, async (c) => {
      const change = parse(LimitChangeSchema, await jsonBody(c));
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
        campaignId(c.req.param('id')),
        change,
        { user, role },
      );
      return c.json(report);
    })
    .post('/api/v1/campaigns/:id/replay', cell, async (c) => {
      const body = ReplayRequestSchema.safeParse(await jsonBody(c));
      if (!body.success) throw new ValidationError('Body must be {"apply": true|false, "limit"?: number}');
      const id = campaignId(c.req.param('id'));
      // A preview is read-only and bounded by `limit`: answered in the request. A replay with apply
      // is queued, a page of a shard per work item, for the replay worker; its progress is a GET.
      if (!body.data.apply) return c.json(await previewReplay(deps, id, { limit: body.data.limit }));
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
    })
    .get('/api/v1/campaigns/:id/replays/:replayId', cell, async (c) => {
      const id = campaignId(c.req.param('id'));
      const replayId = c.req.param('replayId');
      if (!/^v[0-9]{1,9}$/.test(replayId)) throw new NotFoundError('No such replay');
      const job = await deps.replayJobs.read(id, `${id}/${replayId}`);
      if (!job) throw new NotFoundError('No such replay');
      return c.json(replayProgressOf(job));
    })
    .get('/api/v1/campaigns/:id/stats', watchers, async (c) => {
      const id = campaignId(c.req.param('id'));
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
    });
}
