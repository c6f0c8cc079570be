import { DynamoDbAppealStore, getRuntime } from '@madad/adapters';
import type { Appeal } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

let t: TestStack;
let campaignId = '';

beforeAll(async () => {
  t = await startTestStack({ seed: true });
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Lahore second officer',
      nameUr: 'لاہور دوسرا افسر',
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
  campaignId = ((await created.json()) as { campaignId: string }).campaignId;
}, 60_000);

afterAll(async () => {
  await t.stop();
});

/** An appeal against a refusal of DEMO-0001 under the campaign: overturning it creates PKR 12,000. */
async function openAppeal(appealId: string): Promise<void> {
  const { doc, config } = getRuntime();
  const appeal: Appeal = {
    appealId,
    messageId: `m-${appealId}`,
    cnicHash: `h-${appealId}`,
    phone: '+923001234567',
    lang: 'en',
    note: 'Our house was flooded',
    status: 'OPEN',
    openedAt: new Date().toISOString(),
    decision: {
      messageId: 'm-first',
      reference: 'R0000001',
      decision: {
        status: 'NOT_ELIGIBLE',
        reasons: ['SCORE_ABOVE_THRESHOLD'],
        ruleSetVersion: `${campaignId}/v1`,
        campaignId,
        householdId: 'DEMO-0001',
        inputs: { district: 'Lahore', tehsil: 'Lahore City', inRegularProgramme: false },
        decidedAt: new Date().toISOString(),
      },
    },
  };
  await new DynamoDbAppealStore(doc, config.tables.operations).open(appeal);
}

const post = (path: string, user: string, body: unknown = {}) =>
  t.staff(path, ['program-officer'], { method: 'POST', user, body: JSON.stringify(body) });

async function ledgerFor(subject: string): Promise<{ action: string; actor: string }[]> {
  const response = await t.staff('/api/v1/audit?limit=1000', ['auditor']);
  const { items } = (await response.json()) as {
    items: { action: string; actor: string; subject: string }[];
  };
  return items.filter((e) => e.subject === subject).map(({ action, actor }) => ({ action, actor }));
}

describe('appeals with a second officer, on the embedded stack', () => {
  it('proposes a PKR 12,000 overturn, refuses its proposer, and of two officers confirming at once one does', async () => {
    await openAppeal('A2222222');

    const proposed = await post('/api/v1/appeals/A2222222/resolve', 'olivia', {
      outcome: 'OVERTURNED',
      reason: 'House on the flood map',
    });
    const own = await post('/api/v1/appeals/A2222222/confirm', 'OLIVIA');
    const [a, b] = await Promise.all([
      post('/api/v1/appeals/A2222222/confirm', 'bilal'),
      post('/api/v1/appeals/A2222222/confirm', 'sana'),
    ]);

    expect(proposed.status).toBe(202);
    expect(((await proposed.json()) as Appeal).status).toBe('PROPOSED');
    expect(own.status).toBe(403);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = (await (a.status === 200 ? a : b).json()) as Appeal;
    expect(winner).toMatchObject({ status: 'OVERTURNED', resolution: { enrolled: true } });
    expect(await ledgerFor('appeal/A2222222')).toEqual([
      { action: 'appeal.propose', actor: 'olivia' },
      { action: 'appeal.confirm', actor: winner.claim?.by },
      { action: 'appeal.resolve', actor: winner.claim?.by },
    ]);
  }, 60_000);

  it('of two officers assigning an unassigned appeal at once one does; notes are appended once each', async () => {
    await openAppeal('A3333333');

    const [a, b] = await Promise.all([
      post('/api/v1/appeals/A3333333/assign', 'olivia', { to: 'olivia' }),
      post('/api/v1/appeals/A3333333/assign', 'bilal', { to: 'bilal' }),
    ]);
    const note = { text: 'Called the household', noteId: 'note-3333-0001' };
    const first = await post('/api/v1/appeals/A3333333/notes', 'olivia', note);
    const again = await post('/api/v1/appeals/A3333333/notes', 'olivia', note);
    const second = await post('/api/v1/appeals/A3333333/notes', 'bilal', { text: 'Papers seen at the desk' });

    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([first.status, again.status, second.status]).toEqual([201, 201, 201]);
    const appeal = (await second.json()) as Appeal;
    expect(appeal.notes?.map((n) => [n.by, n.text])).toEqual([
      ['olivia', 'Called the household'],
      ['bilal', 'Papers seen at the desk'],
    ]);
    expect((await ledgerFor('appeal/A3333333')).map((e) => e.action)).toEqual([
      'appeal.assign',
      'appeal.note',
      'appeal.note',
    ]);
  }, 60_000);
});
