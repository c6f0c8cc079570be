import { BACK_CHECK_FIELDS, type BackCheckField, disagrees, registryValues } from './back-check-fields.js';
import type { Sample } from './draw-sample.js';
import { clopperPearson, type RateEstimate, stratifiedEstimate } from './estimates.js';
import { type QualityHousehold, stratumOf } from './quality-household.js';
import { compareCodePoints } from './sample-size.js';

/** One household's re-collected values, as the validator's results file gives them. */
export interface ValidatorResult {
  readonly householdId: string;
  readonly values: Partial<Record<BackCheckField, string>>;
}

export interface CountedRate extends RateEstimate {
  readonly checked: number;
  readonly errors: number;
}

export interface StratumRate extends CountedRate {
  readonly stratum: string;
  readonly population: number;
}

export interface FieldReport {
  readonly field: BackCheckField;
  /** Registry-wide: the stratified estimate (`stratifiedEstimate`). */
  readonly overall: CountedRate;
  readonly strata: readonly StratumRate[];
}

/** An enumerator or an area whose error rate is out of line (`OUTLIER_RULE`). */
export interface Outlier extends CountedRate {
  readonly kind: 'enumerator' | 'tehsil';
  readonly unit: string;
}

export interface BackCheckReport {
  readonly sampleId: string;
  readonly seed: string;
  readonly by: string;
  readonly confidence: number;
  readonly generatedAt: string;
  /** Sampled households the results file reported on. */
  readonly visited: number;
  readonly sampled: number;
  readonly fields: readonly FieldReport[];
  /** Every field check pooled, registry-wide (stratified). */
  readonly allFields: CountedRate;
  readonly outliers: readonly Outlier[];
}

/** The fewest field checks an enumerator or area needs before it can be flagged. */
export const OUTLIER_MIN_CHECKS = 10;
export const OUTLIER_RULE =
  `an enumerator or tehsil with at least ${OUTLIER_MIN_CHECKS} field checks whose Clopper-Pearson ` +
  'interval of its error rate (all fields pooled) lies wholly above the registry-wide rate of all fields';

interface Tally {
  checked: number;
  errors: number;
}
const tally = (): Tally => ({ checked: 0, errors: 0 });
function bump(map: Map<string, Tally>, key: string, checked: number, errors: number) {
  const t = map.get(key) ?? tally();
  t.checked += checked;
  t.errors += errors;
  map.set(key, t);
}

/**
 * The back-check report: each field's error rate per stratum (Clopper-Pearson) and registry-wide
 * (stratified, Korn-Graubard), and the enumerators and tehsils out of line. A result for a
 * household outside the sample, or one the registry no longer holds, is not counted (the caller
 * rejects it with a reason first: `checkResults`).
 */
export function backCheckReport(input: {
  readonly sample: Sample;
  readonly results: readonly ValidatorResult[];
  readonly households: ReadonlyMap<string, QualityHousehold>;
  readonly confidence: number;
  readonly at: string;
}): BackCheckReport {
  const { sample, confidence } = input;
  const inSample = new Map(sample.households.map((h) => [h.householdId, h.stratum] as const));
  const perField = new Map(BACK_CHECK_FIELDS.map((f) => [f, new Map<string, Tally>()] as const));
  const pooled = new Map<string, Tally>();
  const units = { enumerator: new Map<string, Tally>(), tehsil: new Map<string, Tally>() };
  let visited = 0;
  for (const result of input.results) {
    const stratum = inSample.get(result.householdId);
    const household = input.households.get(result.householdId);
    if (stratum === undefined || !household) continue;
    visited += 1;
    const registry = registryValues(household);
    let checked = 0;
    let errors = 0;
    for (const field of BACK_CHECK_FIELDS) {
      const found = result.values[field]?.trim();
      if (!found) continue;
      const wrong = disagrees(field, registry[field], found) ? 1 : 0;
      bump(perField.get(field) ?? new Map(), stratum, 1, wrong);
      checked += 1;
      errors += wrong;
    }
    bump(pooled, stratum, checked, errors);
    bump(units.enumerator, stratumOf(household, 'enumerator'), checked, errors);
    bump(units.tehsil, stratumOf(household, 'tehsil'), checked, errors);
  }
  const strataOf = (tallies: Map<string, Tally>): StratumRate[] =>
    sample.strata.map((s) => {
      const t = tallies.get(s.stratum) ?? tally();
      return {
        stratum: s.stratum,
        population: s.population,
        ...t,
        ...clopperPearson(t.errors, t.checked, confidence),
      };
    });
  const overallOf = (strata: readonly StratumRate[]): CountedRate => ({
    checked: strata.reduce((sum, s) => sum + s.checked, 0),
    errors: strata.reduce((sum, s) => sum + s.errors, 0),
    ...stratifiedEstimate(strata, confidence),
  });
  const fields = BACK_CHECK_FIELDS.map((field) => {
    const strata = strataOf(perField.get(field) ?? new Map());
    return { field, overall: overallOf(strata), strata };
  });
  const allFields = overallOf(strataOf(pooled));
  return {
    sampleId: sample.sampleId,
    seed: sample.spec.seed,
    by: sample.spec.by,
    confidence,
    generatedAt: input.at,
    visited,
    sampled: sample.households.length,
    fields,
    allFields,
    outliers: [
      ...outliersOf('enumerator', units.enumerator, allFields.rate, confidence),
      ...outliersOf('tehsil', units.tehsil, allFields.rate, confidence),
    ],
  };
}

function outliersOf(
  kind: Outlier['kind'],
  tallies: Map<string, Tally>,
  registryRate: number,
  confidence: number,
): Outlier[] {
  return [...tallies]
    .filter(([, t]) => t.checked >= OUTLIER_MIN_CHECKS)
    .map(([unit, t]) => ({ kind, unit, ...t, ...clopperPearson(t.errors, t.checked, confidence) }))
    .filter((o) => o.lower > registryRate)
    .sort((a, b) => b.rate - a.rate || compareCodePoints(a.unit, b.unit));
}
