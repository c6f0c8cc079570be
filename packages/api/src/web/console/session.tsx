/** @jsxImportSource hono/jsx */
import { readStaffSession, type StaffRole, UnauthorizedError } from '@madad/core';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { allows } from '../../auth.js';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { renderPage } from '../render.js';
import { ConsolePage } from './layout.js';

/**
 * A pasted staff token lives in this cookie (test stack and scripts only, `acceptPastedTokens`):
 * HttpOnly (no script reads it), SameSite=Strict (no CSRF).
 */
export const STAFF_COOKIE = 'madad_staff';
/**
 * An OIDC sign-in's session secret: HttpOnly, SameSite=Lax (the browser comes back from the provider
 * by a cross-site redirect, and Lax still sends no cookie with a cross-site POST), Secure outside
 * loopback, gone when the session ends. The server keeps the session, so signing out revokes it.
 */
export const SESSION_COOKIE = 'madad_session';
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Secure everywhere but on the local stack, which serves plain HTTP on loopback. */
export function secureCookies(c: Context): boolean {
  return !LOOPBACK.test(c.req.header('host') ?? '');
}

export function setStaffCookie(c: Context, token: string): void {
  setCookie(c, STAFF_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
    secure: secureCookies(c),
  });
}

export function clearStaffCookie(c: Context): void {
  deleteCookie(c, STAFF_COOKIE, { path: '/console', secure: secureCookies(c) });
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secureCookies(c) });
}

export function setSessionCookie(c: Context, secret: string, expiresAt: Date, now: Date): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/console',
    secure: secureCookies(c),
    maxAge: Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

/** The principal a request's console cookie stands for: a live session, or (tests only) a pasted token. */
async function principalOf(
  deps: ApiDeps,
  c: Context,
): Promise<Awaited<ReturnType<ApiDeps['verifyToken']>> | undefined> {
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) {
    const session = await readStaffSession(
      { sessions: deps.consoleSignIn.sessions, clock: deps.clock },
      secret,
    );
    return { user: session.user, roles: session.roles };
  }
  const token = deps.consoleSignIn.acceptPastedTokens ? getCookie(c, STAFF_COOKIE) : undefined;
  return token ? deps.verifyToken(token) : undefined;
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
    const url = new URL(c.req.url);
    const back = encodeURIComponent(c.req.method === 'GET' ? `${url.pathname}${url.search}` : url.pathname);
    let principal: Awaited<ReturnType<ApiDeps['verifyToken']>> | undefined;
    try {
      principal = await principalOf(deps, c);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      clearStaffCookie(c);
      return c.redirect(`/console/sign-in?expired=1&next=${back}`, 303);
    }
    if (!principal) return c.redirect(`/console/sign-in?next=${back}`, 303);
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
