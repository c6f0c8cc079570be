/** Events per second over time, in equal buckets from the start of the surge. */
export interface RateSeries {
  readonly bucketSeconds: number;
  /** Series name to events per second in each bucket. */
  readonly series: Record<string, number[]>;
}

const MAX_BUCKETS = 120;

/** Buckets epoch-ms timestamps (one list per series) from `start`, at most 120 buckets of whole seconds. */
export function rateSeries(start: number, events: Record<string, readonly number[]>): RateSeries {
  let end = start + 1000;
  for (const times of Object.values(events)) for (const t of times) end = Math.max(end, t);
  const bucketSeconds = Math.max(1, Math.ceil((end - start) / 1000 / MAX_BUCKETS));
  const buckets = Math.ceil((end - start) / 1000 / bucketSeconds) + 1;
  const series: Record<string, number[]> = {};
  for (const [name, times] of Object.entries(events)) {
    const counts = new Array<number>(buckets).fill(0);
    for (const t of times) {
      const i = Math.floor((t - start) / 1000 / bucketSeconds);
      if (i >= 0 && i < buckets) counts[i] = (counts[i] ?? 0) + 1;
    }
    series[name] = counts.map((c) => c / bucketSeconds);
  }
  return { bucketSeconds, series };
}

/** The largest rate over the series, and the mean over the buckets where a series was non-zero. */
export function summarizeRates(rates: RateSeries): Record<string, { peak: number; mean: number }> {
  return Object.fromEntries(
    Object.entries(rates.series).map(([name, values]) => {
      const active = values.filter((v) => v > 0);
      const mean = active.length ? active.reduce((s, v) => s + v, 0) / active.length : 0;
      return [name, { peak: values.reduce((m, v) => Math.max(m, v), 0), mean }];
    }),
  );
}
