/** @jsxImportSource hono/jsx */
import {
  beginSignInTransaction,
  endStaffSession,
  openStaffSession,
  takeSignInTransaction,
  UnauthorizedError,
} from '@madad/core';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { renderPage } from '../render.js';
import { ConsolePage } from './layout.js';
import { clearStaffCookie, SESSION_COOKIE, safeNext, secureCookies, setSessionCookie } from './session.js';

/** The sign-in on its way to the provider; sent back only to the callback, for ten minutes. */
export const SIGN_IN_COOKIE = 'madad_sign_in';
const CALLBACK = '/console/callback';

type SignInPageRenderer = (
  c: Context,
  props: { next: string; error?: string | undefined },
  status?: 200 | 401,
) => Response | Promise<Response>;

function NoRolePage({ user }: { user: string }) {
  return (
    <ConsolePage title="No staff role">
      <h1>No staff role</h1>
      <p class="summary" id="no-staff-role">
        You signed in as <strong>{user}</strong>, but this account is in none of the staff groups
        (emergency-cell, program-officer, approver, auditor, admin). Ask an administrator to add you to one.
      </p>
    </ConsolePage>
  );
}

/** Signed out of the console; on to the provider to end its session too (then back to `signed-out`). */
function LeavingPage({ to }: { to: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content={`0;url=${to}`} />
        <title>Signing out · Madad console</title>
      </head>
      <body>
        <p id="signing-out">
          You have signed out of the console.{' '}
          <a id="provider-sign-out" href={to}>
            Sign out of the sign-in service too
          </a>
          .
        </p>
      </body>
    </html>
  );
}

function SignedOutPage() {
  return (
    <ConsolePage title="Signed out">
      <h1>Signed out</h1>
      <p class="summary" id="signed-out">
        You have signed out of the console and of the sign-in service.
      </p>
      <p>
        <a class="button" href="/console/sign-in">
          Sign in again
        </a>
      </p>
    </ConsolePage>
  );
}

/**
 * OpenID Connect authorization code with PKCE: `start` records the verifier, state and nonce and sends
 * the browser to the provider; `callback` uses the record up (once), redeems the code, verifies the ID
 * token and opens a server-side session; `sign-out` revokes it and ends the provider's session too.
 */
export function oidcSignInRoutes(deps: ApiDeps, signInPage: SignInPageRenderer): Hono<AppEnv> {
  // Read per request, not here: building the app (the route listing of the security tests) needs no deps.
  const sessionDeps = () => ({ sessions: deps.consoleSignIn.sessions, clock: deps.clock });
  const transactionDeps = () => ({ transactions: deps.consoleSignIn.transactions, clock: deps.clock });
  const notConfigured = (c: Context) => c.text('Sign-in is not configured on this deployment', 404);

  return new Hono<AppEnv>()
    .get('/console/sign-in/start', async (c) => {
      const { identityProvider } = deps.consoleSignIn;
      if (!identityProvider) return notConfigured(c);
      const next = safeNext(c.req.query('next'));
      const { url, ...request } = await identityProvider.beginAuthorization();
      const secret = await beginSignInTransaction(transactionDeps(), { ...request, next });
      setCookie(c, SIGN_IN_COOKIE, secret, {
        httpOnly: true,
        // Lax: the provider sends the browser back with a cross-site top-level GET.
        sameSite: 'Lax',
        path: CALLBACK,
        secure: secureCookies(c),
        maxAge: 600,
      });
      c.header('cache-control', 'no-store');
      return c.redirect(url.toString(), 303);
    })
    .get(CALLBACK, async (c) => {
      const { identityProvider } = deps.consoleSignIn;
      if (!identityProvider) return notConfigured(c);
      c.header('cache-control', 'no-store');
      const secret = getCookie(c, SIGN_IN_COOKIE);
      deleteCookie(c, SIGN_IN_COOKIE, { path: CALLBACK, secure: secureCookies(c) });
      let next = '/console/campaigns';
      try {
        if (!secret)
          throw new UnauthorizedError('This browser did not start a sign-in (or it took over ten minutes)');
        const transaction = await takeSignInTransaction(transactionDeps(), secret);
        next = transaction.next;
        const signIn = await identityProvider.completeAuthorization(new URL(c.req.url), transaction);
        if (signIn.roles.length === 0)
          return renderPage(c, <NoRolePage user={signIn.name ?? signIn.user} />, 403);
        const opened = await openStaffSession(sessionDeps(), {
          user: signIn.user,
          name: signIn.name,
          roles: signIn.roles,
          idToken: signIn.idToken,
          tokenExpiresAt: signIn.expiresAt,
        });
        setSessionCookie(c, opened.secret, new Date(opened.session.expiresAt), deps.clock.now());
        return c.redirect(next, 303);
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        return signInPage(c, { next, error: `Sign-in failed: ${error.message}. Try again.` }, 401);
      }
    })
    .post('/console/sign-out', async (c) => {
      const secret = getCookie(c, SESSION_COOKIE);
      const ended = secret ? await endStaffSession(sessionDeps(), secret) : undefined;
      const { identityProvider } = deps.consoleSignIn;
      clearStaffCookie(c);
      const providerSignOut =
        ended && identityProvider ? await identityProvider.endSessionUrl(ended.idToken) : undefined;
      // A page, not a redirect: the console's CSP (`form-action 'self'`) stops a form post that
      // redirects to another origin, and the provider's sign-out is one. A refresh is a plain navigation.
      if (providerSignOut) return renderPage(c, <LeavingPage to={providerSignOut.toString()} />);
      return c.redirect('/console/signed-out', 303);
    })
    .get('/console/signed-out', (c) => renderPage(c, <SignedOutPage />));
}
