import { createOidcIdentityProvider, issueStaffToken, type OidcSettings } from '@madad/adapters';
import { createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOidcProvider, startOidcProvider } from '../../packages/local/src/oidc-provider.js';
import type { StaffAccount } from '../../packages/local/src/staff-accounts.js';
import { ProviderBrowser } from '../support/oidc-driver.js';
import { webFakes } from './web-fakes.js';

// The console as `app.request` sees it; the provider redirects the scripted browser here.
const CONSOLE = 'http://localhost';
const ACCOUNTS: StaffAccount[] = [
  {
    username: 'pat',
    name: 'Pat (programme officer)',
    roles: ['program-officer'],
    password: 'pat-password-1',
  },
  { username: 'amina', name: 'Amina', roles: ['emergency-cell'], password: 'amina-password-1' },
  { username: 'visitor', name: 'Visitor', roles: [], password: 'visitor-password-1' },
];

let provider: LocalOidcProvider;
let settings: OidcSettings;

beforeAll(async () => {
  provider = await startOidcProvider({
    accounts: ACCOUNTS,
    redirectUri: `${CONSOLE}/console/callback`,
    postLogoutRedirectUri: `${CONSOLE}/console/signed-out`,
  });
  settings = {
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: `${CONSOLE}/console/callback`,
    postLogoutRedirectUri: `${CONSOLE}/console/signed-out`,
  };
});

afterAll(async () => {
  await provider?.stop();
});

const cookieValue = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1);

/** The console with the provider wired in; `paste` as on the test stack, off as on `npm start`. */
function consoleWithOidc(
  options: { paste?: boolean; keys?: Parameters<typeof createOidcIdentityProvider>[1] } = {},
) {
  return webFakes({
    consoleSignIn: {
      identityProvider: createOidcIdentityProvider(settings, options.keys),
      acceptPastedTokens: options.paste ?? false,
    },
  });
}

