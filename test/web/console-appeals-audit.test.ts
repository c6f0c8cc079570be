import type { Appeal, AuditEntry } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { NOW, type WebFakes, webFakes } from './web-fakes.js';

/** An appeal against a refusal under `campaignId` (overturning it would create PKR 12,000), opened `daysAgo`. */
function appealOf(appealId: string, campaignId: string, daysAgo: number): Appeal {
  return {
    appealId,
    messageId: `m-${appealId}`,
    cnicHash: `h-${appealId}`,
    phone: '+923001234567',
    lang: 'en',
    note: 'We sold the car in 2019',
    status: 'OPEN',
    openedAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
    decision: {
      messageId: 'm-first',
      reference: 'R7654321',
      decision: {
        status: 'NOT_ELIGIBLE',
        reasons: ['EXCLUSION_VEHICLE_OWNER'],
        ruleSetVersion: `${campaignId}/v1`,
        campaignId,
        householdId: 'HH-000123',
        inputs: { district: 'Lahore', tehsil: 'Raiwind', inRegularProgramme: false },
        decidedAt: '2026-02-20T07:00:00Z',
      },
    },
  };
}

async function withAppeal(daysAgo = 9) {
  const web = webFakes();
  const campaign = await web.addCampaign('active');
  web.householdRecords.set('HH-000123', {
    householdId: 'HH-000123',
    district: 'Lahore',
    tehsil: 'Raiwind',
    pmtScore: 28.5,
    members: [
      { name: 'Rukhsana Bibi', relation: 'head' },
      { name: 'Ali', relation: 'son' },
      { name: 'Sara', relation: 'daughter' },
    ],
  });
  web.appeals.set('A1234567', appealOf('A1234567', campaign.campaignId, daysAgo));
  return web;
}

const page = async (web: WebFakes, cookie: string, path = '/console/appeals') =>
  (await web.request(path, { headers: { cookie } })).text();

describe('console appeals as work', () => {
  it('shows each appeal with its household, the decision appealed, its age against the target and no outcome chosen', async () => {
    const web = await withAppeal(9);
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const html = await page(web, cookie);

    expect(html).toContain('<strong class="head">Rukhsana Bibi</strong>');
    expect(html).toContain('Lahore / Raiwind');
    expect(html).toContain('score 28.5');
    expect(html).toContain('3 members');
    expect(html).toContain('href="/console/households/HH-000123"');
    expect(html).toContain('NOT_ELIGIBLE</strong> (EXCLUSION_VEHICLE_OWNER)');
    expect(html).toMatch(/data-overdue="true"[^>]*>Overdue: 9 days open, target 7 days/);
    expect(html).toContain('PKR 12,000), needs a second officer');
    expect(html).not.toMatch(/name="outcome"[^>]*checked/);
    expect(html).not.toContain('UTC');
  });

  it('refuses a decision without a chosen outcome, keeping the reason typed', async () => {
    const web = await withAppeal();
    const cookie = await web.cookieFor('pat', ['program-officer']);

    const response = await web.form(
      '/console/appeals/A1234567/resolve',
      { reason: 'Papers seen' },
      undefined,
      cookie,
    );

    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Choose an outcome: overturn or uphold');
    expect(html).toContain('Papers seen</textarea>');
    expect(web.appeals.get('A1234567')?.status).toBe('OPEN');
  });

  it('assigns, notes, proposes an overturn and has a second officer confirm it; the household is told once', async () => {
    const web = await withAppeal();
    const pat = await web.cookieFor('pat', ['program-officer']);
    const bilal = await web.cookieFor('bilal', ['program-officer']);

    await web.form('/console/appeals/A1234567/assign', { to: 'pat', expected: '' }, undefined, pat);
    await web.form(
      '/console/appeals/A1234567/notes',
      { noteId: 'note-00000001', text: 'Called: car sold, transfer letter seen' },
      undefined,
      pat,
    );
    const proposed = await web.form(
      '/console/appeals/A1234567/resolve',
      { outcome: 'OVERTURNED', reason: 'Car sold in 2019, transfer letter seen' },
      undefined,
      pat,
    );
    const ownConfirm = await web.form('/console/appeals/A1234567/confirm', {}, undefined, pat);
    const patSees = await page(web, pat);
    const confirmed = await web.form('/console/appeals/A1234567/confirm', {}, undefined, bilal);

    expect(proposed.headers.get('location')).toContain('done=proposed');
    expect(ownConfirm.status).toBe(403);
    expect(patSees).toContain('You proposed it: another officer confirms or declines it.');
    expect(confirmed.status).toBe(303);
    expect(web.appeals.get('A1234567')).toMatchObject({
      status: 'OVERTURNED',
      assignment: { to: 'pat' },
      notes: [{ by: 'pat', text: 'Called: car sold, transfer letter seen' }],
      proposal: { by: 'pat' },
      claim: { by: 'bilal' },
    });
    expect(web.replies.filter((r) => r.reference === 'A1234567').map((r) => r.to)).toEqual(['+923001234567']);
    expect(web.payments.audit.map((e) => [e.action, e.actor])).toEqual([
      ['appeal.assign', 'pat'],
      ['appeal.note', 'pat'],
      ['appeal.propose', 'pat'],
      ['appeal.confirm', 'bilal'],
      ['appeal.resolve', 'bilal'],
    ]);
  });

  it('lets an auditor read the appeals but not act on them', async () => {
    const web = await withAppeal();
    const cookie = await web.cookieFor('audrey', ['auditor']);

    const html = await page(web, cookie);
    const refused = await web.form(
      '/console/appeals/A1234567/notes',
      { noteId: 'n-00000001', text: 'x y' },
      undefined,
      cookie,
    );

    expect(html).toContain('id="appeal-A1234567"');
    expect(html).not.toContain('action="/console/appeals/A1234567/resolve"');
    expect(refused.status).toBe(403);
  });
});

