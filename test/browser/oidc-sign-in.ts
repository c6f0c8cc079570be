import type { Browser, Page } from 'playwright-core';
import type { TestStack } from '../support/local-stack.js';

/**
 * Signs a seeded staff account (`amina`, `pat`, `sam`, `noor`, `olga`, `zara`: see
 * packages/local/src/staff-accounts.ts) in through the stack's OIDC provider, as a person would: the
 * console's "Sign in", the provider's login page, back in the console. A fresh browser context each
 * call (own cookies). Lands on `next` (default the campaigns page) and returns the page.
 */
export async function signInWithOidc(
  browser: Browser,
  stack: TestStack,
  user: string,
  next = '/console/campaigns',
): Promise<Page> {
  const account = stack.stack.staffSignIn.accounts.find((a) => a.username === user);
  if (!account) throw new Error(`No seeded staff account ${user}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.stack.httpUrl}/console/sign-in?next=${encodeURIComponent(next)}`);
  await page.click('#oidc-sign-in');
  await page.locator('#username').waitFor();
  await page.fill('#username', account.username);
  await page.fill('#password', account.password);
  await page.click('button[type=submit]');
  await page.locator('#signed-in-as').waitFor();
  return page;
}
