import { createPaymentBatch, type PaymentLine } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { MAKER, world } from '../../support/payment-world.js';

/** A world whose batch store records each `putLines` call, and each claim made before it. */
function countingWorld(n: number) {
  const w = world(n);
  const writes: { lines: readonly PaymentLine[]; claimedBefore: number }[] = [];
  let claims = 0;
  const { claim } = w.deps.enrollments;
  const { putLines } = w.deps.batches;
  const deps = {
    ...w.deps,
    enrollments: {
      ...w.deps.enrollments,
      claim: async (...args: Parameters<typeof claim>) => {
        const result = await claim(...args);
        if (result.claimed) claims++;
        return result;
      },
    },
    batches: {
      ...w.deps.batches,
      putLines: async (lines: readonly PaymentLine[]) => {
        writes.push({ lines, claimedBefore: claims });
        return putLines(lines);
      },
    },
  };
  return { w, deps, writes };
}

describe('createPaymentBatch line writes', () => {
  it("writes a batch's lines 25 at a time, not one write a line", async () => {
    // Arrange: 120 enrolled households with a valid payee each.
    const { deps, writes } = countingWorld(120);

    // Act
    const { batch } = await createPaymentBatch(deps, { campaignId: 'C-FLOOD1', maxLines: 5000 }, MAKER);

    // Assert: 120 lines in 5 writes of at most 25, every line once.
    expect(batch.lineCount).toBe(120);
    expect(writes).toHaveLength(5);
    expect(Math.max(...writes.map((w) => w.lines.length))).toBe(25);
    const written = writes.flatMap((w) => w.lines.map((l) => l.householdId));
    expect(new Set(written).size).toBe(120);
  });

  it('writes each line only after its household was claimed for the batch', async () => {
    // Arrange
    const { w, deps, writes } = countingWorld(60);

    // Act
    const { batch } = await createPaymentBatch(deps, { campaignId: 'C-FLOOD1', maxLines: 5000 }, MAKER);

    // Assert: at each write, at least as many claims were made as lines written so far, and every
    // written line's enrollment names this batch.
    let writtenSoFar = 0;
    for (const write of writes) {
      writtenSoFar += write.lines.length;
      expect(write.claimedBefore).toBeGreaterThanOrEqual(writtenSoFar);
    }
    for (const line of writes.flatMap((x) => x.lines))
      expect(w.enrollments.get(`C-FLOOD1|${line.householdId}`)?.batchId).toBe(batch.batchId);
  });
});