/** Starts a sign-in in the console and goes through the provider's login page as `username`. */
async function toCallback(web: ReturnType<typeof webFakes>, username: string, next = '/console/review') {
  const start = await web.request(`/console/sign-in/start?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(303);
  const signInCookie = `madad_sign_in=${cookieValue(start, 'madad_sign_in')}`;
  const password = ACCOUNTS.find((a) => a.username === username)?.password ?? 'wrong';
  const callback = await new ProviderBrowser(`${CONSOLE}/console/callback`).signIn(
    start.headers.get('location') ?? '',
    username,
    password,
  );
  return { start, signInCookie, callback };
}

const callbackPath = (url: URL) => `${url.pathname}${url.search}`;

describe('console sign-in through OpenID Connect (authorization code with PKCE)', () => {
  it('sends the browser to the provider with a PKCE S256 challenge, state and nonce', async () => {
    const web = consoleWithOidc();

    const start = await web.request('/console/sign-in/start?next=%2Fconsole%2Freview');

    const location = new URL(start.headers.get('location') ?? '');
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('madad_sign_in=')) ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/console/callback');
  });

  it('signs a seeded officer in: a session cookie for one shift at most, and the page they asked for', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');

    const landed = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/console/review');
    const cookie = landed.headers.getSetCookie().find((c) => c.startsWith('madad_session=')) ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/console');
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(8 * 3600);
    const session = [...web.staffSessions.sessions.values()][0];
    expect(session).toMatchObject({ user: 'pat', roles: ['program-officer'] });
    // The table holds a hash of the cookie's secret, never the secret.
    expect(session?.sessionKey).not.toBe(cookieValue(landed, 'madad_session'));
    const page = await web.request('/console/review', {
      headers: { cookie: `madad_session=${cookieValue(landed, 'madad_session')}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pat (program-officer)');
  });

  it('marks its cookies Secure when the console is not on loopback', async () => {
    const web = consoleWithOidc();
    const host = { host: 'madad.example.org' };
    const start = await web.request('/console/sign-in/start', { headers: host });
    const signInCookie = `madad_sign_in=${cookieValue(start, 'madad_sign_in')}`;
    const pat = ACCOUNTS[0];
    if (!pat) throw new Error('no account');
    const callback = await new ProviderBrowser(`${CONSOLE}/console/callback`).signIn(
      start.headers.get('location') ?? '',
      pat.username,
      pat.password,
    );

    const landed = await web.request(callbackPath(callback), { headers: { ...host, cookie: signInCookie } });

    expect(start.headers.getSetCookie().find((c) => c.startsWith('madad_sign_in='))).toContain('Secure');
    expect(landed.headers.getSetCookie().find((c) => c.startsWith('madad_session='))).toContain('Secure');
  });

  it('refuses a callback whose state is not the one this browser sent', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    callback.searchParams.set('state', 'forged-state');

    const refused = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Sign-in failed');
    expect(cookieValue(refused, 'madad_session')).toBeUndefined();
  });

  it('refuses a code redeemed with another PKCE verifier than the one its challenge came from', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const [transaction] = [...web.staffSessions.transactions.values()];
    if (!transaction) throw new Error('no transaction recorded');
    web.staffSessions.transactions.set(transaction.transactionKey, {
      ...transaction,
      codeVerifier: 'a'.repeat(43),
    });

    const refused = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('invalid_grant');
    expect(web.staffSessions.sessions.size).toBe(0);
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const [transaction] = [...web.staffSessions.transactions.values()];
    if (!transaction) throw new Error('no transaction recorded');
    web.staffSessions.transactions.set(transaction.transactionKey, {
      ...transaction,
      nonce: 'another-nonce',
    });

    const refused = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('nonce');
    expect(web.staffSessions.sessions.size).toBe(0);
  });

  it('refuses an ID token that does not verify against the provider’s keys', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const strangerKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256' }] });
    const web = consoleWithOidc({ keys: { keys: strangerKeys } });
    const { signInCookie, callback } = await toCallback(web, 'pat');

    const refused = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('did not verify');
    expect(web.staffSessions.sessions.size).toBe(0);
  });

  it('uses a sign-in once: the same callback replayed is refused', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const first = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });
    expect(first.status).toBe(303);

    const replayed = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(replayed.status).toBe(401);
    expect(web.staffSessions.sessions.size).toBe(1);
  });

  it('opens no session for an account in none of the staff groups', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'visitor');

    const refused = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('id="no-staff-role"');
    expect(web.staffSessions.sessions.size).toBe(0);
  });

  it('refuses a signed-in officer what only the emergency cell may do (declare a campaign)', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const landed = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });

    const page = await web.form(
      '/console/campaigns',
      { name: 'Declared by the wrong person' },
      undefined,
      `madad_session=${cookieValue(landed, 'madad_session')}`,
    );

    expect(page.status).toBe(403);
    expect(await page.text()).toContain('id="forbidden"');
  });

  it('refuses a session past its end and sends the person to sign in again', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const landed = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });
    const [session] = [...web.staffSessions.sessions.values()];
    if (!session) throw new Error('no session');
    // The fakes' clock stands still: move the session's end behind it instead.
    const now = web.deps.clock.now().getTime();
    web.staffSessions.sessions.set(session.sessionKey, {
      ...session,
      expiresAt: new Date(now - 1000).toISOString(),
    });

    const page = await web.request('/console/review', {
      headers: { cookie: `madad_session=${cookieValue(landed, 'madad_session')}` },
    });

    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/console/sign-in?expired=1&next=%2Fconsole%2Freview');
  });

  it('signs out for good: the session is revoked, the provider’s session ended, the old cookie refused', async () => {
    const web = consoleWithOidc();
    const { signInCookie, callback } = await toCallback(web, 'pat');
    const landed = await web.request(callbackPath(callback), { headers: { cookie: signInCookie } });
    const cookie = `madad_session=${cookieValue(landed, 'madad_session')}`;

    const out = await web.request('/console/sign-out', { method: 'POST', headers: { cookie } });

    expect(out.status).toBe(200);
    const html = await out.text();
    const href = /id="provider-sign-out" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(html).toContain(`content="0;url=${href?.replaceAll('&', '&amp;')}"`);
    const endSession = new URL(href ?? '');
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${CONSOLE}/console/signed-out`);
    expect([...web.staffSessions.sessions.values()][0]?.revokedAt).toBeDefined();
    const replayed = await web.request('/console/review', { headers: { cookie } });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toMatch(/^\/console\/sign-in\?expired=1/);
  });
});

describe('console sign-in without the test stack’s token form', () => {
  it('shows only the provider’s sign-in and ignores a staff token in the cookie', async () => {
    const web = consoleWithOidc({ paste: false });
    const token = await issueStaffToken('web-test-secret-web-test-secret-32', {
      user: 'pat',
      roles: ['admin'],
    });

    const page = await (await web.request('/console/sign-in')).text();
    const withToken = await web.request('/console/review', { headers: { cookie: `madad_staff=${token}` } });
    const pasted = await web.form('/console/sign-in', { token, next: '/console/review' });

    expect(page).toContain('id="oidc-sign-in"');
    expect(page).not.toContain('id="token"');
    expect(withToken.status).toBe(303);
    expect(withToken.headers.get('location')).toBe('/console/sign-in?next=%2Fconsole%2Freview');
    expect(pasted.status).toBe(404);
  });
});
