/** @jsxImportSource hono/jsx */
import type { StaffRole } from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { ID_PATTERNS } from '../../path-ids.js';
import { renderPage } from '../render.js';
import { ConsolePage, Flash } from './layout.js';
import { REVIEW_LIMIT, type ReviewData, ReviewSections } from './review-page.js';
import { staffOnly } from './session.js';

// The same roles as the API: appeals are listed by officers and auditors and resolved by officers
// (`routes/appeals.ts`); provisional households are listed by officers (`routes/households.ts`).
const READERS: StaffRole[] = rolesOf('appeals.read');
const OFFICERS: StaffRole[] = rolesOf('appeals.work');
const APPEAL_ID = ID_PATTERNS.appeal;

/** The review queue, and resolving an appeal with a written reason (the API's `resolveAppeal`). */
export function consoleReviewRoutes(deps: ApiDeps): Hono<AppEnv> {
  const page = async (
    c: Context<AppEnv>,
    extra: { done?: string; refused?: ReviewData['refused'] } = {},
    status: 200 | 400 = 200,
  ) => {
    const principal = c.get('principal');
    const officer = allows(principal.roles, OFFICERS);
    const [appeals, provisional, rateLimited, mismatched] = await Promise.all([
      deps.appeals.list('OPEN', REVIEW_LIMIT),
      officer ? deps.households.listProvisional(REVIEW_LIMIT) : Promise.resolve(undefined),
      deps.flaggedCases.list('RATE_LIMITED', REVIEW_LIMIT),
      deps.flaggedCases.list('IDENTITY_MISMATCH', REVIEW_LIMIT),
    ]);
    const data: ReviewData = {
      appeals,
      ...(provisional ? { provisional } : {}),
      flagged: [...rateLimited, ...mismatched].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)),
      canResolve: officer,
      ...(extra.refused ? { refused: extra.refused } : {}),
    };
    return renderPage(
      c,
      <ConsolePage title="Review queue" principal={principal}>
        <h1>Review queue</h1>
        {extra.done ? <Flash kind="notice">{extra.done}</Flash> : null}
        <ReviewSections data={data} />
      </ConsolePage>,
      status,
    );
  };

  return new Hono<AppEnv>().get('/console/review', staffOnly(deps, ...READERS), (c) => {
    const resolved = c.req.query('resolved');
    return page(c, resolved && APPEAL_ID.test(resolved) ? { done: `Appeal ${resolved} resolved.` } : {});
  });
}
