import {
  confirmRectification,
  NotFoundError,
  proposeRectification,
  type RectificationDeps,
  type RectificationStatus,
  type StaffActor,
  type StaffRole,
  settleRectification,
} from '@madad/core';
import type { Context } from 'hono';
import * as z from 'zod';
import { rolesOf } from '../access-policy.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { ApiRoutes, type RouteDeclaration } from '../openapi-route.js';

const STATUSES = ['OPEN', 'PROPOSED', 'APPLYING', 'ACCEPTED', 'KEPT', 'FIELD_VISIT'] as const;
export const EmptySchema = z.object({}).strict();
export const SettleSchema = z
  .object({ reason: z.string().trim().min(3, 'Write the reason').max(1000) })
  .strict();
const OFFICER: readonly StaffRole[] = rolesOf('households.work');
const json = (description: string) => ({ type: 'application/json', description });
const ITEM = json('The rectification: field, survey and ID-authority values, status, proposer and checker');

function actorOf(c: Context<AppEnv>): StaffActor {
  const { user, roles } = c.get('principal');
  return { user, role: roles.find((r) => OFFICER.includes(r)) ?? 'admin' };
}

/** The rectification ports, or a 404 on a deployment built without them. */
export function rectificationDeps(deps: ApiDeps): RectificationDeps {
  if (!deps.rectifications) throw new NotFoundError('Rectifications are not enabled here');
  return {
    rectifications: deps.rectifications.store,
    households: deps.changeRequests.households,
    audit: deps.audit,
    clock: deps.clock,
  };
}

// Rectification ids (`<16 hex of the CNIC hash>-<field>`) have the household id's shape.
const ACTION_PARAMS = { householdId: 'household', rectificationId: 'household' } as const;
const action = <B extends z.ZodType>(verb: string, summary: string, body: B) =>
  ({
    method: 'POST',
    path: `/api/v1/rectifications/:householdId/:rectificationId/${verb}`,
    summary,
    access: 'households.work',
    params: ACTION_PARAMS,
    body,
    ok: { status: 200, description: 'The rectification', body: ITEM },
    errors: [400, 404, 409],
  }) satisfies RouteDeclaration<B, keyof typeof ACTION_PARAMS>;

/**
 * The rectification queue of roster cross-validation (issue 18): staff accept the ID authority's
 * value (one officer proposes, another confirms; the household is corrected at once), keep the
 * survey's value with a reason, or send it for a field visit. Every action is in the ledger.
 */
export function rectificationRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/rectifications',
        summary: 'The rectification queue of one district and status, oldest first',
        access: 'households.profile',
        query: {
          district: { required: true, description: 'The district (any case)' },
          status: { description: 'OPEN (default), PROPOSED, APPLYING, ACCEPTED, KEPT or FIELD_VISIT' },
        },
        ok: { status: 200, description: 'Rectifications', body: json('{ items: Rectification[] }') },
        errors: [400, 404],
      },
      async (c) => {
        const district = z.string().trim().min(1).max(60).parse(c.req.query('district'));
        const status: RectificationStatus = z.enum(STATUSES).catch('OPEN').parse(c.req.query('status'));
        return c.json({ items: await rectificationDeps(deps).rectifications.list(status, district, 100) });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/rectifications/report',
        summary: 'The last cross-validation report: rates per field, by district, tehsil and source',
        access: 'households.profile',
        ok: { status: 200, description: 'The report', body: json('CrossValidationReport & { finishedAt }') },
        errors: [404],
      },
      async (c) => {
        const report = await deps.rectifications?.reports.latest();
        if (!report) throw new NotFoundError('No cross-validation has run yet (npx madad cross-validate)');
        return c.json(report);
      },
    )
    .declare(
      action('propose', "Propose to take the ID authority's value (maker)", EmptySchema),
      async (c, _body, p) => c.json(await proposeRectification(rectificationDeps(deps), actorOf(c), p)),
    )
    .declare(
      action(
        'confirm',
        'Confirm a proposal (checker: never its proposer); the household member is corrected at once',
        EmptySchema,
      ),
      async (c, _body, p) => c.json(await confirmRectification(rectificationDeps(deps), actorOf(c), p)),
    )
    .declare(
      action('keep', "Keep the survey's value, with the reason", SettleSchema),
      async (c, { reason }, p) =>
        c.json(
          await settleRectification(rectificationDeps(deps), actorOf(c), { ...p, outcome: 'KEPT', reason }),
        ),
    )
    .declare(
      action('field-visit', 'Send for a field visit, with the reason', SettleSchema),
      async (c, { reason }, p) =>
        c.json(
          await settleRectification(rectificationDeps(deps), actorOf(c), {
            ...p,
            outcome: 'FIELD_VISIT',
            reason,
          }),
        ),
    );
}
