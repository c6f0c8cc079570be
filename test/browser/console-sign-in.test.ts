import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';
import { signInWithOidc } from './oidc-sign-in.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: false }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('staff sign-in through the local OpenID Connect provider', () => {
  it('refuses a wrong password on the provider’s login page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.stack.httpUrl}/console`);
    await screenshot(page, 'console-sign-in');
    await page.click('#oidc-sign-in');
    await page.fill('#username', 'pat');
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit]');

    await page.locator('#login-error').waitFor();
    expect(new URL(page.url()).origin).toBe(stack.stack.staffSignIn.issuer);
    await screenshot(page, 'console-sign-in-provider');
    await context.close();
  });

  it('signs a seeded officer in with their role, signs out, and refuses the old cookie', async () => {
    const page = await signInWithOidc(browser, stack, 'pat', '/console/review');

    expect(new URL(page.url()).pathname).toBe('/console/review');
    expect(await page.locator('#signed-in-as').textContent()).toBe('pat (program-officer)');
    const [session] = (await page.context().cookies()).filter((c) => c.name === 'madad_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    await screenshot(page, 'console-signed-in');

    await page.click('nav form[action="/console/sign-out"] button');
    await page.locator('#signed-out').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/signed-out');
    expect((await page.context().cookies()).some((c) => c.name === 'madad_session')).toBe(false);

    // The same cookie, replayed after sign-out, opens nothing.
    if (!session) throw new Error('no session cookie');
    await page.context().addCookies([session]);
    await page.goto(`${stack.stack.httpUrl}/console/review`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(new URL(page.url()).searchParams.get('expired')).toBe('1');

    // The provider's session ended too: signing in again asks for the password.
    await page.click('#oidc-sign-in');
    await page.locator('#password').waitFor();
    expect(new URL(page.url()).origin).toBe(stack.stack.staffSignIn.issuer);
    await page.context().close();
  });
});
