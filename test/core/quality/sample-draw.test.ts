import {
  allocateProportionally,
  drawKey,
  drawSample,
  type QualityHousehold,
  sampleSize,
  zFor,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

function household(i: number, district: string, enumerator?: string): QualityHousehold {
  return {
    householdId: `HH-${String(i).padStart(5, '0')}`,
    district,
    tehsil: `${district} City`,
    ...(enumerator ? { enumerator } : {}),
    source: 'survey',
    phones: [],
    members: [{ cnicHash: `h${i}`, relation: 'head' }],
  };
}

/** 1,000 households: 600 in Lahore, 300 in Multan, 100 in Dadu. */
const registry = Array.from({ length: 1000 }, (_, i) =>
  household(i, i < 600 ? 'Lahore' : i < 900 ? 'Multan' : 'Dadu', `E${i % 7}`),
);
const spec = { seed: 'flood-2026-round-1', by: 'district', confidence: 0.95, margin: 0.05 } as const;

describe('sampleSize', () => {
  it('gives the textbook figures at 95% confidence and a 5% margin', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 6);
    expect(sampleSize({ confidence: 0.95, margin: 0.05 }, 100_000_000)).toBe(385);
    expect(sampleSize({ confidence: 0.95, margin: 0.05 }, 3000)).toBe(341);
    expect(sampleSize({ confidence: 0.95, margin: 0.05 }, 1000)).toBe(278);
  });

  it('needs fewer households for an expected rate far from one half, and more for 99%', () => {
    expect(sampleSize({ confidence: 0.95, margin: 0.02, expectedRate: 0.05 }, 1_000_000)).toBe(456);
    expect(sampleSize({ confidence: 0.99, margin: 0.05 }, 1_000_000)).toBe(664);
  });

  it('never asks for more households than the registry holds', () => {
    expect(sampleSize({ confidence: 0.99, margin: 0.01 }, 40)).toBe(40);
  });
});

describe('allocateProportionally', () => {
  it('splits the sample in proportion to the strata, remainders to the largest fractions', () => {
    const sizes = new Map([
      ['LAHORE', 600],
      ['MULTAN', 300],
      ['DADU', 100],
    ]);

    const allocation = allocateProportionally(sizes, 278);

    // 166.8, 83.4, 27.8: whole parts 166 + 83 + 27 = 276, the two left to .8 and .8 (larger first)
    expect(Object.fromEntries(allocation)).toEqual({ DADU: 28, LAHORE: 167, MULTAN: 83 });
  });

  it('draws at least two households from a small stratum, and never more than it has', () => {
    const allocation = allocateProportionally(
      new Map([
        ['BIG', 10_000],
        ['TINY', 1],
      ]),
      50,
    );
    expect(Object.fromEntries(allocation)).toEqual({ BIG: 50, TINY: 1 });
  });
});

describe('drawSample', () => {
  it('draws the same sample from the same seed and registry, whatever order the registry is read in', () => {
    const first = drawSample(registry, spec);
    const second = drawSample([...registry].reverse(), spec);

    expect(second.households).toEqual(first.households);
    expect(second.sampleId).toBe(first.sampleId);
  });

  it('draws a different sample from a different seed', () => {
    const first = drawSample(registry, spec);
    const other = drawSample(registry, { ...spec, seed: 'flood-2026-round-2' });

    const shared = other.households.filter((h) =>
      first.households.some((f) => f.householdId === h.householdId),
    );
    expect(other.sampleId).not.toBe(first.sampleId);
    // Two independent 278-of-1,000 draws share about 77 households, never nearly all
    expect(shared.length).toBeLessThan(150);
  });

  it('takes the households with the smallest SHA-256 draw keys in each stratum', () => {
    const sample = drawSample(registry, spec);

    const dadu = registry
      .filter((h) => h.district === 'Dadu')
      .map((h) => ({ id: h.householdId, key: drawKey(spec.seed, h.householdId) }));
    const expected = dadu
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, 28)
      .map((h) => h.id);
    expect(sample.households.filter((h) => h.stratum === 'DADU').map((h) => h.householdId)).toEqual(expected);
    // The key a validator computes with `printf 'madad-sample-v1\ns\nHH-1' | sha256sum`
    expect(drawKey('s', 'HH-1')).toBe('1ca61b08019e9bc31bdf933216dee11a89bf8021cbf4f0c44a11b600de896e41');
  });

  it('sizes the sample from the precision target and allocates it proportionally', () => {
    const sample = drawSample(registry, spec);

    expect(sample.population).toBe(1000);
    expect(sample.strata).toEqual([
      { stratum: 'DADU', population: 100, size: 28 },
      { stratum: 'LAHORE', population: 600, size: 167 },
      { stratum: 'MULTAN', population: 300, size: 83 },
    ]);
    expect(sample.households).toHaveLength(278);
  });

  it('stratifies by enumerator, and puts households without one in an (unknown) stratum', () => {
    const withUnknown = [...registry, household(2000, 'Dadu')];

    const sample = drawSample(withUnknown, { ...spec, by: 'enumerator', size: 70 });

    expect(sample.strata.map((s) => s.stratum)).toEqual([
      '(unknown)',
      'E0',
      'E1',
      'E2',
      'E3',
      'E4',
      'E5',
      'E6',
    ]);
    expect(sample.strata[0]).toEqual({ stratum: '(unknown)', population: 1, size: 1 });
  });
});
