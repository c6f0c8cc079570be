import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBanner } from '../../packages/local/src/banner.js';
import { STAFF_ACCOUNTS_FILE } from '../../packages/local/src/staff-accounts.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { ProviderBrowser } from '../support/oidc-driver.js';

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: false });
});

afterAll(async () => {
  await t?.stop();
});

const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0];

const get = (path: string, cookie?: string) =>
  fetch(`${t.stack.httpUrl}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('staff sign-in on the embedded stack (its OIDC provider, sessions in the operations table)', () => {
  it('seeds one account per role and a second approver, kept owner-only and printed at start', async () => {
    const { accounts } = t.stack.staffSignIn;
    const banner = formatBanner({ stack: t.stack, demoCnic: '35202-1234567-1', nowSeconds: 0 });

    expect(accounts.map((a) => [a.username, a.roles.join()])).toEqual([
      ['amina', 'emergency-cell'],
      ['pat', 'program-officer'],
      ['sam', 'approver'],
      ['noor', 'approver'],
      ['olga', 'auditor'],
      ['zara', 'admin'],
    ]);
    expect((await stat(join(t.stack.dataDir, STAFF_ACCOUNTS_FILE))).mode & 0o777).toBe(0o600);
    for (const account of accounts) expect(banner).toContain(`password ${account.password}`);
    expect(banner).toContain(t.stack.staffSignIn.issuer);
  });

  it('signs an officer in through the provider, and signing out revokes the session for good', async () => {
    const pat = t.stack.staffSignIn.accounts.find((a) => a.username === 'pat');
    if (!pat) throw new Error('no seeded officer');
    const start = await get('/console/sign-in/start?next=%2Fconsole%2Freview');
    const provider = new ProviderBrowser(`${t.stack.httpUrl}/console/callback`);
    const callback = await provider.signIn(start.headers.get('location') ?? '', pat.username, pat.password);

    const landed = await get(`${callback.pathname}${callback.search}`, cookieOf(start, 'madad_sign_in'));
    const session = cookieOf(landed, 'madad_session') ?? '';
    const review = await get('/console/review', session);

    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/console/review');
    expect(review.status).toBe(200);
    expect(await review.text()).toContain('pat (program-officer)');

    const out = await fetch(`${t.stack.httpUrl}/console/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: session, origin: t.stack.httpUrl },
    });
    const endSession = /id="provider-sign-out" href="([^"]+)"/
      .exec(await out.text())?.[1]
      ?.replaceAll('&amp;', '&');
    const back = await provider.signOut(endSession ?? '', `${t.stack.httpUrl}/console/signed-out`);
    const replayed = await get('/console/review', session);

    expect(back.pathname).toBe('/console/signed-out');
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe('/console/sign-in?expired=1&next=%2Fconsole%2Freview');
  });
});
