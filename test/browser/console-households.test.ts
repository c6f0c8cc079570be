import { batchPutAll, getRuntime, identityItem, issueStaffToken, loadSecrets } from '@madad/adapters';
import type { StaffRole } from '@madad/core';
import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';

let stack: TestStack;
let browser: Browser;
const NEWCOMER = { cnic: '37405-4444444-6', phone: '03334444444', e164: '+923334444444' };
let reference = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await batchPutAll(doc, config.tables.registry, [
    identityItem(cnicPepper, {
      cnic: NEWCOMER.cnic,
      name: 'Rukhsana',
      gender: 'female',
      birthYear: 1990,
      status: 'ALIVE',
      simPhones: [NEWCOMER.phone],
    }),
  ]);
  const created = await stack.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Murree landslides',
      nameUr: 'مری لینڈ سلائیڈ',
      shockType: 'other',
      areas: [{ district: 'Rawalpindi' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 14000 } },
      budgetCap: 10_000_000,
      maxHouseholds: 1000,
    }),
  });
  const { campaignId } = (await created.json()) as { campaignId: string };
  await stack.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], { method: 'POST' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A staff member in their own browser context, signed in with a token (the test stack's sign-in form). */
async function signIn(user: string, roles: StaffRole[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.stack.httpUrl}/console/sign-in`);
  const token = await issueStaffToken(stack.stack.env.MADAD_JWT_SECRET ?? '', { user, roles });
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.locator('#signed-in-as').waitFor();
  return page;
}

async function searchFor(page: Page, typed: string): Promise<void> {
  await page.goto(`${stack.stack.httpUrl}/console/households`);
  await page.fill('#q', typed);
  await page.click('#household-search button[type=submit]');
  await page.waitForLoadState();
}

describe('finding and verifying households in the console', () => {
  it('finds the demo household by CNIC, by every form of its phone, and a newcomer by reference', async () => {
    const sent = await stack.sms({ from: '+923001234567', text: DEMO_CNIC, messageId: 'browser-desk-1' });
    expect(sent.status).toBe(200);
    const web = await fetch(`${stack.stack.httpUrl}/api/v1/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cnic: NEWCOMER.cnic,
        phone: NEWCOMER.phone,
        district: 'Rawalpindi',
        tehsil: 'Murree',
        lang: 'en',
      }),
    });
    reference = ((await web.json()) as { reference: string }).reference;
    const page = await signIn('pat', ['program-officer']);

    await page.click('nav >> text=Households');
    await searchFor(page, '35202 1234567 2');
    expect(new URL(page.url()).pathname).toBe('/console/households/DEMO-0001');
    expect(await page.locator('#members').textContent()).toContain('35202-*****67-2');
    expect(await page.locator('#members').textContent()).not.toContain('35202-1234567-2');
    await screenshot(page, 'household-profile');

    for (const typed of ['0300-1234567', '03001234567', '+92 300 1234567', '923001234567']) {
      await waitFor(
        async () => {
          await searchFor(page, typed);
          return new URL(page.url()).pathname === '/console/households/DEMO-0001' ? true : undefined;
        },
        20_000,
        `the demo household by ${typed}`,
      );
    }
    expect(await page.locator('#messages').textContent()).toContain('Madad');

    await waitFor(
      async () => {
        await searchFor(page, reference);
        return new URL(page.url()).pathname.startsWith('/console/households/P-') ? true : undefined;
      },
      20_000,
      `the newcomer by reference ${reference}`,
    );
    expect(await page.locator('#household-status').textContent()).toBe('provisional');

    await searchFor(page, '03009999999');
    expect(await page.locator('#no-household').textContent()).toContain('No household found');
  });

  it('verifies a provisional household from the review queue with two officers, and the household gets the SMS', async () => {
    const maker = await signIn('pat', ['program-officer']);
    await maker.goto(`${stack.stack.httpUrl}/console/review`);
    await maker.locator('#provisional a').first().click();
    await maker.locator('#verify-form').waitFor();
    const householdId = new URL(maker.url()).pathname.split('/').pop() ?? '';
    expect(householdId).toMatch(/^P-/);

    await maker.selectOption('#area', 'Punjab|Rawalpindi|Murree');
    await maker.check('input[name=method][value=DOCUMENT_SEEN]');
    await maker.fill('#note', 'CNIC and the landslide damage slip seen at the Murree desk');
    await maker.check('input[name=outcome][value=ELIGIBLE]');
    await screenshot(maker, 'household-verify-form');
    await maker.click('#verify-submit');
    await maker.locator('#flash').waitFor();
    expect(await maker.locator('#verification-status').textContent()).toBe('PROPOSED');

    await maker.click('#confirm-submit');
    expect(await maker.locator('#error-message').textContent()).toContain('another officer must confirm');

    const checker = await signIn('sara', ['program-officer']);
    await checker.goto(`${stack.stack.httpUrl}/console/households/${householdId}`);
    await checker.click('#confirm-submit');
    await checker.locator('#flash').waitFor();
    expect(await checker.locator('#verification-status').textContent()).toBe('DONE');
    expect(await checker.locator('#verification-result').textContent()).toContain('Decision ELIGIBLE');
    expect(await checker.locator('#household-status').textContent()).toBe('active');
    expect(await checker.locator('#enrollments').textContent()).toContain('Rs 14,000');
    await screenshot(checker, 'household-verified');

    const sms = await waitFor(
      async () => {
        const delivered = await listSmsGatewayDeliveries(stack.stack.env, NEWCOMER.e164);
        return delivered.find((d) => d.text.includes('14,000'));
      },
      20_000,
      'the SMS telling the household',
    );
    expect(sms.text).toContain(reference);
  });

  it('opens a flagged case from the review queue: a CNIC the ID authority does not know has no household, and says so', async () => {
    const sent = await stack.sms({
      from: '+923009998887',
      text: '35202-9999999-1',
      messageId: 'browser-flag-9',
    });
    expect(sent.status).toBe(200);
    const officer = await signIn('pat', ['program-officer']);
    await waitFor(
      async () => {
        await officer.goto(`${stack.stack.httpUrl}/console/review`);
        return (await officer.locator('#flagged a').count()) > 0 ? true : undefined;
      },
      20_000,
      'the flagged case',
    );

    await officer.locator('#flagged a').first().click();

    expect(await officer.locator('#no-household').textContent()).toContain('ID authority: does not know it');
    expect(await officer.locator('#person-decisions').textContent()).toContain('IDENTITY_MISMATCH');
  });
});
