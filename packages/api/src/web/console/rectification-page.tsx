/** @jsxImportSource hono/jsx */
import {
  type CrossValidationReport,
  formatPakistanTime,
  type Rectification,
  type RectificationStatus,
  ROSTER_FIELDS,
  type StratumReport,
  sameStaffUserId,
} from '@madad/core';

export const QUEUE_STATUSES: readonly RectificationStatus[] = [
  'OPEN',
  'PROPOSED',
  'FIELD_VISIT',
  'ACCEPTED',
  'KEPT',
  'APPLYING',
];

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const shown = (value: unknown) => (value === null || value === undefined ? '—' : String(value));
const counted = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const mismatchRate = (s: StratumReport) => (s.members === 0 ? 0 : s.membersWithMismatch / s.members);

/** The last cross-validation report: rates per field, by source, and districts by rate (links to their queue). */
export function ReportCard({
  report,
}: {
  report: (CrossValidationReport & { finishedAt: string }) | undefined;
}) {
  if (!report)
    return (
      <p class="card" id="cross-validation-report">
        No cross-validation has run yet: <code>npx madad cross-validate</code>.
      </p>
    );
  return (
    <section class="card" id="cross-validation-report">
      <h2>Last cross-validation</h2>
      <p>
        {report.members.toLocaleString('en-US')} members of {report.households.toLocaleString('en-US')}{' '}
        households, finished {formatPakistanTime(report.finishedAt)}:{' '}
        {counted(report.mismatches, 'mismatched field', 'mismatched fields')};{' '}
        {report.unknownToAuthority.toLocaleString('en-US')} members unknown to the ID authority.
      </p>
      <div class="scroll">
        <table id="field-rates">
          <thead>
            <tr>
              <th>Field</th>
              <th class="n">Mismatched</th>
              <th class="n">Compared</th>
              <th class="n">Rate</th>
            </tr>
          </thead>
          <tbody>
            {ROSTER_FIELDS.map((f) => (
              <tr data-field={f}>
                <td>{f}</td>
                <td class="n">{report.fields[f].mismatched}</td>
                <td class="n">{report.fields[f].compared}</td>
                <td class="n">{pct(report.fields[f].rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>By source</h3>
      <ul>
        {report.bySource.map((s) => (
          <li>
            {s.stratum}: {pct(mismatchRate(s))} of {counted(s.members, 'member', 'members')} with a mismatch
          </li>
        ))}
      </ul>
      <h3>Districts, highest rate first</h3>
      <ul id="district-rates">
        {[...report.byDistrict]
          .sort((a, b) => mismatchRate(b) - mismatchRate(a))
          .slice(0, 15)
          .map((s) => (
            <li>
              <a href={`/console/rectifications?district=${encodeURIComponent(s.stratum)}`}>{s.stratum}</a>:{' '}
              {pct(mismatchRate(s))} of {counted(s.members, 'member', 'members')}
            </li>
          ))}
      </ul>
    </section>
  );
}

function ReasonForm({ r, verb, label }: { r: Rectification; verb: 'keep' | 'field-visit'; label: string }) {
  return (
    <form method="post" action={`/console/rectifications/${r.householdId}/${r.rectificationId}/${verb}`}>
      <input
        name="reason"
        required
        minLength={3}
        maxLength={1000}
        placeholder="Reason"
        aria-label={`${label}: reason`}
      />
      <button class="secondary" type="submit">
        {label}
      </button>
    </form>
  );
}

/** One row's actions, by status: propose (maker), confirm (another officer), keep, field visit. */
function Actions({ r, user }: { r: Rectification; user: string | undefined }) {
  if (!user) return null;
  const post = (verb: string, label: string) => (
    <form method="post" action={`/console/rectifications/${r.householdId}/${r.rectificationId}/${verb}`}>
      <button type="submit">{label}</button>
    </form>
  );
  if (r.status === 'OPEN' || r.status === 'FIELD_VISIT')
    return (
      <>
        {post('propose', "Propose the ID authority's value")}
        <ReasonForm r={r} verb="keep" label="Keep the survey's value" />
        {r.status === 'OPEN' ? <ReasonForm r={r} verb="field-visit" label="Send for a field visit" /> : null}
      </>
    );
  if (r.status === 'PROPOSED')
    return (
      <>
        {sameStaffUserId(r.proposedBy, user) ? (
          <p class="muted">You proposed this: another officer confirms it.</p>
        ) : (
          post('confirm', 'Confirm (correct the registry)')
        )}
        <ReasonForm r={r} verb="keep" label="Keep the survey's value" />
      </>
    );
  if (r.status === 'APPLYING') return post('confirm', 'Complete the correction');
  return null;
}

/** The queue of one district and status. */
export function QueueTable({ items, user }: { items: readonly Rectification[]; user: string | undefined }) {
  if (items.length === 0) return <p id="rectification-queue">Nothing in this queue.</p>;
  return (
    <div class="scroll">
      <table id="rectification-queue">
        <thead>
          <tr>
            <th>Household</th>
            <th>Member</th>
            <th>Field</th>
            <th>Survey</th>
            <th>ID authority</th>
            <th>Status</th>
            <th>Found</th>
            <th>Action</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr id={`rect-${r.rectificationId}`} data-status={r.status} data-field={r.field}>
              <td>
                <a href={`/console/households/${r.householdId}`}>{r.householdId}</a>
                <div class="muted">
                  {r.tehsil} · {r.source}
                </div>
              </td>
              <td>{r.cnicMasked}</td>
              <td>{r.field}</td>
              <td>{shown(r.survey)}</td>
              <td>{shown(r.authority)}</td>
              <td>
                {r.status}
                {r.proposedBy ? <div class="muted">proposed by {r.proposedBy}</div> : null}
                {r.decidedBy ? (
                  <div class="muted">
                    {r.decidedBy}
                    {r.reason ? `: ${r.reason}` : ''}
                  </div>
                ) : null}
              </td>
              <td>{formatPakistanTime(r.foundAt)}</td>
              <td>
                <Actions r={r} user={user} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
