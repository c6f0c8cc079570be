import { ValidationError, verifyLedger } from '@madad/core';
import { Hono } from 'hono';
import { requireRoles } from '../auth.js';
import type { ApiDeps, AppEnv } from '../deps.js';

function intParam(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ValidationError(`Query parameter \`${name}\` must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * The audit ledger, read by auditors: entries in seq order, and a check of the keyed chain against
 * the recorded head and the latest anchor kept outside the table.
 */
export function auditRoutes(deps: ApiDeps): Hono<AppEnv> {
  const auditors = requireRoles(deps, 'auditor');
  return new Hono<AppEnv>()
    .get('/api/v1/audit', auditors, async (c) => {
      const limit = intParam(c.req.query('limit'), 'limit', 100, 1000);
      const from = intParam(c.req.query('from'), 'from', 1, Number.MAX_SAFE_INTEGER);
      const items = await deps.audit.list(from, limit);
      const last = items.at(-1);
      return c.json({ items, ...(items.length === limit && last ? { next: last.seq + 1 } : {}) });
    })
    .get('/api/v1/audit/verify', auditors, async (c) =>
      c.json(
        // `?anchors=all`: against every anchor ever written, not only the latest (one read each).
        await verifyLedger(deps.audit, deps.auditTrust, { allAnchors: c.req.query('anchors') === 'all' }),
      ),
    );
}
