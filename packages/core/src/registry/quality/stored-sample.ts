import { drawKey, type Sample } from './draw-sample.js';
import type { StoredSample } from './report-schemas.js';

/** A sample as stored: household ids grouped by stratum, without the draw keys anyone can recompute. */
export function storedSampleOf(sample: Sample, drawnAt: string): StoredSample {
  const households: Record<string, string[]> = {};
  for (const h of sample.households)
    households[h.stratum] = [...(households[h.stratum] ?? []), h.householdId];
  return {
    sampleId: sample.sampleId,
    drawnAt,
    spec: sample.spec,
    population: sample.population,
    strata: sample.strata.map((s) => ({ ...s })),
    households,
  };
}

/** The sample a stored one describes, draw keys recomputed from its seed. */
export function sampleFromStored(stored: StoredSample): Sample {
  return {
    sampleId: stored.sampleId,
    spec: stored.spec,
    population: stored.population,
    strata: stored.strata,
    households: stored.strata.flatMap(({ stratum }) =>
      (stored.households[stratum] ?? []).map((householdId) => ({
        householdId,
        stratum,
        key: drawKey(stored.spec.seed, householdId),
      })),
    ),
  };
}
