/** @jsxImportSource hono/jsx */
import { UnauthorizedError } from '@madad/core';
import { type Context, Hono } from 'hono';
import type { ApiDeps, AppEnv } from '../../deps.js';
import { describedBy, Field } from '../fields.js';
import { formText, renderPage } from '../render.js';
import { ConsolePage, Flash } from './layout.js';
import { clearStaffCookie, safeNext, setStaffCookie } from './session.js';

interface SignInProps {
  readonly next: string;
  readonly error?: string | undefined;
  readonly expired?: boolean;
}

function SignInPage({ next, error, expired }: SignInProps) {
  return (
    <ConsolePage title="Sign in">
      <h1>Staff sign in</h1>
      {expired ? <Flash kind="warn">Your session has ended. Paste a new token to continue.</Flash> : null}
      <form method="post" action="/console/sign-in" class="card">
        <input type="hidden" name="next" value={next} />
        <Field
          id="token"
          label="Staff token"
          hint="Paste the token you were given (a JWT). It is kept in a cookie that scripts cannot read, for this browser session only."
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
      <div class="card">
        <h2>Where tokens come from</h2>
        <p>
          On the local stack (<code>npm start</code>), print one for a role:
        </p>
        <pre class="ltr">npx madad token --role emergency-cell --user your-name</pre>
        <p class="muted">
          Roles: emergency-cell, program-officer, approver, auditor, admin. In the cloud, staff sign in with
          Amazon Cognito; its tokens carry the roles as <code>cognito:groups</code>.
        </p>
      </div>
    </ConsolePage>
  );
}

/** Sign-in by pasting a staff token (checked by the same verifier as the API), and sign-out. */
export function signInRoutes(deps: ApiDeps): Hono<AppEnv> {
  const page = (c: Context, props: SignInProps, status: 200 | 401 = 200) =>
    renderPage(c, <SignInPage {...props} />, status);
  return new Hono<AppEnv>()
    .get('/console', (c) => c.redirect('/console/campaigns', 303))
    .get('/console/sign-in', (c) =>
      page(c, { next: safeNext(c.req.query('next')), expired: c.req.query('expired') === '1' }),
    )
    .post('/console/sign-in', async (c) => {
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
    })
    .post('/console/sign-out', (c) => {
      clearStaffCookie(c);
      return c.redirect('/console/sign-in', 303);
    });
}
