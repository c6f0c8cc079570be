/** @jsxImportSource hono/jsx */
import {
  addAppealNote,
  assignAppeal,
  confirmAppealOverturn,
  DEFAULT_APPEAL_POLICY,
  decideAppeal,
  declineAppealOverturn,
  type StaffRole,
  ValidationError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { rolesOf } from '../../access-policy.js';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { APPEAL_ID } from '../../routes/appeals.js';
import { formText, renderPage } from '../render.js';
import { readAppealCases } from './appeal-cases.js';
import { AppealsSections, type AppealsView } from './appeals-page.js';
import { ConsolePage, Flash } from './layout.js';
import { staffOnly } from './session.js';

// The same roles as the API (`routes/appeals.ts`): officers and auditors read, officers act.
const READERS: StaffRole[] = rolesOf('appeals.read');
const OFFICERS: StaffRole[] = rolesOf('appeals.work');
const ROLE = 'program-officer';

const DONE: Record<string, (id: string) => string> = {
  resolved: (id) => `Appeal ${id} resolved; the household is told by SMS.`,
  proposed: (id) => `Overturn of ${id} proposed: another officer must confirm it.`,
  confirmed: (id) => `Overturn of ${id} confirmed; the household is told by SMS.`,
  declined: (id) => `Overturn of ${id} declined: the appeal is open again.`,
  assigned: (id) => `Appeal ${id} assigned.`,
  noted: (id) => `Note added to ${id}.`,
};

function appealIdOf(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!APPEAL_ID.test(id)) throw new ValidationError('Not an appeal reference');
  return id;
}

const back = (c: Context<AppEnv>, done: string, id: string) =>
  c.redirect(`/console/appeals?done=${done}&appeal=${id}#appeal-${id}`, 303);

/** Appeals as work: the list with context, assignment, notes, the decision and the second officer's check. */
export function consoleAppealRoutes(deps: ApiDeps): Hono<AppEnv> {
  const officers = staffOnly(deps, ...OFFICERS);
  const page = async (c: Context<AppEnv>, refused?: AppealsView['refused'], status: 200 | 400 = 200) => {
    const principal = c.get('principal');
    const officer = allows(principal.roles, OFFICERS) ? principal.user : undefined;
    const { cases, policy, overturnsToday } = await readAppealCases(deps, officer);
    const done = DONE[c.req.query('done') ?? ''];
    const id = c.req.query('appeal') ?? '';
    const view: AppealsView = {
      cases,
      policy,
      ...(officer ? { officer } : {}),
      overturnsToday,
      onlyMine: c.req.query('mine') === '1',
      ...(refused ? { refused } : {}),
    };
    return renderPage(
      c,
      <ConsolePage title="Appeals" principal={principal}>
        <h1>Appeals</h1>
        {done && APPEAL_ID.test(id) ? <Flash kind="notice">{done(id)}</Flash> : null}
        {refused ? <Flash kind="warn">{refused.error}</Flash> : null}
        <AppealsSections view={view} />
      </ConsolePage>,
      status,
    );
  };
  const who = (c: Context<AppEnv>) => ({ by: c.get('principal').user, role: ROLE });

  return new Hono<AppEnv>()
    .get('/console/appeals', staffOnly(deps, ...READERS), (c) => page(c))
    .post('/console/appeals/:id/resolve', officers, async (c) => {
      const appealId = appealIdOf(c);
      const body = await c.req.parseBody();
      const raw = formText(body, 'outcome');
      const reason = formText(body, 'reason', 1000).trim();
      const outcome = raw === 'OVERTURNED' || raw === 'UPHELD' ? raw : undefined;
      // No outcome is assumed: the officer chooses one, and writes why.
      if (!outcome || reason.length < 5) {
        const error = !outcome
          ? 'Choose an outcome: overturn or uphold'
          : 'Write the reason (at least 5 characters)';
        return page(c, { appealId, outcome: raw, reason, error }, 400);
      }
      const policy = deps.appealPolicy ?? DEFAULT_APPEAL_POLICY;
      const decided = await decideAppeal(deps, policy, { appealId, outcome, reason, ...who(c) });
      return back(c, decided.kind === 'proposed' ? 'proposed' : 'resolved', appealId);
    })
    .post('/console/appeals/:id/confirm', officers, async (c) => {
      const appealId = appealIdOf(c);
      await confirmAppealOverturn(deps, { appealId, ...who(c) });
      return back(c, 'confirmed', appealId);
    })
    .post('/console/appeals/:id/decline', officers, async (c) => {
      const appealId = appealIdOf(c);
      const reason = formText(await c.req.parseBody(), 'reason', 1000).trim();
      if (reason.length < 5) throw new ValidationError('Write why you decline (at least 5 characters)');
      await declineAppealOverturn(deps, { appealId, reason, ...who(c) });
      return back(c, 'declined', appealId);
    })
    .post('/console/appeals/:id/assign', officers, async (c) => {
      const appealId = appealIdOf(c);
      const body = await c.req.parseBody();
      const to = formText(body, 'to', 128).trim();
      const expected = formText(body, 'expected', 128);
      await assignAppeal(deps, { appealId, to, expected, ...who(c) });
      return back(c, 'assigned', appealId);
    })
    .post('/console/appeals/:id/notes', officers, async (c) => {
      const appealId = appealIdOf(c);
      const body = await c.req.parseBody();
      const text = formText(body, 'text', 2000);
      await addAppealNote(deps, { appealId, noteId: formText(body, 'noteId', 64), text, ...who(c) });
      return back(c, 'noted', appealId);
    });
}
