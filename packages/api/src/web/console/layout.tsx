/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { STYLES } from '../styles.js';

interface ConsolePageProps {
  readonly title: string;
  readonly principal?: { readonly user: string; readonly roles: readonly string[] } | undefined;
  /** Reload every this many seconds when scripts are off (the live dashboard). */
  readonly refreshSeconds?: number;
  readonly children?: Child;
}

/** The staff console's shell: English, wide tables, who is signed in and a sign-out button. */
export function ConsolePage({ title, principal, refreshSeconds, children }: ConsolePageProps) {
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · Madad console`}</title>
        <style>{STYLES}</style>
        {refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(refreshSeconds)} />
          </noscript>
        ) : null}
        <script src="/assets/web.js" defer />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/console/campaigns">
            Madad console
          </a>
          {principal ? (
            <nav aria-label="Console">
              <a href="/console/campaigns">Campaigns</a>
              <a href="/console/review">Review queue</a>
              <a href="/console/households">Households</a>
              <a href="/console/appeals">Appeals</a>
              <a href="/console/quality">Quality</a>
              <a href="/console/imports">Imports</a>
              <a href="/console/rectifications">Rectifications</a>
              <a href="/console/audit">Audit log</a>
              <span id="signed-in-as">
                {principal.user} ({principal.roles.join(', ') || 'no roles'})
              </span>
              <form method="post" action="/console/sign-out">
                <button class="secondary" type="submit">
                  Sign out
                </button>
              </form>
            </nav>
          ) : null}
        </header>
        <main class="wide">{children}</main>
      </body>
    </html>
  );
}

/** A one-line message box after an action (`?done=...`) or a refused one. */
export function Flash({ kind, children }: { kind: 'notice' | 'warn' | 'summary'; children?: Child }) {
  return (
    <div class={kind} role={kind === 'notice' ? 'status' : 'alert'} id="flash">
      {children}
    </div>
  );
}
