/**
 * Small-cell suppression of the public campaign figures. A published figure must never let anyone
 * work out a number of households between 0 and 4 in an area or outcome: "Darel 1 registered,
 * 0 eligible" told the world the outcome of the only household of a tehsil. So:
 * - an area (tehsil or district) is shown on its own only when both its eligible and its other
 *   (not eligible, waitlisted, refused...) households number at least 5;
 * - the others are folded into "other tehsils of <district>" ("other districts"), and shown areas are
 *   folded in too, smallest first, until that remainder itself has at least 5 of each (or is empty),
 *   so that a total minus the shown areas never reveals a suppressed cell;
 * - a row that cannot be shown whole (only the campaign total can be) shows "fewer than 5" for a
 *   count under 5, and withholds the eligible count when the households not eligible are under 5.
 */

/** The smallest count published as a number. */
export const SMALL_CELL = 5;

/** Disjoint outcome counts of an area: eligible, and every other decision but repeats. */
export interface OutcomeCounts {
  readonly eligible: number;
  readonly notEligible: number;
}

export interface DistrictCounts {
  readonly district: string;
  /** Every decision counted in the district, with or without a tehsil. */
  readonly total: OutcomeCounts;
  readonly tehsils: readonly { readonly tehsil: string; readonly counts: OutcomeCounts }[];
}

/** A published number, a number under 5 not given, or a number withheld so another cannot be derived. */
export type PublicCell =
  | { readonly kind: 'count'; readonly value: number }
  | { readonly kind: 'fewer-than-5' }
  | { readonly kind: 'withheld' };

export interface PublicRow {
  readonly registered: PublicCell;
  readonly eligible: PublicCell;
}

export interface PublicDistrict {
  readonly district: string;
  readonly figures: PublicRow;
  readonly tehsils: readonly { readonly tehsil: string; readonly figures: PublicRow }[];
  /** The tehsils not shown on their own (and district decisions without a tehsil); absent when none. */
  readonly otherTehsils?: PublicRow;
}

export interface PublicAreaTable {
  readonly total: PublicRow;
  readonly districts: readonly PublicDistrict[];
  /** The districts not shown on their own; absent when none. */
  readonly otherDistricts?: PublicRow;
}

const ZERO: OutcomeCounts = { eligible: 0, notEligible: 0 };
const plus = (a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts => ({
  eligible: a.eligible + b.eligible,
  notEligible: a.notEligible + b.notEligible,
});
const minus = (a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts => ({
  eligible: a.eligible - b.eligible,
  notEligible: a.notEligible - b.notEligible,
});
const registered = (c: OutcomeCounts) => c.eligible + c.notEligible;
const isEmpty = (c: OutcomeCounts) => c.eligible === 0 && c.notEligible === 0;

/** True when an area can be shown on its own: at least 5 households of each outcome. */
export function isPublishable(c: OutcomeCounts): boolean {
  return c.eligible >= SMALL_CELL && c.notEligible >= SMALL_CELL;
}

/** The cells of one row; exact numbers only where nothing under 5 can be derived from them. */
export function publicRow(c: OutcomeCounts): PublicRow {
  const count = (value: number): PublicCell => ({ kind: 'count', value });
  const fewer: PublicCell = { kind: 'fewer-than-5' };
  if (isPublishable(c)) return { registered: count(registered(c)), eligible: count(c.eligible) };
  if (registered(c) < SMALL_CELL) return { registered: fewer, eligible: fewer };
  if (c.eligible < SMALL_CELL) return { registered: count(registered(c)), eligible: fewer };
  return { registered: count(registered(c)), eligible: { kind: 'withheld' } };
}

/**
 * Splits a total into the parts shown on their own and the remainder: parts under 5 of either
 * outcome go to the remainder, then shown parts, smallest first, until the remainder is empty or
 * publishable itself (with every part folded, the remainder is the total).
 */
function splitShown<T extends { counts: OutcomeCounts }>(total: OutcomeCounts, parts: readonly T[]) {
  const shown = parts
    .filter((p) => isPublishable(p.counts))
    .sort((a, b) => registered(b.counts) - registered(a.counts));
  let rest = minus(
    total,
    shown.reduce((sum, p) => plus(sum, p.counts), ZERO),
  );
  while (!isEmpty(rest) && !isPublishable(rest)) {
    const smallest = shown.pop();
    if (!smallest) break;
    rest = plus(rest, smallest.counts);
  }
  return { shown, rest: shown.length === 0 || isEmpty(rest) ? undefined : rest };
}

const byName = (a: string, b: string) => a.localeCompare(b);
const atLeast = (a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts => ({
  eligible: Math.max(a.eligible, b.eligible),
  notEligible: Math.max(a.notEligible, b.notEligible),
});

/** The public table of a campaign's figures by district and tehsil, small cells suppressed. */
export function suppressSmallCells(districts: readonly DistrictCounts[]): PublicAreaTable {
  const withTotals = districts.map((d) => ({
    ...d,
    // A district counts at least what its tehsils count, whatever order counters were summed in.
    counts: atLeast(
      d.total,
      d.tehsils.reduce((sum, t) => plus(sum, t.counts), ZERO),
    ),
  }));
  const total = withTotals.reduce((sum, d) => plus(sum, d.counts), ZERO);
  const top = splitShown(total, withTotals);
  const shownDistricts = top.shown
    .map((d): PublicDistrict => {
      const inner = splitShown(d.counts, d.tehsils);
      return {
        district: d.district,
        figures: publicRow(d.counts),
        tehsils: inner.shown
          .map((t) => ({ tehsil: t.tehsil, figures: publicRow(t.counts) }))
          .sort((a, b) => byName(a.tehsil, b.tehsil)),
        ...(inner.rest ? { otherTehsils: publicRow(inner.rest) } : {}),
      };
    })
    .sort((a, b) => byName(a.district, b.district));
  return {
    total: publicRow(total),
    districts: shownDistricts,
    ...(top.rest ? { otherDistricts: publicRow(top.rest) } : {}),
  };
}

/** Households paid and the amount: under 5 households, the count is not given and the amount withheld. */
export function publicPaid(paid: { households: number; amount: number }): {
  readonly households: PublicCell;
  readonly amount: PublicCell;
} {
  if (paid.households >= SMALL_CELL) {
    return {
      households: { kind: 'count', value: paid.households },
      amount: { kind: 'count', value: paid.amount },
    };
  }
  return { households: { kind: 'fewer-than-5' }, amount: { kind: 'withheld' } };
}
