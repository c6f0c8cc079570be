import { ValidationError, verifyLedger } from '@madad/core';
import type { ApiDeps } from '../deps.js';
import { ApiRoutes } from '../openapi-route.js';
import { AuditPageSchema, ChainVerdictSchema } from '../response-schemas.js';

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
export function auditRoutes(deps: ApiDeps): ApiRoutes {
  return new ApiRoutes(deps)
    .declare(
      {
        method: 'GET',
        path: '/api/v1/audit',
        summary: 'Read the audit ledger in seq order',
        access: 'audit.read',
        query: {
          from: { description: 'First seq, default 1' },
          limit: { description: '1 to 1000, default 100' },
        },
        ok: { status: 200, description: 'Entries', body: AuditPageSchema },
        errors: [400],
      },
      async (c) => {
        const limit = intParam(c.req.query('limit'), 'limit', 100, 1000);
        const from = intParam(c.req.query('from'), 'from', 1, Number.MAX_SAFE_INTEGER);
        const items = await deps.audit.list(from, limit);
        const last = items.at(-1);
        return c.json({ items, ...(items.length === limit && last ? { next: last.seq + 1 } : {}) });
      },
    )
    .declare(
      {
        method: 'GET',
        path: '/api/v1/audit/verify',
        summary: 'Verify the keyed chain against the head and the anchors kept outside the table',
        access: 'audit.read',
        query: { anchors: { description: '"all" checks every anchor ever written' } },
        ok: { status: 200, description: 'Verdict', body: ChainVerdictSchema },
      },
      async (c) =>
        c.json(
          // `?anchors=all`: against every anchor ever written, not only the latest (one read each).
          await verifyLedger(deps.audit, deps.auditTrust, { allAnchors: c.req.query('anchors') === 'all' }),
        ),
    );
}
