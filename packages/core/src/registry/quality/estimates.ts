import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { ValidationError } from '../../errors.js';

/** An estimated rate with its two-sided confidence interval, all as shares between 0 and 1. */
export interface RateEstimate {
  readonly rate: number;
  readonly lower: number;
  readonly upper: number;
}

function requireConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new ValidationError(`A confidence level is between 0 and 1 (got ${confidence})`);
  }
}

/** The two-sided standard normal critical value of a confidence level: 1.96 for 0.95. */
export function zFor(confidence: number): number {
  requireConfidence(confidence);
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

/**
 * Clopper-Pearson ("exact") interval of `errors` out of `checked`: never narrower than the coverage it
 * claims. Non-integer counts are accepted (the stratified estimate's effective sample size).
 */
export function clopperPearson(errors: number, checked: number, confidence: number): RateEstimate {
  requireConfidence(confidence);
  if (checked <= 0) return { rate: 0, lower: 0, upper: 1 };
  const alpha = 1 - confidence;
  const x = Math.min(Math.max(errors, 0), checked);
  return {
    rate: x / checked,
    lower: x <= 0 ? 0 : betaQuantile(alpha / 2, x, checked - x + 1),
    upper: x >= checked ? 1 : betaQuantile(1 - alpha / 2, x + 1, checked - x),
  };
}

/** One stratum of a stratified estimate: its size in the registry, and what its sample found. */
export interface StratumCount {
  readonly population: number;
  readonly checked: number;
  readonly errors: number;
}

/**
 * The registry-wide rate from a stratified sample: each stratum's rate weighted by its share of the
 * registry, the variance with each stratum's finite population correction, and the interval of
 * Korn and Graubard (1998): Clopper-Pearson at the effective sample size `rate(1-rate)/variance`
 * (the whole sample when no error was seen). Strata with nothing checked are left out of the weights.
 */
export function stratifiedEstimate(strata: readonly StratumCount[], confidence: number): RateEstimate {
  const sampled = strata.filter((s) => s.checked > 0 && s.population > 0);
  const total = sampled.reduce((sum, s) => sum + s.population, 0);
  const checked = sampled.reduce((sum, s) => sum + s.checked, 0);
  if (total === 0 || checked === 0) return { rate: 0, lower: 0, upper: 1 };
  let rate = 0;
  let variance = 0;
  for (const s of sampled) {
    const weight = s.population / total;
    const p = s.errors / s.checked;
    rate += weight * p;
    const fpc = Math.max(0, 1 - s.checked / s.population);
    if (s.checked > 1) variance += (weight * weight * fpc * p * (1 - p)) / (s.checked - 1);
  }
  const effective = variance > 0 ? Math.min(checked, (rate * (1 - rate)) / variance) : checked;
  const interval = clopperPearson(rate * effective, effective, confidence);
  return { rate, lower: interval.lower, upper: interval.upper };
}
