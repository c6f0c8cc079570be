/** @jsxImportSource hono/jsx */
import { formatPakistanTime, type Gazetteer, type HouseholdProfile, NOT_ELIGIBLE_REASONS } from '@madad/core';

/** One choice per tehsil of the gazetteer in force, grouped by district: `Province|District|Tehsil`. */
function AreaSelect({ district, tehsil, areas }: { district: string; tehsil: string; areas: Gazetteer }) {
  const selected = (d: string, t: string) =>
    d.toLowerCase() === district.toLowerCase() && t.toLowerCase() === tehsil.toLowerCase();
  return (
    <div class="field">
      <label for="area">Area (from the gazetteer)</label>
      <select id="area" name="area" required>
        <option value="">Choose the tehsil</option>
        {areas.provinces().flatMap((p) =>
          p.districts.map((d) => (
            <optgroup label={`${d.name} (${p.name})`}>
              {d.tehsils.map((t) => (
                <option value={`${p.name}|${d.name}|${t}`} selected={selected(d.name, t)}>
                  {t}, {d.name}
                </option>
              ))}
            </optgroup>
          )),
        )}
      </select>
    </div>
  );
}

const EXCLUSION_CODES = ['VEHICLE_OWNER', 'INTL_TRAVEL', 'GOVT_EMPLOYEE', 'HIGH_PHONE_BILL', 'EXECUTIVE_ID'];

function VerifyForm({ p, areas }: { p: HouseholdProfile; areas: Gazetteer }) {
  return (
    <form method="post" action={`/console/households/${p.householdId}/verify`} id="verify-form" class="card">
      <AreaSelect district={p.district} tehsil={p.tehsil} areas={areas} />
      <fieldset class="checks">
        <legend>How was the household checked?</legend>
        <label>
          <input type="radio" name="method" value="DESK_VISIT" required /> Visit to the desk
        </label>
        <label>
          <input type="radio" name="method" value="DOCUMENT_SEEN" /> Document seen (CNIC, bill, damage slip)
        </label>
      </fieldset>
      <div class="field">
        <label for="note">What was checked (at least 5 characters)</label>
        <textarea id="note" name="note" rows={2} required minlength={5} />
      </div>
      <fieldset class="checks">
        <legend>Outcome under the campaign covering the area</legend>
        <label>
          <input type="radio" name="outcome" value="ELIGIBLE" required /> Eligible, for the campaign's amount
          (a second officer confirms)
        </label>
        <label>
          <input type="radio" name="outcome" value="NOT_ELIGIBLE" /> Not eligible under the campaign's rules
        </label>
        <label>
          <input type="radio" name="outcome" value="REJECTED" /> Rejected: could not be verified
        </label>
      </fieldset>
      <div class="field">
        <label for="reasonCode">Rule not met (for not eligible)</label>
        <select id="reasonCode" name="reasonCode">
          <option value="">—</option>
          {[...NOT_ELIGIBLE_REASONS, ...EXCLUSION_CODES.map((c) => `EXCLUSION_${c}`)].map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="reason">Reason (for not eligible or rejected, sent to the records)</label>
        <textarea id="reason" name="reason" rows={2} />
      </div>
      <button type="submit" id="verify-submit">
        Record the verification
      </button>
    </form>
  );
}

/**
 * The verification of a provisional household: the form (its areas from `areas`, the gazetteer in
 * force), a proposal waiting for a second officer (with the button to confirm it), or what was
 * decided and the SMS the household was sent.
 */
export function VerificationSection({
  p,
  mayVerify,
  areas,
}: {
  p: HouseholdProfile;
  mayVerify: boolean;
  areas: Gazetteer;
}) {
  const v = p.verification;
  if (!v && p.status !== 'provisional') return null;
  return (
    <section id="verification">
      <h2>Verification</h2>
      {!v ? (
        mayVerify ? (
          <VerifyForm p={p} areas={areas} />
        ) : (
          <p class="muted">Not verified yet (programme officers verify).</p>
        )
      ) : (
        <div class="card" id="verification-state">
          <p>
            <span class="tag" id="verification-status">
              {v.status}
            </span>{' '}
            <strong>{v.outcome}</strong> — {v.area.tehsil}, {v.area.district}, {v.area.province};{' '}
            {v.method === 'DESK_VISIT' ? 'desk visit' : 'document seen'}: “{v.note}”
            {v.reason ? ` Reason: ${v.reason}` : ''}
            {v.amount !== undefined && v.outcome === 'ELIGIBLE'
              ? ` Amount Rs ${v.amount.toLocaleString('en-PK')} (${v.ruleSetVersion ?? ''})`
              : ''}
          </p>
          <p class="muted">
            Proposed by {v.proposedBy} at {formatPakistanTime(v.proposedAt)}
            {v.confirmedBy && v.confirmedAt
              ? `; confirmed by ${v.confirmedBy} at ${formatPakistanTime(v.confirmedAt)}`
              : ''}
          </p>
          {v.result ? (
            <p id="verification-result">
              Decision {v.result.status}, reference {v.result.reference}.{' '}
              {v.result.notice
                ? `SMS sent: “${v.result.notice.text}”`
                : 'No phone: tell the household in person.'}
            </p>
          ) : null}
          {v.status === 'PROPOSED' && mayVerify ? (
            <form method="post" action={`/console/households/${p.householdId}/confirm`} id="confirm-form">
              <p>
                A second officer (not {v.proposedBy}) confirms the finding: the household is enrolled and
                told.
              </p>
              <button type="submit" id="confirm-submit">
                Confirm eligible
              </button>
            </form>
          ) : null}
          {v.status === 'PROPOSED' && mayVerify ? (
            <form method="post" action={`/console/households/${p.householdId}/decline`} id="decline-form">
              <div class="field">
                <label for="decline-reason">
                  Or decline it (the proposer may withdraw it), with the reason
                </label>
                <textarea id="decline-reason" name="reason" rows={2} required minlength={5} />
              </div>
              <button type="submit" class="secondary" id="decline-submit">
                Decline
              </button>
            </form>
          ) : null}
        </div>
      )}
    </section>
  );
}
