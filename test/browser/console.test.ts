import { readFile } from 'node:fs/promises';
import { issueStaffToken } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';

let stack: TestStack;
let browser: Browser;
let campaignId = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A staff member in their own browser context (own cookies), signed in through the sign-in page. */
async function signIn(user: string, roles: StaffRole[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${stack.stack.httpUrl}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  const token = await issueStaffToken(stack.stack.env.MADAD_JWT_SECRET ?? '', { user, roles });
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.locator('#signed-in-as').waitFor();
  return page;
}

/** Waits until `selector`'s text satisfies `check`, reloading only when `reload` (otherwise the page's own script refreshes it). */
async function waitForText(page: Page, selector: string, check: (text: string) => boolean, reload = false) {
  let text = '';
  for (let i = 0; i < 120; i++) {
    text = (await page.locator(selector).first().textContent()) ?? '';
    if (check(text)) return text;
    await page.waitForTimeout(250);
    if (reload) await page.reload();
  }
  throw new Error(`${selector} never satisfied the check (last text: ${text})`);
}

describe('staff console in a browser', () => {
  it('lets the emergency cell declare a campaign covering Lahore and activate it after confirming', async () => {
    const page = await signIn('amina', ['emergency-cell']);
    expect(new URL(page.url()).pathname).toBe('/console/campaigns');

    await page.fill('#name', 'Lahore urban flooding');
    await page.fill('#nameUr', 'لاہور شہری سیلاب');
    await page.fill('#areas', 'Lahore');
    await page.click('#create-campaign button[type=submit]');
    await page.locator('#flash').waitFor();
    campaignId = page.url().match(/C-[A-Z0-9]+/)?.[0] ?? '';
    expect(campaignId).not.toBe('');
    expect(await page.locator('#campaign-status').textContent()).toBe('draft');

    await page.click('#activate');
    await page.locator('#confirm-activate').waitFor();
    await screenshot(page, 'console-activate-confirm');
    await page.click('#confirm-activate button[type=submit]');
    await page.locator('#flash').waitFor();
    expect(await page.locator('#campaign-status').textContent()).toBe('active');
  });

  it('counts an SMS sent during the test on the live dashboard, without reloading', async () => {
    const page = contexts[0]?.pages()[0];
    if (!page) throw new Error('the previous test left no page');
    // Vertical expansion tops up the demo household (it is in the regular programme, in Lahore).
    await waitForText(page, '#tile-vertical', (t) => t === '1');
    expect(await page.locator('#tile-received').textContent()).toBe('0');

    const sent = await stack.sms({
      from: '+923001234567',
      text: '35202-1234567-2',
      messageId: 'browser-dash-1',
    });
    expect(sent.status).toBe(200);

    await waitForText(page, '#tile-received', (t) => t === '1');
    expect(await page.locator('#live').getAttribute('data-refreshed')).not.toBeNull();
    expect(await page.locator('#rate-chart').getAttribute('data-total')).toBe('1');
    await screenshot(page, 'console-dashboard');
  });

  it('has a payment batch made by one officer and approved by a second user, never by its maker', async () => {
    const maker = await signIn('pat', ['program-officer']);
    await maker.goto(`${stack.stack.httpUrl}/console/campaigns/${campaignId}/payments`);
    await maker.click('#create-batch button[type=submit]');
    await maker.locator('#batch-maker').waitFor();
    const batchUrl = maker.url().replace(/\?.*$/, '');
    expect(await maker.locator('#batch-maker').textContent()).toBe('pat');
    expect(await maker.locator('#batch-status').textContent()).toBe('pending');
    expect(await maker.locator('#approve').count()).toBe(0);
    await screenshot(maker, 'console-batch-maker');

    const checker = await signIn('sam', ['approver']);
    await checker.goto(batchUrl);
    expect(await checker.locator('#batch-maker').textContent()).toBe('pat');
    await checker.click('#approve');
    await checker.locator('#flash').waitFor();
    expect(await checker.locator('#batch-status').textContent()).toBe('approved');
    expect(await checker.locator('#download').count()).toBe(1);
    await screenshot(checker, 'console-batch-approved');

    // The maker downloads the bank file and brings the bank's answer back.
    await maker.goto(batchUrl);
    const [download] = await Promise.all([maker.waitForEvent('download'), maker.click('#download')]);
    const file = await readFile((await download.path()) ?? '', 'utf8');
    const reference = file.match(/P-[0-9A-Z]{16}/)?.[0] ?? '';
    expect(reference).not.toBe('');
    await maker.fill('#results-text', `paymentReference,status,reason\n${reference},PAID,`);
    await maker.click('#upload-results button[type=submit]');
    await maker.locator('#results-report').waitFor();
    expect(await maker.locator('#results-report').textContent()).toContain('another staff member');
    expect(await maker.locator('#imports form').count()).toBe(0);

    // The results take effect when someone other than the uploader confirms them.
    await checker.goto(batchUrl);
    await checker.click('#imports form button[type=submit]');
    await checker.locator('#results-report').waitFor();
    expect(await checker.locator('#results-report').textContent()).toContain('1 applied');
    expect(await checker.locator('#lines').textContent()).toContain('PAID');
  });

  it('lists a CNIC the ID authority does not know as a flagged case in the review queue', async () => {
    const sent = await stack.sms({
      from: '+923009998887',
      text: '35202-9999999-1',
      messageId: 'browser-flag-1',
    });
    expect(sent.status).toBe(200);
    const officer = contexts[1]?.pages()[0];
    if (!officer) throw new Error('the maker of the previous test left no page');
    await officer.goto(`${stack.stack.httpUrl}/console/review`);
    await waitForText(officer, 'main', (t) => t.includes('IDENTITY_UNKNOWN'), true);
    expect(await officer.locator('#flagged').textContent()).toContain('+92300');
    await screenshot(officer, 'console-review');
  });

  it('publishes the campaign figures on its public page, small cells suppressed and as of the hour', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.stack.httpUrl}/campaigns/${campaignId}?lang=ur`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // A handful of households in Lahore City: no area is named, the totals read "fewer than 5".
    expect(await page.locator('#total-registered').textContent()).toBe('5 سے کم');
    expect(await page.locator('#by-area').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('Lahore City');
    expect(await page.locator('#as-of').textContent()).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:00 PKT$/);
    await screenshot(page, 'campaign-public-ur');
    await page.close();
  });
});
