/** @jsxImportSource hono/jsx */
import {
  confirmRectification,
  proposeRectification,
  type RectificationStatus,
  type StaffRole,
  settleRectification,
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { pathId } from '../../path-ids.js';
import { rectificationDeps } from '../../routes/rectification.js';
import { formText, renderPage } from '../render.js';
import { ConsolePage, Flash } from './layout.js';
import { QUEUE_STATUSES, QueueTable, ReportCard } from './rectification-page.js';
import { staffOnly } from './session.js';

// The same roles as the API (`routes/rectification.ts`): profile readers see, officers act.
const READERS: StaffRole[] = rolesOf('households.profile');
const OFFICERS: StaffRole[] = rolesOf('households.work');

const DONE: Record<string, string> = {
  propose: "Proposed: another officer confirms the ID authority's value.",
  confirm: 'Confirmed: the household member is corrected.',
  keep: "Kept the survey's value.",
  'field-visit': 'Sent for a field visit.',
};

function idsOf(c: Context<AppEnv>) {
  return {
    householdId: pathId('household', c.req.param('householdId')),
    rectificationId: pathId('household', c.req.param('rectificationId')),
  };
}

/** The rectification queue of roster cross-validation: the last report, a district's queue, its actions. */
export function consoleRectificationRoutes(deps: ApiDeps): Hono<AppEnv> {
  const officers = staffOnly(deps, ...OFFICERS);
  const actor = (c: Context<AppEnv>) => {
    const { user, roles } = c.get('principal');
    return { user, role: roles.find((r) => OFFICERS.includes(r)) ?? 'admin' };
  };
  const back = async (c: Context<AppEnv>, verb: string, district: string) =>
    c.redirect(`/console/rectifications?district=${encodeURIComponent(district)}&done=${verb}`, 303);
  const districtOf = async (c: Context<AppEnv>) => {
    const item = await rectificationDeps(deps).rectifications.get(
      idsOf(c).householdId,
      idsOf(c).rectificationId,
    );
    return item?.district ?? '';
  };

  return new Hono<AppEnv>()
    .get('/console/rectifications', staffOnly(deps, ...READERS), async (c) => {
      const principal = c.get('principal');
      const district = (c.req.query('district') ?? '').trim().slice(0, 60);
      const asked = c.req.query('status') as RectificationStatus | undefined;
      const status = asked && QUEUE_STATUSES.includes(asked) ? asked : 'OPEN';
      const flow = rectificationDeps(deps);
      const [report, items] = await Promise.all([
        deps.rectifications?.reports.latest(),
        district ? flow.rectifications.list(status, district, 100) : Promise.resolve([]),
      ]);
      const done = DONE[c.req.query('done') ?? ''];
      const user = allows(principal.roles, OFFICERS) ? principal.user : undefined;
      return renderPage(
        c,
        <ConsolePage title="Rectifications" principal={principal}>
          <h1>Rectifications</h1>
          {done ? <Flash kind="notice">{done}</Flash> : null}
          <ReportCard report={report} />
          <form method="get" action="/console/rectifications" class="card" id="queue-filters">
            <label>
              District <input name="district" value={district} required maxLength={60} />
            </label>
            <label>
              Status{' '}
              <select name="status">
                {QUEUE_STATUSES.map((s) => (
                  <option value={s} selected={s === status}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">Show</button>
          </form>
          {district ? (
            <>
              <h2>
                {district}: {status}
              </h2>
              <QueueTable items={items} user={user} />
            </>
          ) : null}
        </ConsolePage>,
      );
    })
    .post('/console/rectifications/:householdId/:rectificationId/propose', officers, async (c) => {
      await proposeRectification(rectificationDeps(deps), actor(c), idsOf(c));
      return back(c, 'propose', await districtOf(c));
    })
    .post('/console/rectifications/:householdId/:rectificationId/confirm', officers, async (c) => {
      await confirmRectification(rectificationDeps(deps), actor(c), idsOf(c));
      return back(c, 'confirm', await districtOf(c));
    })
    .post(
      '/console/rectifications/:householdId/:rectificationId/:verb{keep|field-visit}',
      officers,
      async (c) => {
        const verb = c.req.param('verb');
        const reason = formText(await c.req.parseBody(), 'reason', 1000).trim();
        if (reason.length < 3) throw new ValidationError('Write the reason (at least 3 characters)');
        const outcome = verb === 'keep' ? 'KEPT' : 'FIELD_VISIT';
        await settleRectification(rectificationDeps(deps), actor(c), { ...idsOf(c), outcome, reason });
        return back(c, verb, await districtOf(c));
      },
    );
}
