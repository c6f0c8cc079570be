import { type Campaign, campaignCovers, isOpen } from '../campaigns/campaign.js';
import type { Decision } from '../eligibility/decision.js';
import type { OutcomeCounts } from './public-figures.js';

/**
 * The figures of one campaign, one set of terms for the console dashboard, the public campaign page
 * and `GET /api/v1/campaigns/{id}/stats`. Each is counted PER CAMPAIGN from the campaign's own
 * counters (the decisions the reconciler and vertical expansion made under it, as first made; a
 * waitlist promotion moves its household from waitlisted to enrolled; an appeal overturn or an applied
 * rules replay does not change them), except `paidOnce`, which the payment ledger counts. Decisions outside any campaign (flags, unknown CNICs,
 * nothing open) are never in a campaign's figures: they are one global number of their own.
 */
export interface CampaignFigures {
  /** Registrations received by SMS and on the web and decided under the campaign, repeats included. */
  readonly received: number;
  /**
   * Households decided under the campaign, from registrations and from vertical expansion, whatever
   * the outcome; a repeat of a household already enrolled (DUPLICATE) is not decided again.
   */
  readonly decided: number;
  /** Of `decided`: households topped up by vertical expansion without registering. */
  readonly decidedByExpansion: number;
  /** Of `decided`: households that met the campaign's rules (enrolled or waitlisted). */
  readonly eligible: number;
  /** Of `eligible`: past the household maximum or the budget, promoted in order if a cap is raised. */
  readonly waitlisted: number;
  /** Of `decided`: registrants not in the registry, waiting for staff to verify them. */
  readonly pendingVerification: number;
  /** Of `eligible`: households given an entitlement within the caps. */
  readonly enrolled: number;
  /** Households paid at least once (a second payment to the same household is not counted again). */
  readonly paidOnce: number;
}

export type Counters = Readonly<Record<string, number>>;

const status = (counters: Counters, name: string) => counters[`status:${name}`] ?? 0;

/** The campaign's figures from its counters (`status:ELIGIBLE`, `channel:sms`...) and the households paid. */
export function campaignFigures(
  counters: Counters,
  paid: { readonly paidHouseholds: number },
): CampaignFigures {
  const enrolled = status(counters, 'ELIGIBLE');
  const waitlisted = status(counters, 'WAITLISTED');
  return {
    received: (counters['channel:sms'] ?? 0) + (counters['channel:web'] ?? 0),
    decided: Math.max(0, (counters.decided ?? 0) - status(counters, 'DUPLICATE')),
    decidedByExpansion: counters['channel:vertical'] ?? 0,
    eligible: enrolled + waitlisted,
    waitlisted,
    pendingVerification: status(counters, 'PENDING_VERIFICATION'),
    enrolled,
    paidOnce: paid.paidHouseholds,
  };
}

/**
 * An area's (or the campaign's) counts by status, as the public table splits them: eligible
 * (enrolled or waitlisted) and the rest of `decided`; repeats (DUPLICATE) are not decisions.
 */
export function outcomeCountsOf(byStatus: Readonly<Record<string, number>> | undefined): OutcomeCounts {
  let decided = 0;
  for (const [name, value] of Object.entries(byStatus ?? {})) {
    if (name !== 'amount' && name !== 'DUPLICATE') decided += value;
  }
  const eligible = (byStatus?.ELIGIBLE ?? 0) + (byStatus?.WAITLISTED ?? 0);
  return { eligible, notEligible: decided - eligible };
}

/**
 * The campaign a decision is counted under. A decision names its campaign, except PENDING_VERIFICATION
 * (the registrant is not in the registry, so the rules could not place them): it counts under the
 * open campaign covering the area the web form gave, or, with no area (SMS), the only campaign open;
 * otherwise, and for every other decision without a campaign, outside any campaign (undefined).
 */
export function campaignCountedUnder(
  decision: Pick<Decision, 'status' | 'campaignId'>,
  area: { readonly district?: string | undefined; readonly tehsil?: string | undefined },
  campaigns: readonly Campaign[],
  now: Date,
): string | undefined {
  if (decision.campaignId) return decision.campaignId;
  if (decision.status !== 'PENDING_VERIFICATION') return undefined;
  const open = campaigns.filter((c) => isOpen(c, now));
  if (area.district) {
    const covering = open.filter((c) => campaignCovers(c, area.district ?? '', area.tehsil ?? ''));
    return covering.length === 1 ? covering[0]?.campaignId : undefined;
  }
  return open.length === 1 ? open[0]?.campaignId : undefined;
}

/** Each figure's name where staff read it (the console, in English), in the order pages show them. */
export const FIGURE_LABELS: Readonly<Record<keyof CampaignFigures, string>> = {
  received: 'Received (SMS and web)',
  decided: 'Decided',
  decidedByExpansion: 'Decided by vertical expansion',
  eligible: 'Eligible',
  waitlisted: 'Waitlisted (funds exhausted)',
  pendingVerification: 'Pending verification',
  enrolled: 'Enrolled',
  paidOnce: 'Paid (households)',
};
