/** @jsxImportSource hono/jsx */
import { randomUUID } from 'node:crypto';
import { type AppealPolicy, formatPakistanTime, maskPhone, sameStaffUserId } from '@madad/core';
import { describedBy, Field } from '../fields.js';
import { formatCount } from '../i18n.js';
import type { AppealCase } from './appeal-cases.js';

export interface AppealsView {
  readonly cases: readonly AppealCase[];
  readonly policy: AppealPolicy;
  /** The signed-in officer (undefined: may read but not act, e.g. an auditor). */
  readonly officer?: string;
  readonly onlyMine: boolean;
  /** The officer's overturns today that created an entitlement (the policy's second-officer count). */
  readonly overturnsToday: number;
  /** A decision refused for its input, with what was typed. */
  readonly refused?: { appealId: string; outcome: string; reason: string; error: string };
}

const OVERDUE_STYLE = 'background:#fde2e1;color:#a4161a;font-weight:700';

function Age({ c, policy }: { c: AppealCase; policy: AppealPolicy }) {
  const days = `${c.age.days} day${c.age.days === 1 ? '' : 's'} open`;
  return c.age.overdue ? (
    <span class="tag" data-overdue="true" style={OVERDUE_STYLE}>
      Overdue: {days}, target {policy.targetDays} days (due {formatPakistanTime(c.age.dueAt)})
    </span>
  ) : (
    <span class="tag" data-overdue="false">
      {days}, due {formatPakistanTime(c.age.dueAt)}
    </span>
  );
}

function Household({ c }: { c: AppealCase }) {
  const h = c.household;
  if (!h)
    return <p class="household">Household: not in the registry (a provisional registrant, or none found).</p>;
  return (
    <p class="household">
      Household{' '}
      <a href={`/console/households/${encodeURIComponent(h.householdId)}`} class="household-link">
        {h.householdId}
      </a>
      : head <strong class="head">{h.head ?? 'unknown'}</strong>, {h.district || '?'} / {h.tehsil || '?'}, PMT
      score {h.pmtScore ?? '?'}, {h.members} member{h.members === 1 ? '' : 's'}
    </p>
  );
}

function Decision({ c }: { c: AppealCase }) {
  const stored = c.appeal.decision;
  if (!stored) return <p>Against: no earlier decision found.</p>;
  const d = stored.decision;
  return (
    <p class="appealed">
      Against: <strong>{d.status}</strong>
      {d.reasons.length > 0 ? ` (${d.reasons.join(', ')})` : ''}, decided {formatPakistanTime(d.decidedAt)}{' '}
      under {d.ruleSetVersion}, ref {stored.reference}
    </p>
  );
}

function Notes({ c }: { c: AppealCase }) {
  const notes = c.appeal.notes ?? [];
  if (notes.length === 0) return <p class="muted">No notes yet.</p>;
  return (
    <ol class="notes">
      {notes.map((n) => (
        <li>
          <span class="muted">
            {n.by}, {formatPakistanTime(n.at)}:
          </span>{' '}
          {n.text}
        </li>
      ))}
    </ol>
  );
}

function Assign({ c, officer }: { c: AppealCase; officer: string }) {
  const base = `/console/appeals/${c.appeal.appealId}/assign`;
  const expected = c.appeal.assignment?.to ?? '';
  return (
    <div class="row">
      {c.appeal.assignment && sameStaffUserId(c.appeal.assignment.to, officer) ? null : (
        <form method="post" action={base}>
          <input type="hidden" name="to" value={officer} />
          <input type="hidden" name="expected" value={expected} />
          <button type="submit" class="secondary assign-me">
            Assign to me
          </button>
        </form>
      )}
      <form method="post" action={base} class="row">
        <input type="hidden" name="expected" value={expected} />
        <label for={`assign-${c.appeal.appealId}`}>Assign to</label>
        <input
          id={`assign-${c.appeal.appealId}`}
          name="to"
          style="width:12rem"
          placeholder="officer user id"
        />
        <button type="submit" class="secondary">
          Assign
        </button>
      </form>
    </div>
  );
}

function NoteForm({ c }: { c: AppealCase }) {
  const id = `note-${c.appeal.appealId}`;
  return (
    <form method="post" action={`/console/appeals/${c.appeal.appealId}/notes`} class="note-form">
      <input type="hidden" name="noteId" value={randomUUID()} />
      <Field id={id} label="Add a note (kept and audited; notes cannot be changed)">
        <textarea id={id} name="text" rows={2} />
      </Field>
      <button type="submit" class="secondary">
        Add note
      </button>
    </form>
  );
}

