import { createHash } from 'node:crypto';
import { ValidationError } from '../../errors.js';
import { type QualityHousehold, type StratifyBy, stratumOf } from './quality-household.js';
import {
  allocateProportionally,
  compareCodePoints,
  type PrecisionTarget,
  sampleSize,
} from './sample-size.js';

/** What to draw: the seed anyone can re-use, the stratification and the precision wanted. */
export interface SampleSpec extends PrecisionTarget {
  readonly seed: string;
  readonly by: StratifyBy;
  /** Households to draw in all, instead of the size the precision target gives. */
  readonly size?: number;
}

export interface SampledStratum {
  readonly stratum: string;
  /** Households of the stratum in the registry when the sample was drawn. */
  readonly population: number;
  readonly size: number;
}

export interface SampledHousehold {
  readonly householdId: string;
  readonly stratum: string;
  /** The household's draw key (see `drawKey`), so a validator can check the draw line by line. */
  readonly key: string;
}

export interface Sample {
  readonly sampleId: string;
  readonly spec: SampleSpec;
  readonly population: number;
  readonly strata: readonly SampledStratum[];
  /** Ordered by stratum, then by draw key. */
  readonly households: readonly SampledHousehold[];
}

/** The version of the draw, in every key: a different algorithm must never reuse a seed's sample. */
export const DRAW_VERSION = 'madad-sample-v1';

/**
 * A household's draw key: the lowercase hex SHA-256 of the UTF-8 text
 * `madad-sample-v1\n<seed>\n<householdId>`. SHA-256 is the pseudo-random generator: the keys order
 * the households of a stratum uniformly at random, and anyone with the seed and the registry's
 * household ids computes the same keys, on any machine, in any language.
 */
export function drawKey(seed: string, householdId: string): string {
  return createHash('sha256').update(`${DRAW_VERSION}\n${seed}\n${householdId}`, 'utf8').digest('hex');
}

/**
 * Draws a stratified simple random sample without replacement (docs/quality.md, "Drawing a sample"):
 * 1. each household's stratum (`stratumOf`), and each stratum's size;
 * 2. the sample size from the precision target for the whole registry (`sampleSize`), unless given;
 * 3. allocated proportionally across strata (`allocateProportionally`);
 * 4. in each stratum, the households with the smallest draw keys (`drawKey`; equal keys, which
 *    SHA-256 makes vanishingly rare, by household id in code-unit order).
 * The order the registry is read in does not matter: the same seed and the same registry draw the
 * same sample.
 */
export function drawSample(frame: readonly QualityHousehold[], spec: SampleSpec): Sample {
  if (spec.seed.trim() === '') throw new ValidationError('A sample needs a seed');
  const byStratum = new Map<string, { householdId: string; key: string }[]>();
  const seen = new Set<string>();
  for (const household of frame) {
    if (seen.has(household.householdId)) continue;
    seen.add(household.householdId);
    const stratum = stratumOf(household, spec.by);
    const list = byStratum.get(stratum) ?? [];
    list.push({ householdId: household.householdId, key: drawKey(spec.seed, household.householdId) });
    byStratum.set(stratum, list);
  }
  const population = seen.size;
  const total = spec.size ?? sampleSize(spec, population);
  const sizes = new Map([...byStratum].map(([stratum, list]) => [stratum, list.length] as const));
  const allocation = allocateProportionally(sizes, total);
  const strata: SampledStratum[] = [];
  const households: SampledHousehold[] = [];
  for (const stratum of [...byStratum.keys()].sort(compareCodePoints)) {
    const list = byStratum.get(stratum) ?? [];
    const size = allocation.get(stratum) ?? 0;
    strata.push({ stratum, population: list.length, size });
    list.sort((a, b) => compareCodePoints(a.key, b.key) || compareCodePoints(a.householdId, b.householdId));
    for (const drawn of list.slice(0, size)) households.push({ ...drawn, stratum });
  }
  return { sampleId: sampleIdOf(spec, households), spec, population, strata, households };
}

/** Names a sample after what it drew: the same seed on the same registry gives the same id. */
function sampleIdOf(spec: SampleSpec, households: readonly SampledHousehold[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([DRAW_VERSION, spec.seed, spec.by, households.map((h) => h.householdId)]))
    .digest('hex');
  return `BC-${hash.slice(0, 10).toUpperCase()}`;
}
