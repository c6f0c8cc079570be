import { MadadError } from '@madad/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { AppEnv } from './deps.js';

/** One map from error classes to responses; internals never leave the process. */
export function mapError(error: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId');
  if (error instanceof MadadError) {
    return c.json(
      { error: { code: error.code, message: error.message, details: error.details }, requestId },
      error.status as ContentfulStatusCode,
    );
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return c.json(
      { error: { code: 'VALIDATION_FAILED', message: 'Invalid request', details }, requestId },
      400,
    );
  }
  if (error instanceof HTTPException) {
    return c.json({ error: { code: 'HTTP_ERROR', message: error.message }, requestId }, error.status);
  }
  console.error(JSON.stringify({ level: 'ERROR', message: 'Unhandled error', requestId, error: error.name }));
  return c.json({ error: { code: 'INTERNAL', message: 'Internal error' }, requestId }, 500);
}
