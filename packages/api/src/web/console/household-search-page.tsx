/** @jsxImportSource hono/jsx */
import type { HouseholdQuery } from '@madad/core';

export interface HouseholdSummary {
  readonly householdId: string;
  readonly status: string;
  readonly district: string;
  readonly tehsil: string;
  readonly members: number;
}

/** The search box: one field for a CNIC, a mobile number, a reference or a household id. */
export function HouseholdSearchForm({ q, error }: { q: string; error?: string | undefined }) {
  return (
    <form method="get" action="/console/households" id="household-search" class="card">
      <div class={error ? 'field has-error' : 'field'}>
        <label for="q">CNIC, mobile number or reference</label>
        <p class="hint" id="q-hint">
          Any form: 35202-1234567-1 or 3520212345671; 0300-1234567, +92 300 1234567 or 923001234567; a
          reference such as W1234567 or an appeal id; or a household id.
        </p>
        {error ? (
          <p class="error" id="q-error">
            {error}
          </p>
        ) : null}
        <input
          id="q"
          name="q"
          value={q}
          autocomplete="off"
          aria-describedby={error ? 'q-hint q-error' : 'q-hint'}
        />
      </div>
      <button type="submit">Find household</button>
      <p class="muted">Every search is recorded in the audit ledger with your name.</p>
    </form>
  );
}

const KIND: Record<HouseholdQuery['kind'], string> = {
  cnic: 'CNIC',
  phone: 'mobile number',
  reference: 'reference',
  household: 'household id',
};

/** What a search found: one link per household (a phone may have sent several households' CNICs). */
export function HouseholdSearchResults({
  kind,
  found,
}: {
  kind: HouseholdQuery['kind'];
  found: readonly HouseholdSummary[];
}) {
  if (found.length === 0)
    return (
      <p id="no-household" class="summary">
        No household found by that {KIND[kind]}. A phone is found once it has sent a message; a reference once
        it has been sent to a household.
      </p>
    );
  return (
    <div class="scroll">
      <table id="search-results">
        <caption>Found by {KIND[kind]}</caption>
        <thead>
          <tr>
            <th>Household</th>
            <th>Status</th>
            <th>Area</th>
            <th>Members</th>
          </tr>
        </thead>
        <tbody>
          {found.map((h) => (
            <tr>
              <td>
                <a href={`/console/households/${h.householdId}`}>{h.householdId}</a>
              </td>
              <td>
                <span class="tag">{h.status}</span>
              </td>
              <td>
                {h.district || '?'} / {h.tehsil || '?'}
              </td>
              <td>{h.members}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