async function withLedger() {
  const web = await withAppeal();
  const pat = await web.cookieFor('pat', ['program-officer']);
  await web.form('/console/appeals/A1234567/assign', { to: 'pat', expected: '' }, undefined, pat);
  await web.form(
    '/console/appeals/A1234567/notes',
    { noteId: 'note-00000002', text: 'Visited' },
    undefined,
    pat,
  );
  await web.form(
    '/console/appeals/A1234567/resolve',
    { outcome: 'UPHELD', reason: 'Car still registered' },
    undefined,
    pat,
  );
  return { web, auditor: await web.cookieFor('audrey', ['auditor']) };
}

describe('console audit log', () => {
  it('is an HTML page of the entries, newest first, for auditors only', async () => {
    const { web, auditor } = await withLedger();

    const response = await web.request('/console/audit', { headers: { cookie: auditor } });
    const html = await response.text();
    const officer = await web.request('/console/audit', {
      headers: { cookie: await web.cookieFor('pat', ['program-officer']) },
    });

    expect(response.headers.get('content-type')).toContain('text/html');
    expect([...html.matchAll(/<td class="action">([^<]+)<\/td>/g)].map((m) => m[1])).toEqual([
      'appeal.resolve',
      'appeal.note',
      'appeal.assign',
    ]);
    expect(html).toContain('1 Mar 2026, 15:00 PKT');
    expect(officer.status).toBe(403);
  });

  it('filters by actor, action, subject and PKT dates', async () => {
    const { web, auditor } = await withLedger();
    const actions = async (query: string) =>
      [
        ...(await page(web, auditor, `/console/audit?${query}`)).matchAll(
          /<td class="action">([^<]+)<\/td>/g,
        ),
      ].map((m) => m[1]);

    expect(await actions('action=appeal.note')).toEqual(['appeal.note']);
    expect(await actions('actor=PAT&subject=a1234567')).toEqual([
      'appeal.resolve',
      'appeal.note',
      'appeal.assign',
    ]);
    expect(await actions('actor=someone-else')).toEqual([]);
    expect(await actions('from=2026-03-01&to=2026-03-01')).toHaveLength(3);
    expect(await actions('from=2026-03-02')).toEqual([]);
    expect(await actions('to=2026-02-28')).toEqual([]);
  });

  it('verifies the chain with one button, and says plainly where an edited ledger breaks', async () => {
    const { web, auditor } = await withLedger();

    const intact = await page(web, auditor, '/console/audit/verify');
    const second = web.payments.audit[1] as AuditEntry;
    web.payments.audit[1] = { ...second, actor: 'mallory' };
    const broken = await page(web, auditor, '/console/audit/verify');

    expect(intact).toContain('<strong>The chain is intact</strong>: 3 entries');
    expect(broken).toContain('data-ok="false"');
    expect(broken).toContain('The chain is broken at entry 2');
  });
});
