/** One activation-worker invocation as the poller timed it: when it ended, and how long it ran. */
export interface PageSpan {
  readonly end: number;
  readonly ms: number;
}

export interface ActivationTimeline {
  readonly invocations: number;
  /** Worker time per invocation: median, 90th percentile and most, ms. */
  readonly workerMs: { readonly p50: number; readonly p90: number; readonly max: number };
  /** Invocations in flight, averaged over the whole activation (worker seconds / wall seconds). */
  readonly meanInFlight: number;
  /** Invocations in flight averaged over each tenth of the activation, first to last. */
  readonly inFlightByTenth: readonly number[];
  /** From the last moment the pollers were all busy (`full` in flight) to the last invocation's end, s. */
  readonly tailSeconds: number;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Where an activation's wall time went, from its invocations' spans: how long each took in the worker,
 * how many ran at once over time, and how long the end ran below `full` invocations at once.
 */
export function summarisePages(spans: readonly PageSpan[], startedAt: number, full = 4): ActivationTimeline {
  const durations = spans.map((s) => s.ms).sort((a, b) => a - b);
  const end = Math.max(startedAt, ...spans.map((s) => s.end));
  const wall = Math.max(1, end - startedAt);
  const busy = durations.reduce((sum, ms) => sum + ms, 0);
  const tenth = wall / 10;
  const inFlightByTenth = Array.from({ length: 10 }, (_, i) => {
    const from = startedAt + i * tenth;
    const to = from + tenth;
    const overlap = spans.reduce(
      (sum, s) => sum + Math.max(0, Math.min(to, s.end) - Math.max(from, s.end - s.ms)),
      0,
    );
    return Math.round((overlap / tenth) * 100) / 100;
  });
  // Sweep the starts and ends (a start before an end at the same instant: a poller going straight on
  // to its next batch stays busy): the last instant `full` invocations were still running together.
  const events = spans
    .flatMap((s) => [
      { at: s.end - s.ms, delta: 1 },
      { at: s.end, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || b.delta - a.delta);
  let running = 0;
  let lastFull = startedAt;
  for (const e of events) {
    const before = running;
    running += e.delta;
    if (before >= full && running < full) lastFull = e.at;
  }
  return {
    invocations: spans.length,
    workerMs: { p50: quantile(durations, 0.5), p90: quantile(durations, 0.9), max: durations.at(-1) ?? 0 },
    meanInFlight: Math.round((busy / wall) * 100) / 100,
    inFlightByTenth,
    tailSeconds: (end - lastFull) / 1000,
  };
}
