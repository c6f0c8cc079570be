/** @jsxImportSource hono/jsx */
import { type AuditEntry, type AuditPage, type ChainVerdict, formatPakistanTime } from '@madad/core';

/** The form's values as typed (PKT dates `YYYY-MM-DD`), echoed back into the form and the links. */
export interface AuditQuery {
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly from: string;
  readonly to: string;
}

const brief = (value: unknown) => {
  if (value === undefined || value === null) return '';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

function Subject({ subject }: { subject: string }) {
  const household = /^household\/(.+)$/.exec(subject);
  return household ? (
    <a href={`/console/households/${encodeURIComponent(household[1] ?? '')}`}>{subject}</a>
  ) : (
    <>{subject}</>
  );
}

/** The verdict of `verifyLedger`, in words: what `npx madad audit verify` prints. */
export function VerifyVerdict({ verdict }: { verdict: ChainVerdict }) {
  if (verdict.ok)
    return (
      <div class="notice" role="status" id="verify-result" data-ok="true">
        <p>
          <strong>The chain is intact</strong>: {verdict.count} entries, each keyed to the one before.
        </p>
        <p>
          {verdict.anchoredSeq === undefined
            ? 'No anchor yet (nothing appended).'
            : `It matches its latest anchor (entry ${verdict.anchoredSeq}), kept outside the table.`}
        </p>
      </div>
    );
  return (
    <div class="summary" role="alert" id="verify-result" data-ok="false">
      <p>
        <strong>The chain is broken at entry {verdict.brokenSeq}</strong>: {verdict.reason}.
      </p>
      <p>
        {verdict.count} entries read. Report this to the security officer; do not rely on the entries shown.
      </p>
    </div>
  );
}

function Filters({ query, actions }: { query: AuditQuery; actions: readonly string[] }) {
  return (
    <form method="get" action="/console/audit" class="card" id="audit-filters">
      <div class="row">
        <label>
          Actor <input name="actor" value={query.actor} style="width:10rem" placeholder="user id" />
        </label>
        <label>
          Action{' '}
          <input
            name="action"
            value={query.action}
            list="audit-actions"
            style="width:12rem"
            placeholder="e.g. appeal.resolve"
          />
        </label>
        <datalist id="audit-actions">
          {actions.map((a) => (
            <option value={a} />
          ))}
        </datalist>
        <label>
          Household or subject{' '}
          <input name="subject" value={query.subject} style="width:12rem" placeholder="HH-000123, A1234567" />
        </label>
        <label>
          From (PKT) <input type="date" name="from" value={query.from} style="width:10rem" />
        </label>
        <label>
          To (PKT) <input type="date" name="to" value={query.to} style="width:10rem" />
        </label>
        <button type="submit">Filter</button>
        <a class="button secondary" href="/console/audit">
          Clear
        </a>
      </div>
    </form>
  );
}

function Entries({ entries }: { entries: readonly AuditEntry[] }) {
  if (entries.length === 0) return <p id="no-entries">No entries match.</p>;
  return (
    <div class="scroll">
      <table id="audit-entries">
        <thead>
          <tr>
            <th class="n">#</th>
            <th>When</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Subject</th>
            <th>Before → after</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-seq={String(e.seq)}>
              <td class="n">{e.seq}</td>
              <td>{formatPakistanTime(e.at)}</td>
              <td class="actor">
                {e.actor} <span class="muted">({e.role})</span>
              </td>
              <td class="action">{e.action}</td>
              <td class="subject">
                <Subject subject={e.subject} />
              </td>
              <td class="muted">
                {brief(e.before)}
                {e.before !== undefined ? ' → ' : ''}
                {brief(e.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The audit log for auditors: filters, newest entries first, older pages, and the chain check. */
export function AuditSections({
  query,
  page,
  verdict,
  olderHref,
  actions,
}: {
  query: AuditQuery;
  page: AuditPage;
  verdict?: ChainVerdict | undefined;
  olderHref?: string | undefined;
  actions: readonly string[];
}) {
  return (
    <>
      <form method="get" action="/console/audit/verify" class="row">
        <button type="submit" id="verify-chain">
          Verify the chain
        </button>
        <span class="muted">
          The same check as <code>npx madad audit verify</code>: every entry's keyed hash, the recorded head
          and the anchor kept outside the table.
        </span>
      </form>
      {verdict ? <VerifyVerdict verdict={verdict} /> : null}
      <Filters query={query} actions={actions} />
      <Entries entries={page.entries} />
      <p class="row">
        {olderHref ? (
          <a class="button secondary" href={olderHref} id="older">
            Older entries
          </a>
        ) : (
          <span class="muted" id="ledger-start">
            Start of the ledger.
          </span>
        )}
        <span class="muted">{page.scanned} entries read for this page.</span>
      </p>
    </>
  );
}
