/** @jsxImportSource hono/jsx */
import { type AuditFilter, type ChainVerdict, searchAuditLog, verifyLedger } from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { renderPage } from '../render.js';
import { type AuditQuery, AuditSections } from './audit-page.js';
import { ConsolePage } from './layout.js';
import { staffOnly } from './session.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZE = 50;

function queryOf(c: Context<AppEnv>): AuditQuery {
  const text = (name: string, max: number) => (c.req.query(name) ?? '').trim().slice(0, max);
  const day = (name: string) => (DAY.test(text(name, 10)) ? text(name, 10) : '');
  return {
    actor: text('actor', 128),
    action: text('action', 64),
    subject: text('subject', 128),
    from: day('from'),
    to: day('to'),
  };
}

/** The filter the form asks for: PKT days become instants (Pakistan keeps UTC+5 all year). */
function filterOf(q: AuditQuery): AuditFilter {
  const until = q.to ? new Date(Date.parse(`${q.to}T00:00:00+05:00`) + 86_400_000).toISOString() : undefined;
  return {
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.subject ? { subject: q.subject } : {}),
    ...(q.from ? { from: new Date(`${q.from}T00:00:00+05:00`).toISOString() } : {}),
    ...(until ? { until } : {}),
  };
}

/**
 * The audit log in the console, for auditors (as `GET /api/v1/audit`): the entries filtered by actor,
 * action, subject and PKT dates, newest first in pages, and "Verify the chain", which runs
 * `verifyLedger`, the check of `npx madad audit verify` and `GET /api/v1/audit/verify`.
 */
export function consoleAuditRoutes(deps: ApiDeps): Hono<AppEnv> {
  const auditors = staffOnly(deps, ...rolesOf('audit.read'));
  const page = async (c: Context<AppEnv>, verdict?: ChainVerdict) => {
    const query = queryOf(c);
    const beforeRaw = Number(c.req.query('before'));
    const before = Number.isInteger(beforeRaw) && beforeRaw > 1 ? beforeRaw : undefined;
    const found = await searchAuditLog(deps.audit, filterOf(query), {
      pageSize: PAGE_SIZE,
      ...(before ? { before } : {}),
    });
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
    if (found.before) params.set('before', String(found.before));
    const actions = [...new Set(found.entries.map((e) => e.action))].sort();
    return renderPage(
      c,
      <ConsolePage title="Audit log" principal={c.get('principal')}>
        <h1>Audit log</h1>
        <AuditSections
          query={query}
          page={found}
          verdict={verdict}
          olderHref={found.before ? `/console/audit?${params.toString()}` : undefined}
          actions={actions}
        />
      </ConsolePage>,
    );
  };
  return new Hono<AppEnv>()
    .get('/console/audit', auditors, (c) => page(c))
    .get('/console/audit/verify', auditors, async (c) =>
      page(c, await verifyLedger(deps.audit, deps.auditTrust)),
    );
}
