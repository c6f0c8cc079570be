import { createHash } from 'node:crypto';
import {
  BACK_CHECK_FIELDS,
  type BackCheckField,
  backCheckReport,
  drawSample,
  type QualityHousehold,
  registryValues,
  type ValidatorResult,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

const DISTRICTS = ['LAHORE', 'MULTAN', 'DADU', 'SUKKUR'] as const;
const HOUSEHOLDS = 1200;

/** A deterministic stream of numbers in [0, 1) from a text seed (mulberry32; the test's own, not the draw's). */
function uniforms(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The truth a validator would find: a registry of households of unequal districts. */
function truthRegistry(): QualityHousehold[] {
  const random = uniforms('truth');
  return Array.from({ length: HOUSEHOLDS }, (_, i) => ({
    householdId: `HH-${String(i).padStart(6, '0')}`,
    district: DISTRICTS[i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : i % 10 < 9 ? 2 : 3],
    tehsil: 'T',
    enumerator: `E${i % 40}`,
    source: 'survey',
    surveyedAt: '2022-01-01',
    phones: [`+9230012${String(i).padStart(5, '0')}`],
    members: [
      {
        cnicHash: `h${i}`,
        relation: 'head',
        gender: random() < 0.5 ? 'female' : 'male',
        birthYear: 1950 + Math.floor(random() * 50),
        maritalStatus: 'married',
        disabled: false,
      },
      {
        cnicHash: `c${i}`,
        relation: 'child',
        gender: 'male',
        birthYear: 2010,
        maritalStatus: 'single',
        disabled: false,
      },
    ],
  }));
}

/** The registry with exactly `rate` of the households wrong in `field` (which ones depends on `seed`). */
function plantErrors(truth: QualityHousehold[], field: BackCheckField, rate: number, seed: string) {
  const random = uniforms(`plant/${seed}`);
  const order = truth.map((h) => ({ h, r: random() })).sort((a, b) => a.r - b.r);
  const wrong = new Set(order.slice(0, Math.round(rate * truth.length)).map((o) => o.h.householdId));
  const registry = truth.map((h) => {
    if (!wrong.has(h.householdId)) return h;
    const [head, ...others] = h.members;
    if (!head) return h;
    const changed =
      field === 'headBirthYear'
        ? { ...head, birthYear: (head.birthYear ?? 1970) + 3 }
        : { ...head, gender: head.gender === 'male' ? 'female' : 'male' };
    return { ...h, members: [changed, ...others] };
  });
  return new Map(registry.map((h) => [h.householdId, h] as const));
}

describe('back-check estimate of a planted error rate', () => {
  it('contains the planted rate within its 95% interval for at least 95% of 200 seeds', () => {
    // Arrange: a registry whose planted rates are known exactly (3% birth years, 8% genders)
    const truth = truthRegistry();
    const byId = new Map(truth.map((h) => [h.householdId, h] as const));
    const planted = { headBirthYear: 0.03, headGender: 0.08 } as const;
    let covered = { headBirthYear: 0, headGender: 0 };
    const seeds = Array.from({ length: 200 }, (_, i) => `seed-${i}`);
    for (const seed of seeds) {
      const withBirthYears = plantErrors(truth, 'headBirthYear', planted.headBirthYear, seed);
      const registry = plantErrors(
        [...withBirthYears.values()],
        'headGender',
        planted.headGender,
        `g-${seed}`,
      );
      // Act: draw, let the validator re-collect the truth, report
      const sample = drawSample([...registry.values()], {
        seed,
        by: 'district',
        confidence: 0.95,
        margin: 0.04,
      });
      const results: ValidatorResult[] = sample.households.map(({ householdId }) => {
        const found = byId.get(householdId);
        if (!found) throw new Error(`no truth for ${householdId}`);
        return { householdId, values: registryValues(found) };
      });
      const report = backCheckReport({ sample, results, households: registry, confidence: 0.95, at: 'now' });
      for (const field of ['headBirthYear', 'headGender'] as const) {
        const estimate = report.fields.find((f) => f.field === field)?.overall;
        if (estimate && estimate.lower <= planted[field] && planted[field] <= estimate.upper) {
          covered = { ...covered, [field]: covered[field] + 1 };
        }
      }
    }
    // Assert
    expect(covered.headBirthYear).toBeGreaterThanOrEqual(190);
    expect(covered.headGender).toBeGreaterThanOrEqual(190);
  });

  it('finds no error in a field nobody got wrong, with an upper bound below 2%', () => {
    const truth = truthRegistry();
    const registry = new Map(truth.map((h) => [h.householdId, h] as const));
    const sample = drawSample(truth, { seed: 'clean', by: 'district', confidence: 0.95, margin: 0.04 });
    const results = truth
      .filter((h) => sample.households.some((s) => s.householdId === h.householdId))
      .map((h) => ({ householdId: h.householdId, values: registryValues(h) }));

    const report = backCheckReport({ sample, results, households: registry, confidence: 0.95, at: 'now' });

    for (const field of BACK_CHECK_FIELDS) {
      const overall = report.fields.find((f) => f.field === field)?.overall;
      expect(overall?.errors).toBe(0);
      expect(overall?.upper).toBeLessThan(0.02);
    }
  });
});
