/** @jsxImportSource hono/jsx */
import {
  type Campaign,
  type CampaignFigures,
  FIGURE_LABELS,
  formatPakistanClock,
  formatPakistanTime,
} from '@madad/core';
import { formatCount } from '../i18n.js';
import { areaSummary } from './campaign-list.js';
import type { DashboardData } from './dashboard-data.js';
import { RateChart } from './rate-chart.js';

function Tile({ id, value, label }: { id: string; value: number; label: string }) {
  return (
    <div class="tile">
      <b id={id}>{formatCount(value)}</b>
      <span>{label}</span>
    </div>
  );
}

function Bar({ used, cap }: { used: number; cap: number }) {
  const pct = cap > 0 ? Math.min(100, (used / cap) * 100) : 0;
  return (
    <div class="bar" role="img" aria-label={`${pct.toFixed(1)}% of the cap`}>
      <i style={`width:${pct.toFixed(1)}%`} />
    </div>
  );
}

const STATUSES = ['ELIGIBLE', 'NOT_ELIGIBLE', 'DUPLICATE', 'CAMPAIGN_CLOSED'] as const;

/** The defined figures (core `campaignFigures`) in the order shown, with their element ids. */
const FIGURE_TILES: readonly (readonly [keyof CampaignFigures, string])[] = [
  ['received', 'tile-received'],
  ['decided', 'tile-decided'],
  ['decidedByExpansion', 'tile-vertical'],
  ['eligible', 'tile-eligible'],
  ['waitlisted', 'tile-waitlisted'],
  ['pendingVerification', 'tile-pending'],
  ['enrolled', 'tile-enrolled'],
  ['paidOnce', 'tile-paid'],
];

/** The part of the dashboard that refreshes itself: counts, budget, chart, districts. */
export function DashboardLive({ data }: { data: DashboardData }) {
  const { tiles, summary, budget } = data;
  const cap = data.campaign.budgetCap;
  const districts = Object.entries(summary.byDistrict).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <div class="tiles">
        {FIGURE_TILES.map(([name, id]) => (
          <Tile id={id} value={data.figures[name]} label={FIGURE_LABELS[name]} />
        ))}
        <Tile id="tile-queued" value={tiles.queued} label="Waiting in the queue" />
        <Tile id="tile-dlq" value={tiles.deadLetters} label="Dead letters (all queues)" />
      </div>
      <p class="muted" id="figures-defined">
        Counted for this campaign only (decisions outside any campaign are on the campaign list). Decided:
        every outcome, a repeat of an enrolled household not counted again; eligible: enrolled or waitlisted.
      </p>
      <h2>Budget</h2>
      <div class="card">
        <p>
          Committed by decisions:{' '}
          <strong id="budget-committed">PKR {formatCount(summary.budget.committed)}</strong> of PKR{' '}
          {formatCount(cap)}
        </p>
        <Bar used={summary.budget.committed} cap={cap} />
        <p>
          Reserved by approved batches: PKR {formatCount(budget.reserved)} ({formatCount(budget.households)}{' '}
          households); paid: PKR {formatCount(budget.paid)} ({formatCount(budget.paidHouseholds)} households)
        </p>
        <Bar used={budget.reserved} cap={cap} />
        {budget.duplicates > 0 ? (
          <p class="warn" id="duplicate-payments">
            {formatCount(budget.duplicates)} duplicate payments (PKR {formatCount(budget.duplicateAmount)}) to
            households already paid: recover the money.
          </p>
        ) : null}
      </div>
      <h2>Registrations per minute</h2>
      <RateChart points={data.perMinute} />
      <h2>By district</h2>
      {districts.length === 0 ? (
        <p>No decisions yet.</p>
      ) : (
        <div class="scroll">
          <table id="by-district">
            <thead>
              <tr>
                <th>District</th>
                {STATUSES.map((s) => (
                  <th class="n">{s.replace(/_/g, ' ').toLowerCase()}</th>
                ))}
                <th class="n">Committed (PKR)</th>
              </tr>
            </thead>
            <tbody>
              {districts.map(([district, counts]) => (
                <tr>
                  <th scope="row">{district}</th>
                  {STATUSES.map((s) => (
                    <td class="n">{formatCount(counts[s] ?? 0)}</td>
                  ))}
                  <td class="n">{formatCount(counts.amount ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted">
        Updated <span id="updated-at">{formatPakistanClock(data.at)}</span>.
      </p>
    </>
  );
}

/** The header of a campaign's pages: what it is, and what the signed-in staff member may do with it. */
export function CampaignHeader({ campaign, canRunIt }: { campaign: Campaign; canRunIt: boolean }) {
  const base = `/console/campaigns/${campaign.campaignId}`;
  return (
    <>
      <p class="muted">
        <a href="/console/campaigns">Campaigns</a> / {campaign.campaignId}
      </p>
      <h1>
        {campaign.name}{' '}
        <span class="tag" id="campaign-status">
          {campaign.status}
        </span>
      </h1>
      <p>
        {campaign.nameUr ? (
          <>
            <span lang="ur" dir="rtl" id="campaign-name-ur">
              {campaign.nameUr}
            </span>
            :{' '}
          </>
        ) : null}
        {campaign.shockType} in {areaSummary(campaign)}, open{' '}
        <span id="campaign-window">
          {formatPakistanTime(campaign.opensAt)} to {formatPakistanTime(campaign.closesAt)}
        </span>
        . Rules {campaign.ruleSetVersion}: PMT at or below {campaign.rules.pmtThreshold}, top-up PKR{' '}
        {formatCount(campaign.rules.amounts.topUp)}, new beneficiary PKR{' '}
        {formatCount(campaign.rules.amounts.newBeneficiary)}.
      </p>
      <p class="row">
        {canRunIt && campaign.status === 'draft' ? (
          <a class="button" href={`${base}/activate`} id="activate">
            Activate…
          </a>
        ) : null}
        {canRunIt && campaign.status === 'active' ? (
          <a class="button secondary" href={`${base}/close`} id="close">
            Close…
          </a>
        ) : null}
        {canRunIt && campaign.status !== 'closed' ? (
          <>
            <a class="button secondary" href={`${base}/rules`} id="change-rules">
              Change rules…
            </a>
            <a class="button secondary" href={`${base}/replay`} id="replay">
              Replay…
            </a>
          </>
        ) : null}
        <a class="button secondary" href={`${base}/payments`}>
          Payment batches
        </a>
        {campaign.status !== 'draft' ? (
          <a class="button secondary" href={`/campaigns/${campaign.campaignId}`}>
            Public page
          </a>
        ) : null}
      </p>
    </>
  );
}
