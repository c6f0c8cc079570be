import { createApp } from '@madad/api';
import { formatCnic, hashCnic, maskCnic, type Rectification, rectificationIdOf } from '@madad/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryRectifications } from '../support/rectification-fakes.js';
import { webFakes } from './web-fakes.js';

const SPOUSE = '3520212345682';
const HASH = hashCnic('pepper', SPOUSE);
const ID = rectificationIdOf(HASH, 'gender');
const ITEM: Rectification = {
  rectificationId: ID,
  householdId: 'HH-1',
  cnicHash: HASH,
  cnicMasked: maskCnic(SPOUSE),
  field: 'gender',
  survey: 'male',
  authority: 'female',
  district: 'Lahore',
  tehsil: 'Lahore City',
  source: 'survey',
  status: 'OPEN',
  foundAt: '2026-12-07T09:00:00.000Z',
  runId: 'CV-1',
};
const REPORT = {
  runId: 'CV-1',
  finishedAt: '2026-12-07T09:05:00.000Z',
  households: 3000,
  members: 18_000,
  unknownToAuthority: 0,
  mismatches: 600,
  fields: Object.fromEntries(
    ['name', 'gender', 'birthYear', 'maritalStatus', 'disabled', 'deceased'].map((f) => [
      f,
      { compared: 18_000, mismatched: 100, rate: 100 / 18_000 },
    ]),
  ),
  byDistrict: [{ stratum: 'Lahore', members: 900, membersWithMismatch: 30, fields: {} }],
  byTehsil: [],
  bySource: [{ stratum: 'survey', members: 18_000, membersWithMismatch: 590, fields: {} }],
} as never;

let fake: ReturnType<typeof memoryRectifications>;
let app: ReturnType<typeof createApp>;
let web: ReturnType<typeof webFakes>;

beforeEach(async () => {
  fake = memoryRectifications();
  fake.addHousehold('HH-1', [
    {
      cnic: formatCnic(SPOUSE),
      cnicMasked: maskCnic(SPOUSE),
      cnicHash: HASH,
      name: 'Shabana Bibi',
      relation: 'spouse',
      gender: 'male',
    },
  ]);
  await fake.deps.rectifications.open(ITEM);
  web = webFakes();
  app = createApp({
    ...web.deps,
    rectifications: { store: fake.deps.rectifications, reports: { latest: async () => REPORT } },
    changeRequests: {
      changeRequests: fake.changeRequestDeps.changeRequests,
      households: fake.changeRequestDeps.households,
      people: fake.changeRequestDeps.people,
    },
  });
});

async function as(user: string, roles: Parameters<typeof web.cookieFor>[1]) {
  const cookie = await web.cookieFor(user, roles);
  const token = cookie.slice(cookie.indexOf('=') + 1);
  const headers = { cookie, authorization: `Bearer ${token}` };
  return {
    get: (path: string) => app.request(path, { headers }),
    form: (path: string, fields: Record<string, string> = {}) =>
      app.request(path, { method: 'POST', headers, body: new URLSearchParams(fields) }),
    json: (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

describe('the rectifications page', () => {
  it('shows the last report and a district’s queue with the survey and ID-authority values', async () => {
    const pat = await as('pat', ['program-officer']);

    const html = await (await pat.get('/console/rectifications?district=Lahore')).text();

    expect(html).toContain('18,000 members of 3,000 households');
    expect(html).toMatch(/data-field="gender">.*0\.56%/s);
    expect(html).toMatch(
      new RegExp(`id="rect-${ID}" data-status="OPEN" data-field="gender">.*male.*female`, 's'),
    );
    expect(html).toContain('Propose the ID authority');
    expect(html).toContain('href="/console/rectifications">Rectifications</a>');
  });

  it('lets one officer propose and a different one confirm; the household is corrected', async () => {
    const pat = await as('pat', ['program-officer']);
    const paul = await as('paul', ['program-officer']);
    const path = `/console/rectifications/HH-1/${ID}`;

    expect((await pat.form(`${path}/propose`)).status).toBe(303);
    const own = await pat.form(`${path}/confirm`);
    const queue = await (await pat.get('/console/rectifications?district=Lahore&status=PROPOSED')).text();
    const confirmed = await paul.form(`${path}/confirm`);

    expect(own.status).toBe(409);
    expect(queue).toContain('You proposed this: another officer confirms it.');
    expect(confirmed.status).toBe(303);
    expect(fake.households.get('HH-1')?.household.members[0]?.gender).toBe('female');
    expect(fake.items.get(`HH-1/${ID}`)).toMatchObject({
      status: 'ACCEPTED',
      proposedBy: 'pat',
      decidedBy: 'paul',
    });
  });

  it('keeps the survey’s value with a reason, and refuses a keep without one', async () => {
    const pat = await as('pat', ['program-officer']);

    const bare = await pat.form(`/console/rectifications/HH-1/${ID}/keep`, { reason: '' });
    const kept = await pat.form(`/console/rectifications/HH-1/${ID}/keep`, {
      reason: 'Marriage certificate seen',
    });

    expect(bare.status).toBe(400);
    expect(kept.status).toBe(303);
    expect(fake.items.get(`HH-1/${ID}`)).toMatchObject({
      status: 'KEPT',
      reason: 'Marriage certificate seen',
    });
  });
});

describe('/api/v1/rectifications', () => {
  it('lists a district’s queue for an auditor and refuses the emergency cell', async () => {
    const olga = await as('olga', ['auditor']);
    const amina = await as('amina', ['emergency-cell']);

    const listed = await olga.get('/api/v1/rectifications?district=lahore');

    expect(await listed.json()).toMatchObject({ items: [{ rectificationId: ID, status: 'OPEN' }] });
    expect((await amina.get('/api/v1/rectifications?district=Lahore')).status).toBe(403);
    expect((await olga.json(`/api/v1/rectifications/HH-1/${ID}/propose`, {})).status).toBe(403);
  });

  it('refuses unknown fields and the proposer as confirmer', async () => {
    const pat = await as('pat', ['program-officer']);

    const typo = await pat.json(`/api/v1/rectifications/HH-1/${ID}/keep`, { reason: 'Seen', reasn: 'x' });
    await pat.json(`/api/v1/rectifications/HH-1/${ID}/propose`, {});
    const own = await pat.json(`/api/v1/rectifications/HH-1/${ID}/confirm`, {});

    expect(typo.status).toBe(400);
    expect(await typo.text()).toContain('reasn');
    expect(own.status).toBe(409);
  });
});
