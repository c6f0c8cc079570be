import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

const repoRoot = new URL('../../../', import.meta.url);

const invoking = new AsyncLocalStorage<string>();

/**
 * The function whose invocation is running (`functions/<name>`), or undefined outside one. The
 * embedded stack runs every handler in one process with shared SDK clients, so this is how an SDK
 * middleware tells which function made a call (the least-privilege test checks it against that
 * function's IAM grants).
 */
export function invokingFunction(): string | undefined {
  return invoking.getStore();
}

/** A Lambda handler as the local stack invokes it (promise style, event and context). */
export type LambdaHandler<TEvent> = (event: TEvent, context: Context) => Promise<unknown>;

/**
 * Imports `functions/<name>/handler.ts` and returns its `handler` export. Import only after the
 * environment is set: handlers read their configuration at module scope, once per process.
 */
export async function loadHandler<TEvent>(name: string): Promise<LambdaHandler<TEvent>> {
  const url = new URL(`functions/${name}/handler.ts`, repoRoot);
  const module: { handler?: unknown } = await import(url.href);
  const { handler } = module;
  if (typeof handler !== 'function') {
    throw new Error(`functions/${name}/handler.ts has no exported handler function`);
  }
  return async (event, context) => invoking.run(name, () => handler(event, context));
}
