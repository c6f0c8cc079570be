/** Error raised when an invocation outlives its function's timeout. */
export class InvocationTimeoutError extends Error {
  override readonly name = 'InvocationTimeoutError';
}

/**
 * Rejects once `seconds` pass, as Lambda ends an invocation at its timeout. The work itself cannot be
 * killed inside one process; its late result is ignored.
 */
export function withTimeout<T>(work: () => Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvocationTimeoutError(`Task timed out after ${seconds} seconds`)),
      seconds * 1000,
    );
  });
  // Calling inside a promise chain turns a synchronous throw into a rejection.
  return Promise.race([Promise.resolve().then(work), timeout]).finally(() => clearTimeout(timer));
}
