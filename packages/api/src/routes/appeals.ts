import { resolveAppeal, ValidationError } from '@madad/core';
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';
import { jsonBody } from '../json-body.js';

export const ResolveSchema = z.object({
  outcome: z.enum(['UPHELD', 'OVERTURNED']),
  reason: z.string().trim().min(5, 'Write the reason (at least 5 characters)').max(1000),
});
export const StatusSchema = z.enum(['OPEN', 'RESOLVING', 'UPHELD', 'OVERTURNED']).default('OPEN');
const APPEAL_ID = /^A[0-9A-Z]{7}$/;

/** Grievances: staff review the open cases and uphold or overturn them with a written reason. */
export function appealRoutes(deps: ApiDeps): Hono<AppEnv> {
  const officers = requireRoles(deps, 'program-officer');
  return new Hono<AppEnv>()
    .get('/api/v1/appeals', requireRoles(deps, 'program-officer', 'auditor'), async (c) => {
      const status = StatusSchema.safeParse(c.req.query('status') || undefined);
      if (!status.success) throw new ValidationError('status must be OPEN, RESOLVING, UPHELD or OVERTURNED');
      return c.json({ items: await deps.appeals.list(status.data, 100) });
    })
    .post('/api/v1/appeals/:id/resolve', officers, async (c) => {
      const appealId = c.req.param('id');
      if (!APPEAL_ID.test(appealId)) throw new ValidationError('Not an appeal reference');
      const parsed = ResolveSchema.safeParse(await jsonBody(c));
      if (!parsed.success) {
        throw new ValidationError(
          'Invalid resolution',
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      // Claimed first (OPEN -> RESOLVING): of two officers resolving at once, the second gets a 409.
      const appeal = await resolveAppeal(deps, {
        appealId,
        ...parsed.data,
        by: c.get('principal').user,
        role: 'program-officer',
      });
      return c.json(appeal);
    });
}
