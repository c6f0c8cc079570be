import { makePaymentBatchesByArea } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { MAKER, world } from '../../support/payment-world.js';

const INPUT = { campaignId: 'C-FLOOD1', districts: ['Dadu', 'Sanghar'], maxLines: 5 };

describe('makePaymentBatchesByArea with a stop (a time budget)', () => {
  it('stops before the next batch when asked, says it is not complete, and a second run makes the rest', async () => {
    // Arrange: 30 households, 15 a district: 6 batches of 5 in all; the first run may start 3.
    const w = world(30);
    let asked = 0;

    // Act
    const first = await makePaymentBatchesByArea(w.deps, INPUT, MAKER, undefined, () => ++asked > 3);
    const second = await makePaymentBatchesByArea(w.deps, INPUT, MAKER);

    // Assert
    expect(first).toMatchObject({ complete: false, lines: 15 });
    expect(first.batches).toHaveLength(3);
    expect(second).toMatchObject({ complete: true, lines: 15 });
    const households = [...w.lines.values()].flatMap((lines) =>
      [...lines.values()].map((l) => l.householdId),
    );
    expect(households).toHaveLength(30);
    expect(new Set(households).size).toBe(30);
  });

  it('is complete when every district ran out of households before any stop', async () => {
    const w = world(8);

    const made = await makePaymentBatchesByArea(w.deps, INPUT, MAKER, undefined, () => false);

    expect(made).toMatchObject({ complete: true, lines: 8 });
  });
});
