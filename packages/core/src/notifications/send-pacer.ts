/** Time as the pacer sees it: injected, so a test drives it with a fake clock instead of waiting. */
export interface PacerTime {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacerTime: PacerTime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WINDOW_MS = 1000;

/**
 * Holds SMS to the provider's send rate: at most `perSecond` messages start in any one-second window
 * (a sliding log of what was started, not a token bucket, which would let twice the rate through
 * across a window's edge). `take(n)` reserves its place at once and then waits for it, so concurrent
 * callers sharing one pacer (the local stack's concurrent invocations of the sender) queue up in
 * the order they asked instead of bursting together.
 */
export class SendPacer {
  private readonly started: { at: number; count: number }[] = [];

  constructor(
    readonly perSecond: number,
    private readonly time: PacerTime = realPacerTime,
  ) {
    if (!Number.isFinite(perSecond) || perSecond < 1)
      throw new RangeError(`A send rate must be at least 1 message a second, not ${perSecond}`);
  }

  /**
   * The request size for a provider taking at most `limit` at once: the rate split evenly into the
   * fewest requests a second (250 a second in requests of 100 would leave 50 a second unused).
   */
  chunkSize(limit: number): number {
    const perSecond = Math.floor(this.perSecond);
    return Math.max(1, Math.floor(perSecond / Math.ceil(perSecond / Math.max(1, limit))));
  }

  /** Waits until `count` more messages may start; returns the time they start at. */
  async take(count: number): Promise<number> {
    if (count > this.perSecond)
      throw new RangeError(`${count} messages at once exceed ${this.perSecond} a second`);
    const now = this.time.now();
    while (this.started.length > 0 && (this.started[0]?.at ?? 0) <= now - WINDOW_MS) this.started.shift();
    let at = Math.max(now, this.started.at(-1)?.at ?? now);
    // Past the rate: start when the oldest sends of the window have left it, one by one.
    for (let i = 0; this.inWindow(at, i) + count > this.perSecond; i++) {
      at = Math.max(at, (this.started[i]?.at ?? at) + WINDOW_MS);
    }
    this.started.push({ at, count });
    if (at > now) await this.time.sleep(at - now);
    return at;
  }

  /** Messages started in the window ending at `at`, counting from the `from`-th entry. */
  private inWindow(at: number, from: number): number {
    let sum = 0;
    for (let i = from; i < this.started.length; i++) {
      const entry = this.started[i];
      if (entry && entry.at > at - WINDOW_MS) sum += entry.count;
    }
    return sum;
  }
}
