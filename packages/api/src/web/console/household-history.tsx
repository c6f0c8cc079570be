/** @jsxImportSource hono/jsx */
import { formatPakistanTime, type HouseholdProfile, maskPhone } from '@madad/core';
import type { ProfileViewer } from './household-profile-page.js';

const when = (iso: string | undefined) => (iso ? formatPakistanTime(iso) : '');
const rupees = (n: number | undefined) => (n === undefined ? '' : `Rs ${n.toLocaleString('en-PK')}`);

/* The profile's history: decisions, messages, enrollments and payments, appeals, change requests, ledger. */

export function Decisions({ p }: { p: HouseholdProfile }) {
  if (p.decisions.length === 0) return <p class="muted">No decisions yet.</p>;
  return (
    <div class="scroll">
      <table id="decisions">
        <thead>
          <tr>
            <th>Decided</th>
            <th>Member</th>
            <th>Campaign</th>
            <th>Decision</th>
            <th>Reasons</th>
            <th>Rule version</th>
            <th>Amount</th>
            <th>Reference</th>
          </tr>
        </thead>
        <tbody>
          {p.decisions.map((d) => (
            <tr>
              <td>{when(d.decision.decidedAt)}</td>
              <td>{p.members[d.member]?.name || `member ${d.member + 1}`}</td>
              <td>{d.campaignName ?? (d.campaignId === '-' ? 'outside any campaign' : d.campaignId)}</td>
              <td>{d.decision.status}</td>
              <td>{d.decision.reasons.join(', ') || '—'}</td>
              <td>{d.decision.ruleSetVersion}</td>
              <td>{rupees(d.decision.amount)}</td>
              <td>{d.reference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Messages({ p, viewer }: { p: HouseholdProfile; viewer: ProfileViewer }) {
  const phone = (n: string) => (viewer.fullPhones ? n : maskPhone(n));
  const notice = p.verification?.result?.notice;
  if (p.messages.length === 0 && !notice) return <p class="muted">No messages.</p>;
  return (
    <div class="scroll">
      <table id="messages">
        <thead>
          <tr>
            <th>Received</th>
            <th>From</th>
            <th>Channel</th>
            <th>Message</th>
            <th>Decision</th>
            <th>Sent back</th>
          </tr>
        </thead>
        <tbody>
          {notice ? (
            <tr class="notice">
              <td>{when(p.verification?.confirmedAt ?? p.verification?.proposedAt)}</td>
              <td>staff (verification)</td>
              <td>sms</td>
              <td>—</td>
              <td>{p.verification?.result?.status}</td>
              <td>
                to {phone(notice.to)}: {notice.text}
              </td>
            </tr>
          ) : null}
          {p.messages.map((m) => (
            <tr>
              <td>{when(m.receivedAt)}</td>
              <td>{phone(m.from)}</td>
              <td>{m.channel}</td>
              <td>{m.command}</td>
              <td>
                {m.decision ? `${m.decision.status} (${m.decision.reasons.join(', ') || '—'})` : '—'} ref{' '}
                {m.reference}
              </td>
              <td>{m.reply ? m.reply.text : '(not answered)'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Enrollments({ p }: { p: HouseholdProfile }) {
  if (p.enrollments.length === 0) return <p class="muted">Not enrolled in any campaign.</p>;
  return (
    <div class="scroll">
      <table id="enrollments">
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Category</th>
            <th>Amount</th>
            <th>Enrolled</th>
            <th>Caps</th>
            <th>Payment</th>
          </tr>
        </thead>
        <tbody>
          {p.enrollments.map((e) => (
            <tr>
              <td>{e.campaignName ?? e.campaignId}</td>
              <td>{e.category}</td>
              <td>{rupees(e.amount)}</td>
              <td>{when(e.enrolledAt)}</td>
              <td>{e.capState ?? 'enrolled'}</td>
              <td>
                {e.paidReference
                  ? `paid ${when(e.paidAt)} (${e.paidReference}, batch ${e.batchId ?? ''})`
                  : e.batchId
                    ? `${e.paymentState ?? 'batched'} in batch ${e.batchId}`
                    : 'not in a batch yet'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Appeals({ p }: { p: HouseholdProfile }) {
  if (p.appeals.length === 0) return <p class="muted">No appeals.</p>;
  return (
    <ul id="appeals">
      {p.appeals.map((a) => (
        <li>
          {a.appealId} <span class="tag">{a.status}</span> opened {when(a.openedAt)}: “{a.note || '(no text)'}
          ”{a.resolution ? ` — ${a.resolution.reason} (${a.resolution.by}, ${when(a.resolution.at)})` : ''}
        </li>
      ))}
    </ul>
  );
}

export function ChangeRequests({ p }: { p: HouseholdProfile }) {
  if (p.changeRequests.length === 0) return <p class="muted">No change requests.</p>;
  return (
    <ul id="change-requests">
      {p.changeRequests.map((r) => (
        <li>
          {r.requestId} <span class="tag">{r.status}</span> {r.change.type}, asked {when(r.requestedAt)}
          {r.proposedBy ? `, proposed by ${r.proposedBy}` : ''}
          {r.decidedBy ? `, ${r.status.toLowerCase()} by ${r.decidedBy}: ${r.reason ?? ''}` : ''}
        </li>
      ))}
    </ul>
  );
}

export function AuditEntries({ p }: { p: HouseholdProfile }) {
  if (p.audit.length === 0) return <p class="muted">No ledger entries about this household.</p>;
  return (
    <div class="scroll">
      <table id="household-audit">
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Subject</th>
          </tr>
        </thead>
        <tbody>
          {p.audit.map((e) => (
            <tr>
              <td>{e.seq}</td>
              <td>{when(e.at)}</td>
              <td>
                {e.actor} ({e.role})
              </td>
              <td>{e.action}</td>
              <td>{e.subject}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
