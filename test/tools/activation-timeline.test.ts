import { describe, expect, it } from 'vitest';
import { summarisePages } from '../../tools/bench/scale/activation-timeline.js';

describe('summarisePages (where an activation spent its time)', () => {
  it('averages the invocations in flight over the run and over each tenth of it', () => {
    // Arrange: two invocations side by side for the first half of 10 s, one for the second half.
    const spans = [
      { end: 5000, ms: 5000 },
      { end: 5000, ms: 5000 },
      { end: 10_000, ms: 5000 },
    ];

    // Act
    const timeline = summarisePages(spans, 0, 2);

    // Assert
    expect(timeline.invocations).toBe(3);
    expect(timeline.meanInFlight).toBe(1.5);
    expect(timeline.inFlightByTenth).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
    expect(timeline.workerMs).toEqual({ p50: 5000, p90: 5000, max: 5000 });
  });

  it('measures the tail from the last moment every poller was busy to the last invocation', () => {
    const spans = [
      { end: 4000, ms: 4000 },
      { end: 3000, ms: 3000 },
      { end: 9500, ms: 5000 },
    ];

    const timeline = summarisePages(spans, 0, 2);

    // Two ran together until 3 s; from then on fewer than 2 did, until 9.5 s.
    expect(timeline.tailSeconds).toBe(6.5);
    expect(timeline.workerMs.max).toBe(5000);
  });
});
