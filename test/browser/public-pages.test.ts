import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${stack.stack.httpUrl}${path}`);
  return page;
}

/** Reloads the status page until the reconciler has decided (the SMS and web queues are real). */
async function decidedStatus(page: Page): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const status = await page.locator('[data-status]').getAttribute('data-status');
    if (status && status !== 'QUEUED' && status !== 'RECEIVED') return status;
    await page.waitForTimeout(250);
    await page.reload();
  }
  throw new Error('The registration was not decided in 15 seconds');
}

describe('public registration in a browser', () => {
  it('registers in English after correcting the errors, without losing what was typed', async () => {
    const page = await open('/');
    await page.click('button[type=submit]');
    await page.locator('#cnic-error').waitFor();
    expect(await page.locator('#district-error').textContent()).toBe('Choose your district from the list.');

    await page.fill('#cnic', '35202-12345');
    await page.fill('#phone', '0301 7654321');
    await page.selectOption('#district', 'Lahore');
    // The script narrows the tehsils to the chosen district.
    expect(await page.locator('#tehsil optgroup').count()).toBe(1);
    await page.selectOption('#tehsil', 'Raiwind');
    await page.fill('#size', '6');
    await page.check('input[name=assets][value=livestock]');
    await page.click('button[type=submit]');
    await page.locator('#cnic-error').waitFor();

    expect(await page.inputValue('#cnic')).toBe('35202-12345');
    expect(await page.inputValue('#phone')).toBe('0301 7654321');
    expect(await page.inputValue('#size')).toBe('6');
    expect(await page.isChecked('input[name=assets][value=livestock]')).toBe(true);
    expect(await page.locator('#cnic').getAttribute('aria-describedby')).toBe('cnic-hint cnic-error');
    expect(await page.locator('#phone-error').count()).toBe(0);
    await screenshot(page, 'register-en-errors');

    await page.fill('#cnic', '35202-5555555-1');
    await page.click('button[type=submit]');
    const reference = (await page.locator('#reference-value').textContent()) ?? '';
    expect(reference).toMatch(/^W[0-9A-Z]{7}$/);
    await screenshot(page, 'register-en-done');

    await page.click('a[href^="/status?reference="]');
    // A CNIC the demo ID authority does not know: refused in plain words, with what to do next.
    expect(await decidedStatus(page)).toBe('IDENTITY_MISMATCH');
    expect(await page.locator('.status').textContent()).toBe('Your CNIC could not be verified');
    await screenshot(page, 'status-en-reference');
    await page.close();
  });

  it('registers in Urdu, right to left, with Urdu errors', async () => {
    const page = await open('/?lang=ur');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ur');
    expect(await page.locator('label[for=cnic]').textContent()).toBe('شناختی کارڈ نمبر');
    await screenshot(page, 'register-ur');

    await page.fill('#cnic', '۳۵۲۰۲-۶۶۶۶۶۶۶-۱');
    await page.fill('#phone', '123');
    await page.selectOption('#district', 'Multan');
    await page.selectOption('#tehsil', 'Shujabad');
    await page.click('button[type=submit]');
    expect(await page.locator('#phone-error').textContent()).toContain('موبائل نمبر اس طرح لکھیں');
    expect(await page.inputValue('#cnic')).toBe('۳۵۲۰۲-۶۶۶۶۶۶۶-۱');
    await screenshot(page, 'register-ur-errors');

    await page.fill('#phone', '0333 1112223');
    await page.click('button[type=submit]');
    await page.locator('#reference-value').waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.locator('h1').textContent()).toBe('رجسٹریشن موصول ہو گئی');
    await screenshot(page, 'register-ur-done');
    await page.close();
  });

  it('checks a status with CNIC and mobile number', async () => {
    // The demo household registers by SMS; no campaign is open in this stack.
    const sent = await stack.sms({
      from: '+923001234567',
      text: '35202-1234567-2',
      messageId: 'browser-status-1',
    });
    expect(sent.status).toBe(200);

    const page = await open('/status');
    let headline = '';
    for (let i = 0; i < 60 && !headline; i++) {
      await page.fill('#status-cnic', '35202 1234567 2');
      await page.fill('#status-phone', '0300-1234567');
      await page.click('form[method=post] button[type=submit]');
      await page.waitForLoadState();
      if ((await page.locator('#status-result').count()) > 0) {
        headline = (await page.locator('.status').textContent()) ?? '';
      } else {
        await page.waitForTimeout(250);
      }
    }
    expect(headline).toBe('No relief programme is open now');
    expect(await page.inputValue('#status-cnic')).toBe('35202 1234567 2');
    await screenshot(page, 'status-en-cnic');
    await page.close();
  });
});
