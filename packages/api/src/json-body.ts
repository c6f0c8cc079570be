import { ValidationError } from '@madad/core';

/** The request's JSON body, or a 400 that says the body is not JSON (never a 500). */
export async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ValidationError('Body is not valid JSON');
  }
}
