import { makePaymentBatchesByArea } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { MAKER, world } from '../../support/payment-world.js';

const DISTRICTS = ['Dadu', 'Sanghar'];

/** Every line of every batch, as household ids, with the district of its batch. */
function claimed(w: ReturnType<typeof world>) {
  return [...w.lines.values()].flatMap((lines) => [...lines.values()]);
}

describe('makePaymentBatchesByArea', () => {
  it('puts every enrolled household in exactly one batch of its district, at most maxLines each', async () => {
    // Arrange: 45 households over two districts.
    const w = world(45);
    const made: string[] = [];

    // Act
    const result = await makePaymentBatchesByArea(
      w.deps,
      { campaignId: 'C-FLOOD1', districts: DISTRICTS, maxLines: 7 },
      MAKER,
      ({ batch }) => made.push(batch.batchId),
    );

    // Assert
    const lines = claimed(w);
    expect(lines.map((l) => l.householdId).sort()).toEqual(
      [...w.enrollments.values()].map((e) => e.householdId).sort(),
    );
    expect(new Set(lines.map((l) => l.householdId)).size).toBe(45);
    for (const batch of result.batches) {
      expect(batch.lineCount).toBeLessThanOrEqual(7);
      const districts = new Set([...(w.lines.get(batch.batchId)?.values() ?? [])].map((l) => l.district));
      expect([...districts]).toEqual([batch.district]);
    }
    expect(result).toMatchObject({ lines: 45, held: 0 });
    expect(result.batches).toHaveLength(8); // 23 in Dadu (4 batches), 22 in Sanghar (4 batches)
    expect(made).toHaveLength(8);
  });

  it('completes an interrupted run when run again: no household in two batches, none left out', async () => {
    // Arrange: the store fails the fourth batch header write, as a crashed maker would leave it.
    const w = world(45);
    const create = w.deps.batches.create.bind(w.deps.batches);
    let calls = 0;
    const failing = {
      ...w.deps,
      batches: {
        ...w.deps.batches,
        create: async (batch: Parameters<typeof create>[0]) => {
          if (++calls === 4) throw new Error('connection reset');
          return create(batch);
        },
      },
    };
    await expect(
      makePaymentBatchesByArea(failing, { campaignId: 'C-FLOOD1', districts: DISTRICTS, maxLines: 7 }, MAKER),
    ).rejects.toThrow('connection reset');
    const before = claimed(w).length;

    // Act
    const rerun = await makePaymentBatchesByArea(
      w.deps,
      { campaignId: 'C-FLOOD1', districts: DISTRICTS, maxLines: 7 },
      MAKER,
    );

    // Assert
    const lines = claimed(w);
    expect(before).toBeLessThan(45);
    expect(rerun.lines).toBe(45 - before);
    expect(lines).toHaveLength(45);
    expect(new Set(lines.map((l) => l.householdId)).size).toBe(45);
  });
});
