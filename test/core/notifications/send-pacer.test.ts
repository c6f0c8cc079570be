import { realPacerTime, SendPacer } from '@madad/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The most messages started in any one-second window (half open), from `[start, count]` pairs. */
function busiestSecond(starts: readonly (readonly [number, number])[]): number {
  return Math.max(
    ...starts.map(([t]) => starts.filter(([u]) => u >= t && u < t + 1000).reduce((s, [, n]) => s + n, 0)),
  );
}

/** Sends `total` messages through `pacer` in requests of its chunk size; returns when each started. */
async function sendAll(pacer: SendPacer, total: number, bulk = 100): Promise<[number, number][]> {
  const starts: [number, number][] = [];
  const size = pacer.chunkSize(bulk);
  for (let sent = 0; sent < total; sent += size) {
    const count = Math.min(size, total - sent);
    await pacer.take(count);
    starts.push([Date.now(), count]);
  }
  return starts;
}

// A fake clock: `Date.now` and `setTimeout` are vitest's, advanced by the test; nothing really waits.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SendPacer', () => {
  it('lets 1,000 messages out at no more than 200 in any second, and no slower than that', async () => {
    const pacer = new SendPacer(200, realPacerTime);

    const run = sendAll(pacer, 1000);
    await vi.runAllTimersAsync();
    const starts = await run;

    expect(starts.reduce((s, [, n]) => s + n, 0)).toBe(1000);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(200);
    // 200 go at once, the remaining 800 over the next four seconds: the last request starts at 4 s.
    expect(starts.at(-1)?.[0]).toBe(4000);
  });

  it('sends a request under the rate at once, without waiting', async () => {
    const pacer = new SendPacer(250, realPacerTime);

    const at = await pacer.take(40);

    expect(at).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('holds concurrent senders sharing one pacer to the one rate together', async () => {
    const pacer = new SendPacer(100, realPacerTime);

    const runs = Promise.all([sendAll(pacer, 600, 50), sendAll(pacer, 600, 50), sendAll(pacer, 300, 50)]);
    await vi.runAllTimersAsync();
    const starts = (await runs).flat();

    expect(starts.reduce((s, [, n]) => s + n, 0)).toBe(1500);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(100);
    expect(Math.max(...starts.map(([t]) => t))).toBe(14_000);
  });

  it('splits a second of its rate evenly into requests the provider takes', () => {
    expect(new SendPacer(1000).chunkSize(100)).toBe(100);
    expect(new SendPacer(250).chunkSize(100)).toBe(83);
    expect(new SendPacer(30).chunkSize(100)).toBe(30);
    expect(new SendPacer(2.5).chunkSize(100)).toBe(2);
  });

  it('refuses a rate under one a second, and a request larger than a second of the rate', async () => {
    expect(() => new SendPacer(0)).toThrow(RangeError);
    await expect(new SendPacer(10).take(11)).rejects.toThrow(RangeError);
  });
});
