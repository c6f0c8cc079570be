import { ValidationError } from '../../errors.js';
import { zFor } from './estimates.js';

/** What a back-check must be able to tell: how sure, how close, and the rate expected (0.5 if unknown). */
export interface PrecisionTarget {
  readonly confidence: number;
  readonly margin: number;
  readonly expectedRate?: number;
}

/**
 * Households to re-visit so that an error rate is known within `margin` at `confidence`: Cochran's
 * n0 = z^2 p (1 - p) / e^2, then the finite population correction n = n0 / (1 + (n0 - 1) / N),
 * rounded up (never more than the registry holds). With p = 0.5 (the default, the largest n0) at
 * 95% and 5%: 385 for a registry too large to matter, 341 for 3,000 households, 278 for 1,000.
 */
export function sampleSize(target: PrecisionTarget, population: number): number {
  const p = target.expectedRate ?? 0.5;
  if (!(target.margin > 0 && target.margin < 1)) {
    throw new ValidationError(`A margin of error is between 0 and 1 (got ${target.margin})`);
  }
  if (!(p > 0 && p < 1)) throw new ValidationError(`An expected rate is between 0 and 1 (got ${p})`);
  if (population <= 0) return 0;
  const z = zFor(target.confidence);
  const n0 = (z * z * p * (1 - p)) / (target.margin * target.margin);
  const corrected = n0 / (1 + (n0 - 1) / population);
  // A hair of rounding slack, so 384.00000000001 does not become 385.
  return Math.min(population, Math.ceil(corrected - 1e-9));
}

/** Each stratum's share of a sample, by name. */
export type Allocation = ReadonlyMap<string, number>;

/** The fewest households drawn from any stratum (all of it when smaller): a stratum's variance needs two. */
export const MIN_PER_STRATUM = 2;

/**
 * Splits `total` across strata in proportion to their sizes (the sample is then self-weighting):
 * each gets the whole part of `total * size / population`, the households left over go one each to
 * the largest remainders (ties: the larger stratum, then the name, see `compareCodePoints`). Every
 * stratum then gets at least `MIN_PER_STRATUM` (or all of it), which may add a few households to
 * `total`, and never more than it holds.
 */
export function allocateProportionally(sizes: ReadonlyMap<string, number>, total: number): Allocation {
  const names = [...sizes.keys()].sort(compareCodePoints);
  const population = names.reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
  const wanted = Math.min(total, population);
  if (population === 0 || wanted <= 0) return new Map(names.map((name) => [name, 0]));
  const quotas = names.map((name) => {
    const size = sizes.get(name) ?? 0;
    const exact = (wanted * size) / population;
    return { name, size, whole: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = wanted - quotas.reduce((sum, q) => sum + q.whole, 0);
  const byRemainder = [...quotas].sort(
    (a, b) => b.remainder - a.remainder || b.size - a.size || compareCodePoints(a.name, b.name),
  );
  for (const quota of byRemainder) {
    if (left <= 0) break;
    quota.whole += 1;
    left -= 1;
  }
  return new Map(quotas.map((q) => [q.name, Math.min(q.size, Math.max(q.whole, MIN_PER_STRATUM))] as const));
}

/**
 * Orders strings by UTF-16 code units, the same on every machine and locale (no `localeCompare`);
 * for every Latin and Urdu character (all below U+10000) that is code-point order.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