function DecideForm({ c, refused }: { c: AppealCase; refused: AppealsView['refused'] }) {
  const id = `reason-${c.appeal.appealId}`;
  const mine = refused?.appealId === c.appeal.appealId ? refused : undefined;
  return (
    <form method="post" action={`/console/appeals/${c.appeal.appealId}/resolve`} class="resolve">
      <fieldset class="checks">
        <legend>Outcome (choose one)</legend>
        <label>
          <input type="radio" name="outcome" value="OVERTURNED" checked={mine?.outcome === 'OVERTURNED'} />
          Overturn: the household is accepted
          {c.overturnAmount > 0 ? ` (PKR ${formatCount(c.overturnAmount)})` : ''}
          {c.needsSecondOfficer ? ', needs a second officer' : ''}
        </label>
        <label>
          <input type="radio" name="outcome" value="UPHELD" checked={mine?.outcome === 'UPHELD'} />
          Uphold: the decision stays
        </label>
      </fieldset>
      <Field id={id} label="Reason (sent to the records, at least 5 characters)" error={mine?.error}>
        <textarea id={id} name="reason" rows={2} aria-describedby={describedBy(id, false, mine?.error)}>
          {mine?.reason ?? ''}
        </textarea>
      </Field>
      <button type="submit">Decide {c.appeal.appealId}</button>
    </form>
  );
}

function Proposal({ c, officer }: { c: AppealCase; officer?: string | undefined }) {
  const p = c.appeal.proposal;
  if (!p) return null;
  if (c.appeal.status !== 'PROPOSED')
    return p.declinedBy ? (
      <p class="muted">
        An overturn proposed by {p.by} was declined by {p.declinedBy}.
      </p>
    ) : null;
  const base = `/console/appeals/${c.appeal.appealId}`;
  return (
    <div class="warn proposal">
      <p>
        <strong>{p.by}</strong> proposes to overturn ({formatPakistanTime(p.at)}): “{p.reason}”. PKR{' '}
        {formatCount(p.amount)}: a second officer must confirm.
      </p>
      {!officer ? null : sameStaffUserId(p.by, officer) ? (
        <p class="waiting">You proposed it: another officer confirms or declines it.</p>
      ) : (
        <div class="row">
          <form method="post" action={`${base}/confirm`}>
            <button type="submit" class="confirm">
              Confirm the overturn
            </button>
          </form>
          <form method="post" action={`${base}/decline`} class="row">
            <input name="reason" aria-label="Why decline" placeholder="why decline (5+ characters)" />
            <button type="submit" class="secondary">
              Decline
            </button>
          </form>
        </div>
      )}
    </div>
  );
}

function Case({ c, view }: { c: AppealCase; view: AppealsView }) {
  const a = c.appeal;
  return (
    <article class="card" id={`appeal-${a.appealId}`} data-status={a.status}>
      <h3>
        {a.appealId} <span class="tag">{a.status}</span> <Age c={c} policy={view.policy} />
      </h3>
      <p class="muted">
        Opened {formatPakistanTime(a.openedAt)} from {maskPhone(a.phone)} ({a.lang}). Assigned to:{' '}
        <strong class="assignee">{a.assignment?.to ?? 'nobody'}</strong>
      </p>
      <Household c={c} />
      <Decision c={c} />
      <blockquote>{a.note || '(no text)'}</blockquote>
      <h4>Notes</h4>
      <Notes c={c} />
      <Proposal c={c} officer={view.officer} />
      {view.officer && a.status !== 'RESOLVING' ? (
        <>
          <Assign c={c} officer={view.officer} />
          <NoteForm c={c} />
          {a.status === 'OPEN' ? <DecideForm c={c} refused={view.refused} /> : null}
        </>
      ) : null}
    </article>
  );
}

/** The appeals being worked, oldest first, each with its household, age, assignment, notes and actions. */
export function AppealsSections({ view }: { view: AppealsView }) {
  const shown = view.onlyMine
    ? view.cases.filter((c) => view.officer && sameStaffUserId(c.appeal.assignment?.to, view.officer))
    : view.cases;
  const overdue = view.cases.filter((c) => c.age.overdue).length;
  return (
    <>
      <p id="appeals-summary">
        {view.cases.length} being worked, <strong>{overdue} overdue</strong> (target {view.policy.targetDays}{' '}
        days). Overturns creating PKR {formatCount(view.policy.secondOfficerAmount)} or more need a second
        officer
        {view.policy.secondOfficerAfter > 0
          ? `, and so does every overturn after an officer's ${view.policy.secondOfficerAfter}th of the day${
              view.officer ? ` (yours today: ${view.overturnsToday})` : ''
            }`
          : ''}
        .{' '}
        {view.officer ? (
          view.onlyMine ? (
            <a href="/console/appeals">Show all</a>
          ) : (
            <a href="/console/appeals?mine=1">Only mine</a>
          )
        ) : null}
      </p>
      {shown.length === 0 ? <p id="no-appeals">No appeals to work on.</p> : null}
      {shown.map((c) => (
        <Case c={c} view={view} />
      ))}
    </>
  );
}
