import { ForbiddenError, type StaffRole, UnauthorizedError } from '@madad/core';
import type { MiddlewareHandler } from 'hono';
import type { ApiDeps, AppEnv } from './deps.js';

/** The one role rule of the API and the console: one of `allowed`, or admin, who may do anything. */
export function allows(roles: readonly StaffRole[], allowed: readonly StaffRole[]): boolean {
  return roles.some((role) => role === 'admin' || allowed.includes(role));
}

/**
 * Staff routes: a valid bearer token whose roles include one of `allowed` (admin may do anything).
 * Routes get `allowed` from `POLICY` (`access-policy.ts`) through their declaration.
 */
export function requireRoles(
  deps: Pick<ApiDeps, 'verifyToken'>,
  ...allowed: StaffRole[]
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('A staff bearer token is required');
    const principal = await deps.verifyToken(match[1]);
    if (!allows(principal.roles, allowed)) {
      throw new ForbiddenError(`This needs one of the roles: ${allowed.join(', ')}`);
    }
    c.set('principal', principal);
    await next();
  };
}
