/** @jsxImportSource hono/jsx */
import { type StaffRole, UnauthorizedError } from '@madad/core';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { renderPage } from '../render.js';
import { ConsolePage } from './layout.js';

/** The staff token lives in this cookie: HttpOnly (no script reads it), SameSite=Strict (no CSRF). */
export const STAFF_COOKIE = 'madad_staff';
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Secure everywhere but on the local stack, which serves plain HTTP on loopback. */
function secure(c: Context): boolean {
  return !LOOPBACK.test(c.req.header('host') ?? '');
}

export function setStaffCookie(c: Context, token: string): void {
  setCookie(c, STAFF_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
    secure: secure(c),
  });
}

export function clearStaffCookie(c: Context): void {
  deleteCookie(c, STAFF_COOKIE, { path: '/console', secure: secure(c) });
}

/** Only console paths may be the target after signing in (no open redirect). */
export function safeNext(raw: string | undefined): string {
  return raw && /^\/console(\/[\w\-./]*)?(\?[\w\-=&%.]*)?$/.test(raw) && !raw.includes('..')
    ? raw
    : '/console/campaigns';
}

/**
 * Console pages: a valid staff token from the cookie, with one of `allowed` roles (admin may do
 * anything, as in the API: both use `allows`). No token: the sign-in page; a missing role: a 403 page.
 */
export function staffOnly(deps: ApiDeps, ...allowed: StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, STAFF_COOKIE);
    const url = new URL(c.req.url);
    const back = encodeURIComponent(c.req.method === 'GET' ? `${url.pathname}${url.search}` : url.pathname);
    if (!token) return c.redirect(`/console/sign-in?next=${back}`, 303);
    let principal: Awaited<ReturnType<ApiDeps['verifyToken']>>;
    try {
      principal = await deps.verifyToken(token);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      clearStaffCookie(c);
      return c.redirect(`/console/sign-in?expired=1&next=${back}`, 303);
    }
    c.set('principal', principal);
    if (!allows(principal.roles, allowed)) {
      return renderPage(
        c,
        <ConsolePage principal={principal} title="Not allowed">
          <h1>Not allowed</h1>
          <p class="summary" id="forbidden">
            This page needs one of the roles: <strong>{allowed.join(', ')}</strong>. You are signed in as{' '}
            <strong>{principal.user}</strong> with{' '}
            {principal.roles.length > 0 ? principal.roles.join(', ') : 'no roles'}.
          </p>
          <p>
            <a href="/console/campaigns">Back to campaigns</a>
          </p>
        </ConsolePage>,
        403,
      );
    }
    await next();
  };
}

/**
 * A second guard besides SameSite=Strict: a console POST whose Origin names another site is refused.
 * (Browsers may send `Origin: null` under the no-referrer policy; the cookie rule covers that case.)
 */
export const sameOriginPosts: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin');
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== c.req.header('host') && host !== new URL(c.req.url).host) {
      return c.text('Cross-site form posts are not accepted', 403);
    }
  }
  await next();
};
