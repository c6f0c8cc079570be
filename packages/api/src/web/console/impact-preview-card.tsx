/** @jsxImportSource hono/jsx */
import type { ImpactPreview } from '@madad/core';
import { formatCount } from '../i18n.js';

function Figure({ id, value, label }: { id: string; value: number; label: string }) {
  return (
    <div class="tile">
      <b id={id}>{formatCount(value)}</b>
      <span>{label}</span>
    </div>
  );
}

/**
 * Impact before commitment: what the activation (or a rules change) does, from the registry, by the
 * activation's own steps. Each figure has an id so tests read it back.
 */
export function ImpactPreviewCard({ preview, title }: { preview: ImpactPreview; title: string }) {
  const { topUps, newlyEligible, budget, activation, registrations } = preview;
  const room = Math.max(0, budget.cap - budget.committedAmount);
  return (
    <section class="card" id="impact-preview">
      <h2>{title}</h2>
      {preview.truncated ? (
        <p class="warn" id="preview-truncated">
          Only the first {formatCount(preview.examined)} households of the registry were examined: the figures
          below are a lower bound.
        </p>
      ) : null}
      <div class="tiles">
        <Figure
          id="preview-top-ups"
          value={topUps.households}
          label="Topped up now (programme beneficiaries)"
        />
        <Figure id="preview-enrolled" value={activation.enrolled} label="Top-ups within the caps" />
        <Figure
          id="preview-waitlisted"
          value={activation.waitlisted}
          label="Top-ups waitlisted by the caps"
        />
        <Figure id="preview-already" value={activation.alreadyEnrolled} label="Already enrolled" />
        <Figure
          id="preview-newly-eligible"
          value={newlyEligible.households}
          label="Newly eligible if they register"
        />
        <Figure
          id="preview-new-waitlisted"
          value={registrations.waitlisted}
          label="Of those, waitlisted (room left after the top-ups)"
        />
      </div>
      <p id="preview-budget">
        Top-ups PKR <strong>{formatCount(topUps.amount)}</strong>, new beneficiaries up to PKR{' '}
        {formatCount(newlyEligible.amount)}, against a budget of PKR {formatCount(budget.cap)} of which PKR{' '}
        {formatCount(budget.committedAmount)} is committed (PKR {formatCount(room)} free) and a maximum of{' '}
        {formatCount(budget.maxHouseholds)} households ({formatCount(budget.committedHouseholds)} enrolled).
      </p>
      <div class="scroll">
        <table id="preview-areas">
          <thead>
            <tr>
              <th>District</th>
              <th>Tehsil</th>
              <th class="n">Top-ups</th>
              <th class="n">PKR</th>
              <th class="n">Newly eligible</th>
              <th class="n">PKR</th>
            </tr>
          </thead>
          <tbody>
            {preview.areas.map((a) => (
              <tr data-area={`${a.district}/${a.tehsil}`}>
                <td>{a.district}</td>
                <td>{a.tehsil}</td>
                <td class="n">{formatCount(a.topUps)}</td>
                <td class="n">{formatCount(a.topUpAmount)}</td>
                <td class="n">{formatCount(a.newlyEligible)}</td>
                <td class="n">{formatCount(a.newlyEligibleAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
