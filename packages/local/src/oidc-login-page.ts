import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { StaffAccount } from './staff-accounts.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, username: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Madad staff sign-in (local)</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label,input,button{display:block;width:100%;margin:.3rem 0;font-size:1rem}input,button{padding:.5rem}
.error{color:#a00}.muted{color:#555;font-size:.9rem}</style></head>
<body><main><h1>Madad staff sign-in</h1>
<p class="muted">The embedded stack's own sign-in (local only). <code>npm start</code> prints the seeded accounts.</p>
${error ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" required value="${escapeHtml(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) throw new Error('Form too large');
  }
  return new URLSearchParams(body);
}

/** Compares digests, so the time taken says nothing about how much of the password was right. */
function samePassword(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

/**
 * The provider's login prompt: `GET /interaction/:uid` shows the form, `POST /interaction/:uid/login`
 * checks the username and password against the seeded accounts and hands the account to the provider.
 * Consent is granted by the provider's `loadExistingGrant` (the console is first-party).
 */
export async function handleInteraction(
  provider: Provider,
  accounts: ReadonlyMap<string, StaffAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    // Consent was granted above; an interaction that still asks has nothing the person can do.
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: `Unexpected prompt ${details.prompt.name}`,
    });
    return;
  }
  if (req.method === 'GET') return send(res, 200, loginPage(details.uid, ''));
  if (req.method !== 'POST' || !req.url?.endsWith('/login')) return send(res, 405, 'Method not allowed');
  const form = await formBody(req);
  const username = (form.get('username') ?? '').trim().toLowerCase();
  const account = accounts.get(username);
  if (!account || !samePassword(form.get('password') ?? '', account.password)) {
    return send(res, 401, loginPage(details.uid, username, 'Wrong username or password.'));
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.username } },
    { mergeWithLastSubmission: false },
  );
}
