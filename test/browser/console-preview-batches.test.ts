import { readFile } from 'node:fs/promises';
import {
  createDynamoDbPaymentPorts,
  DynamoDbEnrollmentStore,
  getRuntime,
  issueStaffToken,
  loadSecrets,
} from '@madad/adapters';
import type { HouseholdImport, StaffRole } from '@madad/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  queueDepth,
  stackSqsClient,
  startTestStack,
  type TestStack,
  waitFor,
} from '../support/local-stack.js';
import { seedRegistry } from '../support/stack-fixtures.js';
import { launchChromium, screenshot } from './chromium.js';

let stack: TestStack;
let browser: Browser;
let campaignId = '';

/** Thirty Dadu households over two tehsils, scores 0..58, every other one in KAFAALAT, each with a phone. */
function household(n: number): HouseholdImport {
  const digits = String(n).padStart(7, '0');
  return {
    householdId: `HH-BRW-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: n % 2 ? 'Mehar' : 'Johi',
    pmtScore: (n * 11) % 59,
    surveyedAt: '2024-05-01',
    programmes: n % 3 === 0 ? [] : ['KAFAALAT'],
    members: [
      {
        cnic: `42201${digits}4`,
        name: `Rukhsana ${n}`,
        gender: 'female',
        birthYear: 1982,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
    phones: [`0300${String(1000000 + n)}`],
    source: 'survey',
  };
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: false }), launchChromium()]);
  const { config, doc } = getRuntime();
  await seedRegistry(
    doc,
    config.tables.registry,
    (await loadSecrets()).cnicPepper,
    Array.from({ length: 30 }, (_, n) => household(n)),
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A staff member in their own browser context, signed in with a token (scripts' sign-in). */
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

const figure = async (page: Page, id: string) =>
  Number(((await page.locator(`#${id}`).textContent()) ?? '').replace(/,/g, ''));

describe('impact preview and flagged batches in a browser', () => {
  it('previews a campaign before activating it, and the activation produces the previewed figures', async () => {
    const created = await stack.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Dadu floods (browser preview)',
        nameUr: 'دادو سیلاب',
        shockType: 'flood',
        areas: [{ district: 'Dadu' }],
        opensAt: '2026-03-01T00:00:00.000Z',
        closesAt: '2027-06-01T00:00:00.000Z',
        rules: {
          pmtThreshold: 32,
          exclusionFilters: [],
          amounts: { topUp: 10_000, newBeneficiary: 25_000 },
          regularProgramme: 'KAFAALAT',
        },
        budgetCap: 80_000,
        maxHouseholds: 1000,
      }),
    });
    campaignId = ((await created.json()) as { campaignId: string }).campaignId;
    const cell = await signIn('amina', ['emergency-cell']);

    await cell.goto(`${stack.stack.httpUrl}/console/campaigns/${campaignId}`);
    await cell.click('#activate');
    await cell.locator('#impact-preview').waitFor();
    const preview = {
      topUps: await figure(cell, 'preview-top-ups'),
      enrolled: await figure(cell, 'preview-enrolled'),
      waitlisted: await figure(cell, 'preview-waitlisted'),
    };
    await screenshot(cell, 'console-preview-activate');
    await cell.click('#confirm-activate button[type=submit]');
    await cell.locator('#flash').waitFor();
    const sqs = stackSqsClient(stack.stack);
    const { config, doc } = getRuntime();
    await waitFor(
      async () => ((await queueDepth(sqs, config.queues.activation)) === 0 ? true : undefined),
      60_000,
      'the activation to finish',
    );
    const enrolled = await createDynamoDbPaymentPorts(doc, config.tables).enrollments.unbatched({
      campaignId,
      district: 'Dadu',
      limit: 1000,
      now: new Date().toISOString(),
    });
    const waitlisted = await new DynamoDbEnrollmentStore(doc, config.tables.operations).waitlist(
      campaignId,
      1000,
    );

    // PKR 80,000 at 10,000 a top-up: eight enrolled, the rest waitlisted.
    expect(preview).toEqual({
      topUps: enrolled.length + waitlisted.length,
      enrolled: enrolled.length,
      waitlisted: waitlisted.length,
    });
    expect(preview.enrolled).toBe(8);
    expect(preview.waitlisted).toBeGreaterThan(0);

    // Household 3 (score 33, not in the programme) registers by SMS: not eligible under the first rules.
    const from = `+92300${String(1000003)}`;
    expect((await stack.sms({ from, text: '4220100000034', messageId: 'browser-reg-3' })).status).toBe(200);
    await waitFor(
      async () => {
        const r = await stack.staff(
          `/api/v1/registrations?messageId=browser-reg-3&from=${encodeURIComponent(from)}`,
          ['program-officer'],
        );
        const body = r.status === 200 ? ((await r.json()) as { decision?: { status?: string } }) : undefined;
        return body?.decision?.status === 'NOT_ELIGIBLE' ? true : undefined;
      },
      30_000,
      'household 3 to be decided',
    );

    await cell.click('#change-rules');
    await cell.fill('#rules-pmtThreshold', '45');
    await cell.click('#rules-preview-submit');
    await cell.locator('#impact-preview').waitFor();
    expect(await figure(cell, 'preview-already')).toBe(preview.topUps);
    expect(await figure(cell, 'preview-top-ups')).toBeGreaterThan(preview.topUps);
    await screenshot(cell, 'console-preview-rules');
    await cell.click('#rules-apply-submit');
    await cell.locator('#replay').waitFor();
    expect(await cell.locator('#flash').textContent()).toContain(`${campaignId}/v2`);
    expect(await cell.locator('[data-change="NOT_ELIGIBLE->ELIGIBLE"] td.n').textContent()).toBe('1');
    await screenshot(cell, 'console-replay-preview');
    await cell.click('#replay-apply');
    await cell.locator('#replay-status').waitFor();
    expect(await cell.locator('#replay-status').textContent()).toContain('Replay v2');
    const deadline = Date.now() + 60_000;
    while (!((await cell.locator('#replay-status').textContent()) ?? '').includes('DONE')) {
      if (Date.now() > deadline) throw new Error('the replay never finished');
      await cell.click('text=Refresh');
    }
    expect(await cell.locator('#replay-examined').textContent()).toBe('1');
    await screenshot(cell, 'console-replay-done');
  }, 180_000);

  it('shows the approver a line whose household has an open appeal above the approve button', async () => {
    // An enrolled household appeals by SMS from its own phone.
    const { config, doc } = getRuntime();
    const [appellant] = await createDynamoDbPaymentPorts(doc, config.tables).enrollments.unbatched({
      campaignId,
      district: 'Dadu',
      limit: 1,
      now: new Date().toISOString(),
    });
    const n = Number(appellant?.householdId.replace('HH-BRW-', ''));
    const sent = await stack.sms({
      from: `+92300${String(1000000 + n)}`,
      text: `APPEAL 42201${String(n).padStart(7, '0')}4 the amount is too small`,
      messageId: 'browser-appeal-1',
    });
    expect(sent.status).toBe(200);
    await waitFor(
      async () => {
        const open = await stack.staff('/api/v1/appeals?status=OPEN', ['program-officer']);
        const { items } = (await open.json()) as { items: unknown[] };
        return items.length > 0 ? true : undefined;
      },
      30_000,
      'the appeal to open',
    );
    const maker = await signIn('pat', ['program-officer']);
    await maker.goto(`${stack.stack.httpUrl}/console/campaigns/${campaignId}/payments`);
    await maker.click('#create-batch button[type=submit]');
    await maker.locator('#batch-maker').waitFor();
    const batchUrl = maker.url().replace(/\?.*$/, '');

    const checker = await signIn('sam', ['approver']);
    await checker.goto(batchUrl);
    const decide = (await checker.locator('#decide').textContent()) ?? '';
    expect(decide).toContain(`${appellant?.householdId}, Dadu`);
    expect(decide).toContain('household has an open appeal');
    expect(await checker.locator('#flagged-lines li').count()).toBe(1);
    expect(await checker.locator('#breakdown-total').textContent()).toBe(
      (await checker.locator('#breakdown tbody td.n').last().textContent()) ?? '',
    );
    await screenshot(checker, 'console-batch-flagged');
    await checker.click('#approve');
    await checker.locator('#flash').waitFor();
    expect(await checker.locator('#batch-status').textContent()).toBe('approved');

    // The bank pays all but one line; once a second person confirms the results the batch is partly paid.
    await maker.goto(batchUrl);
    const [download] = await Promise.all([maker.waitForEvent('download'), maker.click('#download')]);
    const file = await readFile((await download.path()) ?? '', 'utf8');
    const references = [...new Set(file.match(/P-[0-9A-Z]{16}/g) ?? [])];
    expect(references).toHaveLength(8);
    const rows = references.map((r, i) => (i === 0 ? `${r},FAILED,ACCOUNT_CLOSED` : `${r},PAID,`));
    await maker.fill('#results-text', ['paymentReference,status,reason', ...rows].join('\n'));
    await maker.click('#upload-results button[type=submit]');
    await maker.locator('#results-report').waitFor();
    await checker.goto(batchUrl);
    await checker.click('#imports form button[type=submit]');
    await checker.locator('#results-report').waitFor();
    expect(await checker.locator('#batch-status').textContent()).toBe('partly-paid');
    expect(await checker.locator('#lines').textContent()).toContain('FAILED: ACCOUNT_CLOSED');
    await screenshot(checker, 'console-batch-partly-paid');
  }, 120_000);
});
