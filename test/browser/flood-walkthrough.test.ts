import { readFile } from 'node:fs/promises';
import { DEMO_CNIC, type GatewayDelivery, listSmsGatewayDeliveries } from '@madad/local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';
import { signInWithOidc } from './oidc-sign-in.js';

/**
 * The README's walkthrough ("from a flood to a paid batch"), every staff step done in the console by
 * the seeded staff accounts signed in through the stack's OIDC provider; the household's part by SMS.
 * The seeded registry: DEMO-0001 (Lahore, in the regular programme, PMT 18.4, phone 0300 1234567) and
 * DEMO-0002 (Karachi Central, outside the programme, PMT 41.2).
 */
let stack: TestStack;
let browser: Browser;
let campaignId = '';
let batchUrl = '';
let pat: Page;
let sam: Page;
const PHONE = '+923001234567';
const CNIC = '35202-1234567-2';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const figure = async (page: Page, id: string) =>
  Number(((await page.locator(`#${id}`).textContent()) ?? '').replace(/,/g, ''));

/** The SMS the stack's gateway delivered to `phone` in answer to the inbound message `messageId`. */
async function replyTo(phone: string, messageId: string): Promise<GatewayDelivery> {
  return waitFor(
    async () =>
      (await listSmsGatewayDeliveries(stack.stack.env, phone)).find((d) =>
        d.clientReference.startsWith(`reply-${messageId}-`),
      ),
    30_000,
    `the reply to ${messageId}`,
  );
}

