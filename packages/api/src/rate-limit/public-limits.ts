import { RateLimitedError } from '@madad/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiDeps, AppEnv } from '../deps.js';
import { InMemoryRateLimiter, type RateKind, type RateLimiter, type RateVerdict } from '../web/rate-limit.js';
import { clientIp } from '../web/render.js';

const limiters = new WeakMap<ApiDeps, RateLimiter>();

/**
 * The one limiter of an app's public routes: the HTML forms and their JSON twins count against the
 * same windows, so switching from the page to the API gains nothing.
 */
export function publicLimiter(deps: ApiDeps): RateLimiter {
  let limiter = limiters.get(deps);
  if (!limiter) {
    limiter = deps.rateLimiter ?? new InMemoryRateLimiter();
    limiters.set(deps, limiter);
  }
  return limiter;
}

export type Refusal = Extract<RateVerdict, { allowed: false }>;

/** Counts one attempt; on refusal sets `retry-after` and returns the verdict, else undefined. */
export async function refusedAttempt(
  deps: ApiDeps,
  c: Context,
  kind: RateKind,
  key: string,
): Promise<Refusal | undefined> {
  const verdict = await publicLimiter(deps).hit(kind, key, deps.clock.now());
  if (verdict.allowed) return undefined;
  c.header('retry-after', String(verdict.retryAfterSeconds));
  return verdict;
}

/** Counts one attempt of a JSON route; refused: a 429 `RATE_LIMITED` through the error map. */
export async function limitAttempt(deps: ApiDeps, c: Context, kind: RateKind, key: string): Promise<void> {
  const refused = await refusedAttempt(deps, c, kind, key);
  if (refused) throw new RateLimitedError(`Too many attempts; retry after ${refused.retryAfterSeconds} s`);
}

/** Middleware of the public JSON routes: one attempt per request from the client's address. */
export function limitByIp(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await limitAttempt(deps, c, 'ip', clientIp(c));
    await next();
  };
}
