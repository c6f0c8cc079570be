import { batchPutAll, DynamoDbAreaIndex, householdItems } from '@madad/adapters';
import { planActivation, scoreRangeOf } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { household, type RegistryTable, startRegistryTable } from './registry-table.js';

const THRESHOLD = 32.5;

// Scores on every band edge the plan makes (and one hundredth either side), the threshold itself,
// just above it, zero, and a spread between.
function scores(): number[] {
  const edges = planActivation({ campaignId: 'C-EDGE', areas: [{ district: 'Rajanpur' }] }, THRESHOLD)
    .map((w) => w.band)
    .flatMap((band) => (band ? [band.fromCents, band.toCents] : []))
    .flatMap((cents) => [cents - 1, cents, cents + 1])
    .filter((cents) => cents >= 0)
    .map((cents) => cents / 100);
  const spread = Array.from({ length: 60 }, (_, i) => Math.round(i * 97.3) / 100);
  return [...new Set([...edges, 0, THRESHOLD, 32.51, 33, 80, ...spread])];
}

describe('activation work items on the area index', () => {
  let registry: RegistryTable;
  const all = scores().map((score, i) => ({ id: `HH-BAND-${String(i).padStart(3, '0')}`, score }));

  beforeAll(async () => {
    registry = await startRegistryTable();
    const items = all.flatMap(({ id, score }, i) =>
      householdItems('pepper', {
        ...household(id, [`35202${String(1000000 + i).padStart(7, '0')}1`]),
        pmtScore: score,
      }),
    );
    await batchPutAll(registry.doc, registry.table, items);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('reads every household at or below the threshold in exactly one work item, page by page', async () => {
    // Arrange: the plan of a campaign over the district, read in small pages.
    const index = new DynamoDbAreaIndex(registry.doc, registry.table);
    const plan = planActivation({ campaignId: 'C-EDGE', areas: [{ district: 'Rajanpur' }] }, THRESHOLD);

    // Act: each item follows its own cursor to its last page, as its worker would.
    const seen: string[] = [];
    for (const work of plan) {
      let cursor: string | undefined;
      do {
        const page = await index.page({
          district: 'Rajanpur',
          ...scoreRangeOf(work, THRESHOLD),
          limit: 7,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.households.map((h) => h.householdId));
        cursor = page.cursor;
      } while (cursor);
    }

    // Assert
    const expected = all.filter((h) => h.score <= THRESHOLD).map((h) => h.id);
    expect(expected.length).toBeGreaterThan(40);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
  });
});
