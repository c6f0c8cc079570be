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

describe('Urdu area names and Pakistan time in a browser', () => {
  it('narrows the Urdu tehsil list to مظفر گڑھ and registers with the registry spelling', async () => {
    const page = await open('/?lang=ur');

    await page.selectOption('#district', { label: 'مظفر گڑھ' });
    const groups = {
      labels: await page
        .locator('#tehsil optgroup')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('label'))),
      options: await page.locator('#tehsil optgroup option').allTextContents(),
    };
    await page.selectOption('#tehsil', { label: 'کوٹ ادو' });
    await screenshot(page, 'register-ur-muzaffargarh');
    await page.fill('#cnic', '32304-1234567-1');
    await page.fill('#phone', '0333 1112224');
    await page.click('button[type=submit]');
    await page.locator('#reference-value').waitFor();

    expect(groups).toEqual({ labels: ['مظفر گڑھ'], options: ['مظفر گڑھ', 'علی پور', 'جتوئی', 'کوٹ ادو'] });
    expect(await page.locator('h1').textContent()).toBe('رجسٹریشن موصول ہو گئی');
    await page.close();
  });

  it('shows a campaign under its Urdu name, with its figures as of an hour in PKT and no UTC', async () => {
    const created = await stack.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Lahore urban flooding',
        nameUr: 'لاہور شہری سیلاب',
        shockType: 'flood',
        areas: [{ district: 'Lahore' }],
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
        maxHouseholds: 1000,
        budgetCap: 12_000_000,
      }),
    });
    expect(created.status).toBe(201);
    const { campaignId } = (await created.json()) as { campaignId: string };
    const activated = await stack.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
      method: 'POST',
    });
    expect(activated.status).toBe(200);

    const page = await open(`/campaigns/${campaignId}?lang=ur`);
    await screenshot(page, 'campaign-ur');

    expect(await page.locator('h1').textContent()).toBe('لاہور شہری سیلاب');
    expect(await page.locator('#as-of').textContent()).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:00 PKT$/);
    expect(await page.locator('body').textContent()).not.toMatch(/UTC|\d{4}-\d{2}-\d{2}T/);
    await page.close();
  });
});
