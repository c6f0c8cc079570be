/** @jsxImportSource hono/jsx */
import {
  areasInForce,
  confirmVerification,
  declineVerification,
  formatPakistanTime,
  NotFoundError,
  RAW_CNIC_ROLES,
  recordVerification,
  type StaffRole,
  ValidationError,
  VERIFICATION_METHODS,
  VERIFICATION_OUTCOMES,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import {
  actingRole,
  findHouseholds,
  householdProfile,
  PROFILE_READERS,
  VERIFIERS,
  verificationDeps,
} from '../../household-desk.js';
import { ID_PATTERNS } from '../../path-ids.js';
import { formText, renderPage } from '../render.js';
import { HouseholdProfileSections } from './household-profile-page.js';
import {
  HouseholdSearchForm,
  HouseholdSearchResults,
  type HouseholdSummary,
} from './household-search-page.js';
import { ConsolePage, Flash } from './layout.js';
import { staffOnly } from './session.js';

const HOUSEHOLD_ID = ID_PATTERNS.household;
const CNIC_HASH = /^[0-9a-f]{40}$/;
const DONE: Record<string, string> = {
  proposed: 'Verification recorded: eligible, waiting for a second officer to confirm.',
  decided: 'Verification recorded and the household told.',
  confirmed: 'Confirmed: the household is decided and told by SMS.',
  declined: 'Declined: the household waits to be verified again.',
};

function actorOf(c: Context<AppEnv>, allowed: readonly StaffRole[]) {
  const { user, roles } = c.get('principal');
  return { user, roles, role: actingRole(roles, allowed) };
}

function householdIdOf(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!HOUSEHOLD_ID.test(id)) throw new NotFoundError('No such household');
  return id;
}

/** The verification form's fields, as the core's input (the area is one `Province|District|Tehsil` choice). */
function verificationForm(body: Record<string, unknown>) {
  const [province = '', district = '', tehsil = ''] = formText(body, 'area').split('|');
  const method = VERIFICATION_METHODS.find((m) => m === formText(body, 'method'));
  const outcome = VERIFICATION_OUTCOMES.find((o) => o === formText(body, 'outcome'));
  if (!method) throw new ValidationError('Say how the household was checked (desk visit or document seen)');
  if (!outcome) throw new ValidationError('Choose the outcome: eligible, not eligible or rejected');
  const note = formText(body, 'note', 1000).trim();
  if (note.length < 5) throw new ValidationError('Write what was checked (at least 5 characters)');
  const reason = formText(body, 'reason', 1000).trim();
  const reasonCode = formText(body, 'reasonCode', 60);
  return {
    province,
    district,
    tehsil,
    method,
    note,
    outcome,
    ...(reason ? { reason } : {}),
    ...(reasonCode ? { reasonCode } : {}),
  };
}

/**
 * Finding a household and its profile (`/console/households`), and verifying provisional households
 * from it: the same core functions as the JSON API (`routes/household-desk.ts`).
 */
