/** @jsxImportSource hono/jsx */
import { UnauthorizedError } from '@madad/core';
import { type Context, Hono } from 'hono';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { describedBy, Field } from '../fields.js';
import { formText, renderPage } from '../render.js';
import { ConsolePage, Flash } from './layout.js';
import { oidcSignInRoutes } from './oidc-routes.js';
import { safeNext, setStaffCookie } from './session.js';

export interface SignInProps {
  readonly next: string;
  readonly error?: string | undefined;
  readonly expired?: boolean;
  /** The provider's sign-in is configured (a "Sign in" button). */
  readonly oidc: boolean;
  /** The paste-a-token form is on (test stack and scripts only). */
  readonly paste: boolean;
}

function PasteForm({ next, error }: Pick<SignInProps, 'next' | 'error'>) {
  return (
    <form method="post" action="/console/sign-in" class="card" id="paste-token">
      <h2>Sign in with a token (scripts and tests)</h2>
      <input type="hidden" name="next" value={next} />
      <Field
        id="token"
        label="Staff token"
        hint="A JWT from `npx madad token`. This form exists only where MADAD_CONSOLE_TOKEN_SIGN_IN=on (the test stack)."
        error={error}
      >
        <textarea
          id="token"
          name="token"
          rows={4}
          class="ltr"
          autocomplete="off"
          spellcheck={false}
          aria-describedby={describedBy('token', true, error)}
          aria-invalid={error ? 'true' : undefined}
        />
      </Field>
      <button type="submit">Sign in</button>
    </form>
  );
}

export function SignInPage({ next, error, expired, oidc, paste }: SignInProps) {
  return (
    <ConsolePage title="Sign in">
      <h1>Staff sign in</h1>
      {expired ? <Flash kind="warn">Your session has ended. Sign in again to continue.</Flash> : null}
      {error && !paste ? (
        <p class="warn" role="alert" id="sign-in-error">
          {error}
        </p>
      ) : null}
      {oidc ? (
        <div class="card">
          <p>Staff sign in with their organisation account; the console keeps you signed in for one shift.</p>
          <a
            class="button"
            id="oidc-sign-in"
            href={`/console/sign-in/start?next=${encodeURIComponent(next)}`}
          >
            Sign in
          </a>
          <p class="muted">
            On the local stack (<code>npm start</code>) the seeded accounts and their passwords are printed at
            start and kept in <code>.madad/staff-accounts.json</code>. In the cloud this is Cognito's hosted
            login; administrators add people to the groups named after the roles.
          </p>
        </div>
      ) : null}
      {paste ? <PasteForm next={next} error={error} /> : null}
      {!oidc && !paste ? (
        <p class="warn" id="sign-in-unavailable">
          Sign-in is not configured on this deployment (MADAD_OIDC_ISSUER, MADAD_OIDC_CLIENT_ID and
          MADAD_CONSOLE_URL).
        </p>
      ) : null}
    </ConsolePage>
  );
}

/** The sign-in page, the OIDC flow (`oidc-routes.tsx`), the test stack's token form and sign-out. */
export function signInRoutes(deps: ApiDeps): Hono<AppEnv> {
  // Read per request, not here: building the app (the route listing of the security tests) needs no deps.
  const paste = () => deps.consoleSignIn.acceptPastedTokens;
  const page = (c: Context, props: Omit<SignInProps, 'oidc' | 'paste'>, status: 200 | 401 = 200) =>
    renderPage(
      c,
      <SignInPage {...props} oidc={deps.consoleSignIn.identityProvider !== undefined} paste={paste()} />,
      status,
    );
  const app = new Hono<AppEnv>()
    .get('/console', (c) => c.redirect('/console/campaigns', 303))
    .get('/console/sign-in', (c) =>
      page(c, { next: safeNext(c.req.query('next')), expired: c.req.query('expired') === '1' }),
    )
    .post('/console/sign-in', async (c) => {
      if (!paste()) return c.text('Token sign-in is off on this deployment; use "Sign in".', 404);
      const body = await c.req.parseBody();
      const next = safeNext(formText(body, 'next', 500));
      const token = formText(body, 'token', 8000)
        .trim()
        .replace(/^Bearer\s+/i, '');
      if (!token) return page(c, { next, error: 'Paste your staff token.' }, 401);
      try {
        await deps.verifyToken(token);
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        return page(c, { next, error: `This token was not accepted (${error.message}).` }, 401);
      }
      setStaffCookie(c, token);
      return c.redirect(next, 303);
    });
  app.route('/', oidcSignInRoutes(deps, page));
  return app;
}