describe('the flood scenario of the README, in the console', () => {
  it('1. the emergency cell declares a flood, previews its impact and activates it', async () => {
    const amina = await signInWithOidc(browser, stack, 'amina');
    expect(await amina.locator('#signed-in-as').textContent()).toBe('amina (emergency-cell)');

    await amina.fill('#name', 'Monsoon floods 2026');
    await amina.fill('#nameUr', 'مون سون سیلاب');
    await amina.selectOption('#shockType', 'flood');
    await amina.fill('#areas', 'Lahore\nKarachi Central');
    await screenshot(amina, 'walkthrough-01-declare');
    await amina.click('#create-campaign button[type=submit]');
    await amina.locator('#flash').waitFor();
    campaignId = amina.url().match(/C-[A-Z0-9]+/)?.[0] ?? '';
    expect(campaignId).not.toBe('');
    expect(await amina.locator('#campaign-status').textContent()).toBe('draft');
    expect(await amina.locator('#campaign-name-ur').textContent()).toBe('مون سون سیلاب');

    await amina.click('#activate');
    await amina.locator('#impact-preview').waitFor();
    await amina.locator('#confirm-activate').waitFor();
    const topUps = await figure(amina, 'preview-top-ups');
    // DEMO-0001 (Lahore, in the programme, under the threshold) is the one household to top up.
    expect(topUps).toBe(1);
    await screenshot(amina, 'walkthrough-02-impact-preview');
    await amina.click('#confirm-activate button[type=submit]');
    await amina.locator('#flash').waitFor();
    expect(await amina.locator('#campaign-status').textContent()).toBe('active');

    // The campaign's own figures, once the expansion has run, equal the preview.
    await waitFor(
      async () => {
        await amina.reload();
        return (await figure(amina, 'tile-vertical')) === topUps ? true : undefined;
      },
      60_000,
      'the top-ups to be decided',
    );
    expect(await figure(amina, 'tile-enrolled')).toBe(topUps);
    await screenshot(amina, 'walkthrough-03-activated');
  }, 120_000);

  it('2. a household registers by SMS with its bare CNIC and is answered in Roman Urdu', async () => {
    const sent = await stack.sms({ from: PHONE, text: DEMO_CNIC, messageId: 'walkthrough-reg-1' });
    expect(sent.status).toBe(200);

    const reply = await replyTo(PHONE, 'walkthrough-reg-1');
    // Roman Urdu (GSM-7, "Hawala" the reference, HALAT the status keyword), naming the campaign: the
    // household, topped up at activation, is told of the amount added.
    expect(reply.encoding).toBe('GSM-7');
    expect(reply.text).toMatch(
      /^Madad: Aap ke ghar ko Monsoon floods 2026 se Rs 12,000 izafi milenge\..*Hawala [0-9A-Z]{8}\./,
    );
    expect(reply.text).toContain('Halat ke liye 8171 par HALAT aur apna CNIC bhejein.');
  }, 60_000);

  it('3. a programme officer finds the household by CNIC and opens its profile', async () => {
    pat = await signInWithOidc(browser, stack, 'pat', '/console/households');
    await pat.fill('#q', '35202 1234567 2');
    await screenshot(pat, 'walkthrough-04-household-search');
    await pat.click('#household-search button[type=submit]');
    await pat.waitForLoadState();
    expect(new URL(pat.url()).pathname).toBe('/console/households/DEMO-0001');
    expect(await pat.locator('#members').textContent()).toContain('35202-*****67-2');
    await waitFor(
      async () => {
        await pat.reload();
        return ((await pat.locator('#messages').textContent()) ?? '').includes('Madad') ? true : undefined;
      },
      30_000,
      'the registration reply on the profile',
    );
    await screenshot(pat, 'walkthrough-05-household-profile');
  }, 60_000);

  it('4. the officer makes a batch, an approver approves it, the bank file goes out and its results come back', async () => {
    await pat.goto(`${stack.stack.httpUrl}/console/campaigns/${campaignId}/payments`);
    await pat.click('#create-batch button[type=submit]');
    await pat.locator('#batch-maker').waitFor();
    batchUrl = pat.url().replace(/\?.*$/, '');
    expect(await pat.locator('#batch-maker').textContent()).toBe('pat');
    expect(await pat.locator('#batch-status').textContent()).toBe('pending');
    expect(await pat.locator('#approve').count()).toBe(0);
    expect(await pat.locator('#lines').textContent()).toContain('Shabana Bibi35***-*******-2Lahore');
    await screenshot(pat, 'walkthrough-06-batch-made');

    sam = await signInWithOidc(browser, stack, 'sam', new URL(batchUrl).pathname);
    expect(await sam.locator('#batch-maker').textContent()).toBe('pat');
    // The breakdown (one household, PKR 12,000 at the form's default top-up) and the flags, above Approve.
    expect(await sam.locator('#breakdown-total').textContent()).toBe(
      (await sam.locator('#breakdown tbody td.n').last().textContent()) ?? '',
    );
    expect(await sam.locator('#breakdown').textContent()).toContain('12,000');
    expect(await sam.locator('#flagged-none').count()).toBe(1);
    await screenshot(sam, 'walkthrough-07-batch-review');
    await sam.click('#approve');
    await sam.locator('#flash').waitFor();
    expect(await sam.locator('#batch-status').textContent()).toBe('approved');

    await pat.goto(batchUrl);
    const [download] = await Promise.all([pat.waitForEvent('download'), pat.click('#download')]);
    const file = await readFile((await download.path()) ?? '', 'utf8');
    const references = [...new Set(file.match(/P-[0-9A-Z]{16}/g) ?? [])];
    expect(references).toHaveLength(1);
    await pat.fill('#results-text', `paymentReference,status,reason\n${references[0]},PAID,`);
    await pat.click('#upload-results button[type=submit]');
    await pat.locator('#results-report').waitFor();
    expect(await pat.locator('#results-report').textContent()).toContain('another staff member');
    expect(await pat.locator('#imports form').count()).toBe(0);
    await screenshot(pat, 'walkthrough-08-results-uploaded');

    const noor = await signInWithOidc(browser, stack, 'noor', new URL(batchUrl).pathname);
    await noor.click('#imports form button[type=submit]');
    await noor.locator('#results-report').waitFor();
    expect(await noor.locator('#results-report').textContent()).toContain('1 applied');
    expect(await noor.locator('#batch-status').textContent()).toBe('settled');
    expect(await noor.locator('#lines').textContent()).toContain('PAID');
    await screenshot(noor, 'walkthrough-09-batch-settled');
  }, 120_000);

  it('5. the household’s status check by SMS says it has been paid', async () => {
    const sent = await stack.sms({ from: PHONE, text: `HALAT ${CNIC}`, messageId: 'walkthrough-halat-1' });
    expect(sent.status).toBe(200);

    const reply = await replyTo(PHONE, 'walkthrough-halat-1');
    expect(reply.text).toContain('Aap ko raqam ada ho chuki hai');
  }, 60_000);

  it('6. an auditor opens the audit log and verifies the chain', async () => {
    const olga = await signInWithOidc(browser, stack, 'olga', '/console/audit');
    const actions = await olga.locator('#audit-entries td.action').allTextContents();
    for (const action of ['campaign.activate', 'payment-batch.approve']) expect(actions).toContain(action);
    await olga.click('#verify-chain');
    await olga.locator('#verify-result').waitFor();
    expect(await olga.locator('#verify-result').getAttribute('data-ok')).toBe('true');
    expect(await olga.locator('#verify-result').textContent()).toContain('The chain is intact');
    await screenshot(olga, 'walkthrough-10-audit-verified');
  }, 60_000);
});
