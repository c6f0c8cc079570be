import {
  batchPutAll,
  DynamoDbAuthorityDirectory,
  DynamoDbCrossValidationReports,
  DynamoDbRectificationStore,
  DynamoDbRosterSource,
  drawBackCheckSampleJob,
  getRuntime,
  householdItems,
  identityItem,
  importBackCheckResultsJob,
  issueStaffToken,
  loadSecrets,
  runRegistryHealthJob,
} from '@madad/adapters';
import { crossValidateRoster, type HouseholdImport, type IdentityImport, type StaffRole } from '@madad/core';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { launchChromium, screenshot } from './chromium.js';
import { signInWithOidc } from './oidc-sign-in.js';

let stack: TestStack;
let browser: Browser;
const DISTRICT = 'Jhang';
const SIZES = { desktop: { width: 1280, height: 900 }, mobile: { width: 375, height: 740 } } as const;

/** Household i of Jhang; the survey recorded the spouse of household 0 born 1948, the ID authority says 1984. */
function household(i: number): HouseholdImport {
  const cnic = (member: number) => `33202${String(i * 10 + member).padStart(7, '0')}${member === 1 ? 1 : 2}`;
  return {
    householdId: `HH-JQ-${String(i).padStart(3, '0')}`,
    province: 'Punjab',
    district: DISTRICT,
    tehsil: 'Jhang',
    pmtScore: 18 + i,
    surveyedAt: i % 2 === 0 ? '2019-03-01' : '2024-03-01',
    programmes: [],
    phones: [`+92301${String(2_000_000 + i)}`],
    source: 'survey',
    enumerator: `E${i % 3}`,
    members: [
      {
        cnic: cnic(1),
        name: `Head ${i}`,
        gender: 'male',
        birthYear: 1970,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
      {
        cnic: cnic(2),
        name: `Wife ${i}`,
        gender: 'female',
        birthYear: i === 0 ? 1948 : 1984,
        relation: 'spouse',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
  };
}

const HOUSEHOLDS = Array.from({ length: 12 }, (_, i) => household(i));
const IDENTITIES: IdentityImport[] = HOUSEHOLDS.flatMap((h) =>
  h.members.map((m) => ({
    cnic: m.cnic,
    name: m.name,
    gender: m.gender,
    birthYear: h.householdId === 'HH-JQ-000' && m.relation === 'spouse' ? 1984 : m.birthYear,
    status: 'ALIVE' as const,
    simPhones: [],
  })),
);

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ seed: true }), launchChromium()]);
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  const table = config.tables.registry;
  await batchPutAll(doc, table, [
    ...HOUSEHOLDS.flatMap((h) => householdItems(cnicPepper, h)),
    ...IDENTITIES.map((i) => identityItem(cnicPepper, i)),
  ]);
  // The jobs `npx madad cross-validate` and `npx madad quality` run, in-process on the stack's tables.
  const report = await crossValidateRoster(
    {
      roster: new DynamoDbRosterSource(doc, table),
      authority: new DynamoDbAuthorityDirectory(doc, table),
      rectifications: new DynamoDbRectificationStore(doc, table),
      clock: { now: () => new Date() },
    },
    { runId: 'CV-BROWSER-1' },
  );
  await new DynamoDbCrossValidationReports(doc, table).save({
    ...report,
    finishedAt: new Date().toISOString(),
  });
  const ctx = {
    doc,
    registryTable: table,
    operationsTable: config.tables.operations,
    now: () => new Date(),
  };
  await runRegistryHealthJob(ctx);
  const { sample, csv } = await drawBackCheckSampleJob(ctx, {
    seed: 'browser-q1',
    by: 'district',
    confidence: 0.95,
    margin: 0.2,
  });
  // The validators' file: our Jhang households as found on the doorstep, one head's birth year
  // differing from the survey; the seeded demo households' cells left empty (not collected).
  const rows: Record<string, string>[] = parse(csv, { columns: true });
  const firstOfOurs = rows.findIndex((row) => row.householdId?.startsWith('HH-JQ-'));
  const found = rows.map((row, i) =>
    row.householdId?.startsWith('HH-JQ-')
      ? {
          ...row,
          memberCount: '2',
          headGender: 'M',
          headBirthYear: i === firstOfOurs ? '1965' : '1970',
          headMaritalStatus: 'married',
          disabledMembers: '0',
        }
      : row,
  );
  await importBackCheckResultsJob(ctx, {
    sampleId: sample.sampleId,
    text: stringify(found, { header: true }),
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A second programme officer (the seeded accounts hold one), signed in with a token in their own context. */
async function signInWithToken(user: string, roles: StaffRole[], next: string): Promise<Page> {
  const context = await browser.newContext({ viewport: SIZES.desktop });
  const page = await context.newPage();
  await page.goto(`${stack.stack.httpUrl}/console/sign-in`);
  await page.fill('#token', await issueStaffToken(stack.stack.env.MADAD_JWT_SECRET ?? '', { user, roles }));
  await page.click('button[type=submit]');
  await page.locator('#signed-in-as').waitFor();
  await page.goto(`${stack.stack.httpUrl}${next}`);
  return page;
}

/**
 * Runs in the page (a string: the tests compile without the DOM types). Names the elements reaching
 * past the viewport whose children do not (a wide table inside a scrolling box, class "scroll",
 * scrolls on its own and is not counted), the page's widths, and the visible form controls without
 * a label (<label>, aria-label or aria-labelledby).
 */
const LAYOUT_PROBE = `(() => {
  const width = document.documentElement.clientWidth;
  const past = (el) => el.getBoundingClientRect().right > width + 0.5;
  const overflowing = [...document.body.querySelectorAll('*')]
    .filter((el) => past(el) && el.closest('.scroll') === null && ![...el.children].some(past))
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').slice(0, 40));
  const unlabelled = [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden' && el.type !== 'submit')
    .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML);
  return { overflowing, unlabelled, scroll: document.documentElement.scrollWidth, client: width };
})()`;
const LayoutSchema = z.object({
  overflowing: z.array(z.string()),
  unlabelled: z.array(z.string()),
  scroll: z.number(),
  client: z.number(),
});

/** The page fits its width and every visible form control has a label. */
async function checkLayout(page: Page): Promise<void> {
  const layout = LayoutSchema.parse(await page.evaluate(LAYOUT_PROBE));
  expect(layout.overflowing, `${page.url()} overflows horizontally`).toEqual([]);
  expect(layout.scroll, `${page.url()} is wider than its viewport`).toBeLessThanOrEqual(layout.client);
  expect(layout.unlabelled, `${page.url()} has unlabelled controls`).toEqual([]);
}

/** Screenshots the page at desktop and at a narrow phone width, checking the layout at each. */
async function captureBothWidths(page: Page, name: string): Promise<void> {
  await page.setViewportSize(SIZES.mobile);
  await checkLayout(page);
  await screenshot(page, `${name}-mobile`);
  await page.setViewportSize(SIZES.desktop);
  await checkLayout(page);
  await screenshot(page, name);
}

describe('the data-quality console pages in a browser', () => {
  it('shows the cross-validation report and a district queue; one officer proposes, another confirms, the proposer may not', async () => {
    const maker = await signInWithOidc(browser, stack, 'pat', '/console/rectifications');

    expect(await maker.locator('#cross-validation-report').textContent()).toContain('Last cross-validation');
    // The one planted birth year is the only mismatch (the seeded demo households agree with the ID authority).
    const birthYearCells = maker.locator('#field-rates tr[data-field=birthYear] td');
    expect(await birthYearCells.nth(1).textContent()).toBe('1');
    expect(await maker.locator('#field-rates tr[data-field=gender] td').nth(1).textContent()).toBe('0');
    const report = await maker.locator('#cross-validation-report').textContent();
    expect(report).toContain('1 mismatched field;');
    expect(report).toContain(`${DISTRICT}: 4.17% of 24 members`);
    expect(report).not.toMatch(/\b1 members\b/);
    await captureBothWidths(maker, 'console-rectifications-report');

    await maker.locator('#district-rates a', { hasText: DISTRICT }).click();
    const row = maker.locator('#rectification-queue tr[data-field=birthYear]');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('HH-JQ-000');
    expect(await row.textContent()).toContain('1948');
    expect(await row.textContent()).toContain('1984');
    await captureBothWidths(maker, 'console-rectifications-queue');

    await row.locator('button', { hasText: "Propose the ID authority's value" }).click();
    await maker.locator('#flash').waitFor();
    await maker.goto(`${stack.stack.httpUrl}/console/rectifications?district=${DISTRICT}&status=PROPOSED`);
    const proposed = maker.locator('#rectification-queue tr[data-field=birthYear]');
    expect(await proposed.getAttribute('data-status')).toBe('PROPOSED');
    expect(await proposed.textContent()).toContain('You proposed this: another officer confirms it.');
    expect(await proposed.locator('button', { hasText: 'Confirm' }).count()).toBe(0);
    const rectificationId = ((await proposed.getAttribute('id')) ?? '').replace(/^rect-/, '');
    await captureBothWidths(maker, 'console-rectification-proposed');
    // Even posting the confirm form by hand, the proposer is refused, and told why.
    await maker.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/console/rectifications/HH-JQ-000/${rectificationId}/confirm';
      document.body.append(form);
      form.submit();
    })()`);
    await maker.locator('#error-message').waitFor();
    expect(await maker.locator('#error-message').textContent()).toContain('cannot also confirm');

    const checker = await signInWithToken(
      'sara',
      ['program-officer'],
      `/console/rectifications?district=${DISTRICT}&status=PROPOSED`,
    );
    await checker
      .locator('#rectification-queue tr[data-field=birthYear] button', { hasText: 'Confirm' })
      .click();
    await checker.locator('#flash').waitFor();
    expect(await checker.locator('#flash').textContent()).toContain('the household member is corrected');
    await checker.goto(`${stack.stack.httpUrl}/console/rectifications?district=${DISTRICT}&status=ACCEPTED`);
    expect(
      await checker.locator('#rectification-queue tr[data-field=birthYear]').getAttribute('data-status'),
    ).toBe('ACCEPTED');
    await captureBothWidths(checker, 'console-rectification-accepted');
    await checker.goto(`${stack.stack.httpUrl}/console/households/HH-JQ-000`);
    const spouse = checker.locator('#members tr', { hasText: 'Wife 0' });
    expect(await spouse.textContent()).toContain('1984');
    expect(await spouse.textContent()).not.toContain('1948');
  });

  it('shows the stored registry health report and a back-check sample', async () => {
    const reader = await signInWithOidc(browser, stack, 'pat', '/console/quality');

    expect(await reader.locator('#health').textContent()).toContain('households due for an update');
    expect(await reader.locator('#health-findings li[data-finding=stale] strong').textContent()).toMatch(
      /^\d+$/,
    );
    expect(
      Number(await reader.locator('#health-findings li[data-finding=stale] strong').textContent()),
    ).toBeGreaterThanOrEqual(6);
    await captureBothWidths(reader, 'console-quality-health');

    await reader.locator('#samples a').first().click();
    expect(new URL(reader.url()).pathname).toMatch(/^\/console\/quality\/samples\//);
    expect(await reader.locator('h1').textContent()).toContain('Back-check');
    const birthYears = await reader.locator('#field-rates tr[data-field=headBirthYear]').textContent();
    expect(birthYears).toMatch(/^headBirthYear1\/\d+/);
    await captureBothWidths(reader, 'console-quality-sample');
  });
});
