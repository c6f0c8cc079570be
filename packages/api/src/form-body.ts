import { ValidationError } from '@madad/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './deps.js';

const FORM = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;
/** The JSON API and the webhook never read forms; they answer one with their own 400 or 415. */
const JSON_ONLY = /^\/(api|sms)\//;

/**
 * Reads a posted form once, before any page: a malformed multipart body makes the platform's parser
 * throw a TypeError, which would otherwise be a 500 from whichever page reads the form. hono keeps the
 * parsed form, so the page's own `parseBody` costs nothing more.
 */
export const readableForms: MiddlewareHandler<AppEnv> = async (c, next) => {
  const posted = c.req.method !== 'GET' && c.req.method !== 'HEAD';
  if (posted && !JSON_ONLY.test(c.req.path) && FORM.test(c.req.header('content-type') ?? '')) {
    try {
      await c.req.parseBody();
    } catch (error) {
      // Only the parser's refusal; anything else (the body limit's 413 included) keeps its own mapping.
      if (!(error instanceof TypeError)) throw error;
      throw new ValidationError('The form could not be read');
    }
  }
  await next();
};
