import { issueStaffToken } from '@madad/adapters';
import type { Appeal, StaffRole } from '@madad/core';
import { listSmsGatewayDeliveries } from '@madad/local';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';

let stack: TestStack;
let browser: Browser;
let appealId = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A staff member in their own browser context, signed in with a pasted token (the test stack's form). */
async function signIn(user: string, roles: StaffRole[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.stack.httpUrl}/console/sign-in`);
  await page.fill('#token', await issueStaffToken(stack.stack.env.MADAD_JWT_SECRET ?? '', { user, roles }));
  await page.click('button[type=submit]');
  await page.locator('#signed-in-as').waitFor();
  return page;
}

async function appealsWith(status: string): Promise<Appeal[]> {
  const response = await stack.staff(`/api/v1/appeals?status=${status}`, ['auditor']);
  return ((await response.json()) as { items: Appeal[] }).items;
}

describe('appeals and the audit log in a browser', () => {
  it('opens an appeal against a refusal under a Lahore campaign', async () => {
    // A campaign whose threshold refuses every household: the registrant's refusal is appealed.
    const created = await stack.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Lahore appeals',
        nameUr: 'لاہور اپیل',
        shockType: 'flood',
        areas: [{ district: 'Lahore' }],
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: {
          pmtThreshold: 0,
          exclusionFilters: [],
          amounts: { topUp: 6000, newBeneficiary: 12000 },
          regularProgramme: 'NO-SUCH-PROGRAMME',
        },
        maxHouseholds: 1000,
        budgetCap: 12_000_000,
      }),
    });
    expect(created.status).toBe(201);
    const { campaignId } = (await created.json()) as { campaignId: string };
    expect(
      (await stack.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], { method: 'POST' }))
        .status,
    ).toBe(200);

    await stack.sms({ from: '+923001234567', text: '35202-1234567-2', messageId: 'appeal-b-1' });
    await waitFor(
      async () => {
        const r = await stack.staff('/api/v1/registrations?messageId=appeal-b-1&from=%2B923001234567', [
          'auditor',
        ]);
        return r.status === 200 ? true : undefined;
      },
      30_000,
      'the registration decided',
    );
    await stack.sms({
      from: '+923001234567',
      text: 'APPEAL 35202-1234567-2 We lost our house',
      messageId: 'appeal-b-2',
    });
    const open = await waitFor(async () => (await appealsWith('OPEN'))[0], 30_000, 'the appeal opened');

    appealId = open.appealId;
    expect(open.decision?.decision).toMatchObject({ status: 'NOT_ELIGIBLE', campaignId });
  }, 90_000);

  it('lets an officer assign, note and propose an overturn, and a second officer confirm it', async () => {
    const pat = await signIn('pat', ['program-officer']);
    await pat.goto(`${stack.stack.httpUrl}/console/appeals`);
    const card = pat.locator(`#appeal-${appealId}`);
    expect(await card.locator('.household-link').getAttribute('href')).toMatch(/^\/console\/households\//);
    expect(await card.locator('input[name=outcome]:checked').count()).toBe(0);
    await screenshot(pat, 'console-appeals');

    await card.locator('button.assign-me').click();
    await pat.locator('#flash').waitFor();
    await pat
      .locator(`#appeal-${appealId} textarea[name=text]`)
      .fill('Called the household: house on the flood map');
    await pat.locator(`#appeal-${appealId} .note-form button`).click();
    await pat.locator('#flash').waitFor();
    await pat.locator(`#appeal-${appealId} input[value=OVERTURNED]`).check();
    await pat
      .locator(`#appeal-${appealId} textarea[name=reason]`)
      .fill('House on the flood map, score out of date');
    await pat.locator(`#appeal-${appealId} form.resolve button`).click();
    await pat.locator('#flash').waitFor();
    expect(await pat.locator('#flash').textContent()).toContain('another officer must confirm it');
    expect(await pat.locator(`#appeal-${appealId} .assignee`).textContent()).toBe('pat');
    expect(await pat.locator(`#appeal-${appealId} .notes`).textContent()).toContain('house on the flood map');
    expect(await pat.locator(`#appeal-${appealId} .waiting`).count()).toBe(1);
    await screenshot(pat, 'console-appeal-proposed');

    const bilal = await signIn('bilal', ['program-officer']);
    await bilal.goto(`${stack.stack.httpUrl}/console/appeals`);
    await bilal.locator(`#appeal-${appealId} button.confirm`).click();
    await bilal.locator('#flash').waitFor();
    await screenshot(bilal, 'console-appeal-confirmed');

    const resolved = await waitFor(
      async () => (await appealsWith('OVERTURNED')).find((a) => a.appealId === appealId),
      30_000,
      'the appeal overturned',
    );
    expect(resolved).toMatchObject({
      proposal: { by: 'pat' },
      claim: { by: 'bilal' },
      resolution: { enrolled: true },
    });
    // The household is told on its own phone, through the stack's SMS gateway, once.
    expect(resolved.phone).toBe('+923001234567');
    const told = await waitFor(
      async () =>
        (await listSmsGatewayDeliveries(stack.stack.env, resolved.phone)).filter(
          (d) => d.clientReference === `appeal-${appealId}-OVERTURNED`,
        )[0],
      30_000,
      'the household told',
    );
    expect(told.text).toContain(appealId);
  }, 90_000);

  it('lets an auditor read and filter the audit log and verify the chain', async () => {
    const audrey = await signIn('audrey', ['auditor']);
    await audrey.goto(`${stack.stack.httpUrl}/console/audit`);
    expect(await audrey.locator('#audit-entries td.action').first().textContent()).toBe('appeal.resolve');

    await audrey.fill('input[name=subject]', appealId);
    await audrey.click('#audit-filters button[type=submit]');
    await audrey.locator('#audit-entries').waitFor();
    const actions = await audrey.locator('#audit-entries td.action').allTextContents();
    expect(actions).toEqual([
      'appeal.resolve',
      'appeal.confirm',
      'appeal.propose',
      'appeal.note',
      'appeal.assign',
    ]);
    await audrey.fill('input[name=actor]', 'bilal');
    await audrey.click('#audit-filters button[type=submit]');
    await audrey.locator('#audit-entries').waitFor();
    expect(await audrey.locator('#audit-entries td.action').allTextContents()).toEqual([
      'appeal.resolve',
      'appeal.confirm',
    ]);
    await screenshot(audrey, 'console-audit-filtered');

    await audrey.click('#verify-chain');
    await audrey.locator('#verify-result').waitFor();
    expect(await audrey.locator('#verify-result').getAttribute('data-ok')).toBe('true');
    expect(await audrey.locator('#verify-result').textContent()).toContain('The chain is intact');
    await screenshot(audrey, 'console-audit-verified');
  }, 60_000);
});
