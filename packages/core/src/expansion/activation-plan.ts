import type { AffectedArea } from '../campaigns/campaign.js';
import type { ActivationWork } from '../schemas.js';

/**
 * Score bands per affected area. Each band is its own chain of pages, so an area's households are
 * enrolled by this many workers at once instead of one page after another.
 */
export const ACTIVATION_BANDS = 8;

/** PMT scores are kept to the hundredth (the area index's sort key has two decimals). */
const CENTS = 100;

/**
 * The work items of an activation: for each affected area, the scores from 0 to the campaign's
 * threshold cut into `bands` contiguous ranges of whole hundredths (`fromCents`..`toCents`, both
 * inclusive), numbered `item` of `items` across the campaign. The ranges of an area touch without
 * overlapping and together cover every score the threshold admits, so every household of the area is
 * in exactly one item.
 */
export function planActivation(
  campaign: { readonly campaignId: string; readonly areas: readonly AffectedArea[] },
  pmtThreshold: number,
  bands = ACTIVATION_BANDS,
): ActivationWork[] {
  const topCents = Math.floor(pmtThreshold * CENTS + 1e-6);
  if (topCents < 0) return [];
  const perArea = Math.max(1, Math.min(bands, topCents + 1));
  const items = campaign.areas.length * perArea;
  return campaign.areas.flatMap((area, a) =>
    scoreBands(topCents, perArea).map((band, b) => ({
      campaignId: campaign.campaignId,
      district: area.district,
      ...(area.tehsils && area.tehsils.length > 0 ? { tehsils: [...area.tehsils] } : {}),
      band,
      item: a * perArea + b,
      items,
      page: 0,
    })),
  );
}

/** `count` contiguous ranges of whole hundredths covering 0..`topCents`, the first ones one wider. */
export function scoreBands(topCents: number, count: number): { fromCents: number; toCents: number }[] {
  const width = Math.floor((topCents + 1) / count);
  const wider = (topCents + 1) % count;
  const out: { fromCents: number; toCents: number }[] = [];
  let from = 0;
  for (let i = 0; i < count; i++) {
    const size = width + (i < wider ? 1 : 0);
    out.push({ fromCents: from, toCents: from + size - 1 });
    from += size;
  }
  return out;
}

/** The score range a work item reads: its band within the threshold, or 0..threshold without one. */
export function scoreRangeOf(
  work: Pick<ActivationWork, 'band'>,
  pmtThreshold: number,
): { minScore?: number; maxScore: number } {
  if (!work.band) return { maxScore: pmtThreshold };
  // A threshold lowered after activation narrows the band; it never widens it.
  return {
    minScore: work.band.fromCents / CENTS,
    maxScore: Math.min(pmtThreshold, work.band.toCents / CENTS),
  };
}
