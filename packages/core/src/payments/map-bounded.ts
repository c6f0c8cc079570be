/** Conditional writes in flight per request: enough to build a 5000-line batch well within an API call. */
export const WRITE_CONCURRENCY = 16;

/** Runs `fn` over `items` with at most `concurrency` calls in flight (conditional writes, one item each). */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
