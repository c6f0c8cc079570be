/** @jsxImportSource hono/jsx */
import { CAMPAIGN_NAME_UR_MAX, type Campaign, formatPakistanTime } from '@madad/core';
import { describedBy, ErrorSummary, Field } from '../fields.js';
import {
  type CampaignFormErrors,
  type CampaignFormValues,
  EXCLUSION_FILTERS,
  SHOCK_TYPES,
} from './campaign-form.js';

export function areaSummary(campaign: Pick<Campaign, 'areas'>): string {
  return campaign.areas
    .map((a) => (a.tehsils && a.tehsils.length > 0 ? `${a.district} (${a.tehsils.join(', ')})` : a.district))
    .join('; ');
}

/** All campaigns, newest first, each linking to its dashboard. */
export function CampaignTable({ campaigns }: { campaigns: readonly Campaign[] }) {
  if (campaigns.length === 0) return <p id="no-campaigns">No campaigns yet.</p>;
  const sorted = [...campaigns].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div class="scroll">
      <table id="campaigns">
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Status</th>
            <th>Areas</th>
            <th>Window (Pakistan time)</th>
            <th class="n">Budget cap (PKR)</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr data-campaign={c.campaignId}>
              <td>
                <a href={`/console/campaigns/${c.campaignId}`}>{c.name}</a>
                {c.nameUr ? (
                  <div lang="ur" dir="rtl" class="name-ur">
                    {c.nameUr}
                  </div>
                ) : null}
                <div class="muted">{c.campaignId}</div>
              </td>
              <td>
                <span class="tag">{c.status}</span>
              </td>
              <td>{areaSummary(c)}</td>
              <td>
                {formatPakistanTime(c.opensAt)} to {formatPakistanTime(c.closesAt)}
              </td>
              <td class="n">{c.budgetCap.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TextField(props: {
  id: keyof CampaignFormValues;
  label: string;
  hint?: string;
  values: CampaignFormValues;
  errors: CampaignFormErrors;
  type?: string;
  inputmode?: 'numeric' | 'decimal';
  /** For the Urdu name: typed and shown right to left. */
  urdu?: boolean;
  maxlength?: number;
}) {
  const { id, label, hint, values, errors } = props;
  return (
    <Field id={id} label={label} {...(hint ? { hint } : {})} error={errors[id]}>
      <input
        id={id}
        name={id}
        type={props.type ?? 'text'}
        inputmode={props.inputmode}
        lang={props.urdu ? 'ur' : undefined}
        dir={props.urdu ? 'rtl' : undefined}
        maxlength={props.maxlength}
        value={String(values[id])}
        aria-describedby={describedBy(id, Boolean(hint), errors[id])}
        aria-invalid={errors[id] ? 'true' : undefined}
      />
    </Field>
  );
}

/** The emergency cell's declaration form; validated by the API's own schema on the server. */
export function CampaignForm({ values, errors }: { values: CampaignFormValues; errors: CampaignFormErrors }) {
  return (
    <form method="post" action="/console/campaigns" class="card" id="create-campaign" novalidate>
      <h2>Declare a campaign</h2>
      <ErrorSummary title="The campaign was not created:" errors={errors} />
      <div class="pair">
        <TextField id="name" label="Name" values={values} errors={errors} />
        <TextField
          id="nameUr"
          label="Name in Urdu"
          hint={`Urdu script, at most ${CAMPAIGN_NAME_UR_MAX} characters: Urdu replies and pages show it, e.g. سیلاب ۲۰۲۶`}
          urdu
          maxlength={CAMPAIGN_NAME_UR_MAX}
          values={values}
          errors={errors}
        />
      </div>
      <Field id="shockType" label="Shock" error={errors.shockType}>
        <select id="shockType" name="shockType">
          {SHOCK_TYPES.map((s) => (
            <option selected={values.shockType === s}>{s}</option>
          ))}
        </select>
      </Field>
      <Field
        id="areas"
        label="Affected areas"
        hint="One district a line; to limit it to some tehsils: Lahore: Lahore City, Model Town"
        error={errors.areas}
      >
        <textarea
          id="areas"
          name="areas"
          rows={4}
          aria-describedby={describedBy('areas', true, errors.areas)}
          aria-invalid={errors.areas ? 'true' : undefined}
        >
          {values.areas}
        </textarea>
      </Field>
      <div class="pair">
        <TextField
          id="opensAt"
          label="Opens (Pakistan time)"
          type="datetime-local"
          values={values}
          errors={errors}
        />
        <TextField
          id="closesAt"
          label="Closes (Pakistan time)"
          type="datetime-local"
          values={values}
          errors={errors}
        />
      </div>
      <div class="pair">
        <TextField
          id="pmtThreshold"
          label="PMT score threshold (at or below is eligible)"
          inputmode="decimal"
          values={values}
          errors={errors}
        />
        <TextField
          id="maxHouseholds"
          label="Most households"
          inputmode="numeric"
          values={values}
          errors={errors}
        />
      </div>
      <div class="pair">
        <TextField
          id="topUp"
          label="Top-up for current beneficiaries (PKR)"
          inputmode="numeric"
          values={values}
          errors={errors}
        />
        <TextField
          id="newBeneficiary"
          label="Amount for new beneficiaries (PKR)"
          inputmode="numeric"
          values={values}
          errors={errors}
        />
      </div>
      <TextField
        id="budgetCap"
        label="Budget cap (PKR)"
        inputmode="numeric"
        values={values}
        errors={errors}
      />
      <fieldset class="checks">
        <legend>Exclusion filters</legend>
        {EXCLUSION_FILTERS.map((f) => (
          <label>
            <input
              type="checkbox"
              name="exclusionFilters"
              value={f}
              checked={values.exclusionFilters.includes(f)}
            />
            {f}
          </label>
        ))}
      </fieldset>
      <p class="checks">
        <label>
          <input type="checkbox" name="notifyTopUps" checked={values.notifyTopUps} />
          Tell topped-up households by SMS
        </label>
      </p>
      <button type="submit">Create draft</button>
      <p class="muted">A draft decides nothing until it is activated.</p>
    </form>
  );
}
