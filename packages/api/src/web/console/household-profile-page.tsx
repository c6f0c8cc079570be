/** @jsxImportSource hono/jsx */
import { formatPakistanTime, type Gazetteer, type HouseholdProfile, maskPhone } from '@madad/core';
import {
  Appeals,
  AuditEntries,
  ChangeRequests,
  Decisions,
  Enrollments,
  Messages,
} from './household-history.js';
import { VerificationSection } from './household-verification-form.js';

const when = (iso: string | undefined) => (iso ? formatPakistanTime(iso) : '');

export interface ProfileViewer {
  /** Full CNICs are shown (and were recorded in the ledger). */
  readonly raw: boolean;
  /** May ask for full CNICs (program-officer, admin). */
  readonly mayShowRaw: boolean;
  /** Officers see phone numbers whole, to call a household back; others see them masked. */
  readonly fullPhones: boolean;
  /** May verify a provisional household and confirm another officer's finding. */
  readonly mayVerify: boolean;
}

function Summary({ p, viewer }: { p: HouseholdProfile; viewer: ProfileViewer }) {
  const phone = (n: string) => (viewer.fullPhones ? n : maskPhone(n));
  return (
    <dl class="card" id="household-summary">
      <dt>Status</dt>
      <dd>
        <span class="tag" id="household-status">
          {p.status}
        </span>{' '}
        {p.source === 'self-registered'
          ? 'registered by SMS or web, not in the survey'
          : 'in the national survey'}
      </dd>
      <dt>Area</dt>
      <dd id="household-area">
        {[p.tehsil, p.district, p.province].filter(Boolean).join(', ') || 'not known yet'}
      </dd>
      <dt>PMT score</dt>
      <dd>{p.source === 'self-registered' ? 'not surveyed' : String(p.pmtScore ?? '')}</dd>
      <dt>Programmes</dt>
      <dd>{p.programmes.join(', ') || 'none'}</dd>
      <dt>Phones</dt>
      <dd>{p.phones.map(phone).join(', ') || 'none: tell the household in person'}</dd>
      {p.surveyedAt ? (
        <>
          <dt>Surveyed</dt>
          <dd>{when(p.surveyedAt)}</dd>
        </>
      ) : null}
      {p.registeredAt ? (
        <>
          <dt>Registered</dt>
          <dd>{when(p.registeredAt)}</dd>
        </>
      ) : null}
      {p.answers ? (
        <>
          <dt>Their answers</dt>
          <dd>
            {p.answers.size ?? '?'} people, {p.answers.children ?? '?'} children; assets:{' '}
            {p.answers.assets?.join(', ') || 'none'}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function Members({ p, viewer }: { p: HouseholdProfile; viewer: ProfileViewer }) {
  return (
    <>
      <h2>Members</h2>
      <div class="scroll">
        <table id="members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Relation</th>
              <th>Gender</th>
              <th>Born</th>
              <th>CNIC</th>
              <th>ID authority</th>
              <th>Exclusion flags</th>
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <tr>
                <td>{m.name}</td>
                <td>{m.relation}</td>
                <td>{m.gender}</td>
                <td>{m.birthYear ?? ''}</td>
                <td class="cnic">{m.cnic}</td>
                <td>{m.identity}</td>
                <td>{m.exclusions.join(', ') || 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {viewer.mayShowRaw && !viewer.raw ? (
        <p>
          <a id="show-raw" href={`/console/households/${p.householdId}?raw=1`}>
            Show full CNICs
          </a>{' '}
          <span class="muted">(recorded in the audit ledger)</span>
        </p>
      ) : null}
    </>
  );
}

/**
 * Everything about one household, for staff answering it: the sections of the profile in one page.
 * `areas` is the gazetteer in force, the verification form's choices.
 */
export function HouseholdProfileSections({
  p,
  viewer,
  areas,
}: {
  p: HouseholdProfile;
  viewer: ProfileViewer;
  areas: Gazetteer;
}) {
  return (
    <>
      <Summary p={p} viewer={viewer} />
      <VerificationSection p={p} mayVerify={viewer.mayVerify} areas={areas} />
      <Members p={p} viewer={viewer} />
      <h2>Registrations and decisions</h2>
      <Decisions p={p} />
      <h2>SMS received and sent</h2>
      <Messages p={p} viewer={viewer} />
      <h2>Enrollments and payments</h2>
      <Enrollments p={p} />
      <h2>Appeals</h2>
      <Appeals p={p} />
      <h2>Change requests</h2>
      <ChangeRequests p={p} />
      <h2>Audit ledger</h2>
      <AuditEntries p={p} />
    </>
  );
}