export function consoleHouseholdRoutes(deps: ApiDeps): Hono<AppEnv> {
  const readers = staffOnly(deps, ...PROFILE_READERS);
  const verifiers = staffOnly(deps, ...VERIFIERS);
  return new Hono<AppEnv>()
    .get('/console/households', readers, async (c) => {
      const principal = c.get('principal');
      const q = (c.req.query('q') ?? '').trim().slice(0, 60);
      let results = null;
      let error: string | undefined;
      if (q) {
        try {
          const { query, householdIds } = await findHouseholds(deps, actorOf(c, PROFILE_READERS), q);
          const found = await Promise.all(householdIds.map((id) => deps.households.get(id)));
          const summaries: HouseholdSummary[] = found.flatMap((h) =>
            h
              ? [
                  {
                    householdId: String(h.householdId),
                    status: String(h.status ?? 'active'),
                    district: String(h.district ?? ''),
                    tehsil: String(h.tehsil ?? ''),
                    members: Array.isArray(h.members) ? h.members.length : 0,
                  },
                ]
              : [],
          );
          // One household found: straight to its profile.
          if (summaries.length === 1 && summaries[0])
            return c.redirect(`/console/households/${summaries[0].householdId}`, 303);
          results = <HouseholdSearchResults kind={query.kind} found={summaries} />;
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          error = e.message;
        }
      }
      return renderPage(
        c,
        <ConsolePage title="Find a household" principal={principal}>
          <h1>Find a household</h1>
          <HouseholdSearchForm q={q} error={error} />
          {results}
        </ConsolePage>,
        error ? 400 : 200,
      );
    })
    .get('/console/households/:id', readers, async (c) => {
      const id = householdIdOf(c);
      const principal = c.get('principal');
      const actor = actorOf(c, PROFILE_READERS);
      const raw = c.req.query('raw') === '1';
      const profile = await householdProfile(deps, actor, id, raw);
      if (!profile) throw new NotFoundError(`No household ${id}`);
      const done = DONE[c.req.query('done') ?? ''];
      const mayShowRaw = principal.roles.some((r) => (RAW_CNIC_ROLES as readonly string[]).includes(r));
      const viewer = {
        raw: raw && mayShowRaw,
        mayShowRaw,
        fullPhones: allows(principal.roles, VERIFIERS),
        mayVerify: allows(principal.roles, VERIFIERS),
      };
      return renderPage(
        c,
        <ConsolePage title={`Household ${id}`} principal={principal}>
          <p>
            <a href="/console/households">Find another household</a>
          </p>
          <h1>Household {id}</h1>
          {done ? <Flash kind="notice">{done}</Flash> : null}
          <HouseholdProfileSections p={profile} viewer={viewer} areas={await areasInForce(deps.gazetteer)} />
        </ConsolePage>,
      );
    })
    .get('/console/people/:hash', readers, async (c) => {
      // A flagged case names a person by CNIC hash: their household's profile, if the registry has one.
      const hash = c.req.param('hash');
      if (!CNIC_HASH.test(hash)) throw new NotFoundError('No such person');
      const id = await deps.households.householdIdOf(hash);
      if (!id) {
        // Not in the registry (an unknown CNIC, refused before a household was made): what is known of them.
        const person = (await deps.householdFiles.reads.people([hash])).get(hash);
        return renderPage(
          c,
          <ConsolePage title="Not in the registry" principal={c.get('principal')}>
            <h1>Not in the registry</h1>
            <p class="summary" id="no-household">
              This CNIC belongs to no household. ID authority:{' '}
              {person?.identity?.status ?? 'does not know it'}.
            </p>
            <ul id="person-decisions">
              {(person?.decisions ?? []).map((d) => (
                <li>
                  {formatPakistanTime(d.decision.decidedAt)}: {d.decision.status} (
                  {d.decision.reasons.join(', ') || '—'}), rules {d.decision.ruleSetVersion}, ref{' '}
                  {d.reference}
                </li>
              ))}
            </ul>
          </ConsolePage>,
          404,
        );
      }
      return c.redirect(`/console/households/${id}`, 303);
    })
    .post('/console/households/:id/verify', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      const input = verificationForm(await c.req.parseBody());
      const v = await recordVerification(verificationDeps(deps), actorOf(c, VERIFIERS), {
        householdId,
        ...input,
      });
      return c.redirect(
        `/console/households/${householdId}?done=${v.status === 'PROPOSED' ? 'proposed' : 'decided'}`,
        303,
      );
    })
    .post('/console/households/:id/confirm', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      await confirmVerification(verificationDeps(deps), actorOf(c, VERIFIERS), householdId);
      return c.redirect(`/console/households/${householdId}?done=confirmed`, 303);
    })
    .post('/console/households/:id/decline', verifiers, async (c) => {
      const householdId = householdIdOf(c);
      const reason = formText(await c.req.parseBody(), 'reason', 1000).trim();
      await declineVerification(verificationDeps(deps), actorOf(c, VERIFIERS), { householdId, reason });
      return c.redirect(`/console/households/${householdId}?done=declined`, 303);
    });
}
