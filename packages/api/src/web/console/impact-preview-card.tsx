/** @jsxImportSource hono/jsx */
import type { ImpactPreview } from '@madad/core';
import { formatCount } from '../i18n.js';

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
      <dl class="figures">
        <div>
          <dt>Topped up now (programme beneficiaries)</dt>
          <dd id="preview-top-ups">{formatCount(topUps.households)}</dd>
        </div>
        <div>
          <dt>Top-ups within the caps</dt>
          <dd id="preview-enrolled">{formatCount(activation.enrolled)}</dd>
        </div>
        <div>
          <dt>Top-ups waitlisted by the caps</dt>
          <dd id="preview-waitlisted">{formatCount(activation.waitlisted)}</dd>
        </div>
        <div>
          <dt>Already enrolled</dt>
          <dd id="preview-already">{formatCount(activation.alreadyEnrolled)}</dd>
        </div>
        <div>
          <dt>Newly eligible if they register</dt>
          <dd id="preview-newly-eligible">{formatCount(newlyEligible.households)}</dd>
        </div>
        <div>
          <dt>Of those, waitlisted (room left after top-ups)</dt>
          <dd id="preview-new-waitlisted">{formatCount(registrations.waitlisted)}</dd>
        </div>
      </dl>
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
