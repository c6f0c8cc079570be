import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getRuntime, importFile, loadSecrets } from '@madad/adapters';
import { formatCnic } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedHousehold } from '../../packages/cli/src/generate/population.js';
import { generatePopulation } from '../../packages/cli/src/generate/population.js';
import { POPULATION_FILES, writePopulation } from '../../packages/cli/src/generate/write-population.js';
import { startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';

const HOUSEHOLDS = 2500;
const SEED = 'campaign-flow';
const FILTERS = ['VEHICLE_OWNER', 'GOVT_EMPLOYEE', 'INTL_TRAVEL'];
const THRESHOLD = 32;

let t: TestStack;
let population: GeneratedHousehold[];
let districts: string[];
let campaignId: string;
const cases: {
  messageId: string;
  from: string;
  text: string;
  expected: string;
  household?: GeneratedHousehold;
}[] = [];

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const dir = await mkdtemp(join(tmpdir(), 'madad-campaign-'));
  await writePopulation({ households: HOUSEHOLDS, seed: SEED, outDir: dir });
  population = [...generatePopulation({ households: HOUSEHOLDS, seed: SEED })];
  const { config, doc } = getRuntime();
  const target = { doc, table: config.tables.registry, pepper: (await loadSecrets()).cnicPepper };
  await importFile({
    kind: 'registry',
    file: join(dir, POPULATION_FILES.households),
    target,
    concurrency: 4,
  });
  await importFile({
    kind: 'identity',
    file: join(dir, POPULATION_FILES.identities),
    target,
    concurrency: 4,
  });
  await importFile({
    kind: 'exclusions',
    file: join(dir, POPULATION_FILES.exclusions),
    target,
    concurrency: 4,
  });
  // The two districts with the most households.
  const counts = new Map<string, number>();
  for (const g of population) counts.set(g.household.district, (counts.get(g.household.district) ?? 0) + 1);
  districts = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([d]) => d);
}, 120_000);

afterAll(async () => {
  await t.stop();
});

const flagsOf = (g: GeneratedHousehold) => new Set(g.exclusions.map((e) => e.filter));
const identityOf = (g: GeneratedHousehold, cnic: string) => g.identities.find((i) => i.cnic === cnic);
const excluded = (g: GeneratedHousehold) => FILTERS.some((f) => flagsOf(g).has(f as never));
const inArea = (g: GeneratedHousehold) => districts.includes(g.household.district);

/** The oracle: what the rules must decide for the first member of a household registering alone. */
function expectedFor(g: GeneratedHousehold, cnic: string): string {
  const identity = identityOf(g, cnic);
  if (identity?.status !== 'ALIVE') return 'IDENTITY_MISMATCH';
  if (!inArea(g)) return 'NOT_ELIGIBLE';
  if (g.household.pmtScore > THRESHOLD || excluded(g)) return 'NOT_ELIGIBLE';
  return 'ELIGIBLE';
}

async function stats(): Promise<{ byStatus: Record<string, number>; byCategory: Record<string, number> }> {
  const response = await t.staff(`/api/v1/campaigns/${campaignId}/stats`, ['emergency-cell']);
  return (await response.json()) as { byStatus: Record<string, number>; byCategory: Record<string, number> };
}

describe('a surge campaign over two districts', () => {
  it('enrolls every regular-programme household that passes the rules when activated (vertical expansion)', async () => {
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Monsoon floods test',
        nameUr: 'مون سون سیلاب',
        shockType: 'flood',
        areas: districts.map((district) => ({ district })),
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: {
          pmtThreshold: THRESHOLD,
          exclusionFilters: FILTERS,
          amounts: { topUp: 6000, newBeneficiary: 12000 },
        },
        budgetCap: 1_000_000_000,
        maxHouseholds: 1_000_000,
      }),
    });
    expect(created.status).toBe(201);
    campaignId = ((await created.json()) as { campaignId: string }).campaignId;
    const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
      method: 'POST',
    });
    expect(activated.status).toBe(200);

    const expected = population.filter(
      (g) =>
        inArea(g) &&
        g.household.programmes.includes('KAFAALAT') &&
        g.household.pmtScore <= THRESHOLD &&
        !excluded(g),
    ).length;
    expect(expected).toBeGreaterThan(5);
    const topUps = await waitFor(
      async () => {
        const n = (await stats()).byCategory.TOP_UP ?? 0;
        return n >= expected ? n : undefined;
      },
      30_000,
      `${expected} top-ups`,
    );
    expect(topUps).toBe(expected);

    // Activating again re-runs the expansion without enrolling anyone twice.
    await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], { method: 'POST' });
    await waitForQuiet(t.stack);
    expect((await stats()).byCategory.TOP_UP).toBe(expected);
  });

  it('decides a few hundred SMS registrations as the rules say, and answers each one', async () => {
    cases.length = 0;
    const outsiders = population.filter((g) => !g.household.programmes.includes('KAFAALAT'));
    // Mostly households in the affected districts, some outside them.
    const candidates = [
      ...outsiders.filter(inArea).slice(0, 160),
      ...outsiders.filter((g) => !inArea(g)).slice(0, 40),
    ];
    let n = 0;
    const phone = () => `+92300${String(7000000 + n).padStart(7, '0')}`;
    for (const g of candidates.slice(0, 200)) {
      const member = g.household.members[0];
      if (!member) continue;
      n++;
      cases.push({
        messageId: `cf-${n}`,
        from: phone(),
        text: formatCnic(member.cnic),
        expected: expectedFor(g, member.cnic),
        household: g,
      });
    }
    // The second member of a household that registered: a duplicate, pointing at the first.
    const eligibleTwice = candidates
      .slice(0, 200)
      .find(
        (g) =>
          expectedFor(g, g.household.members[0]?.cnic ?? '') === 'ELIGIBLE' &&
          g.household.members.length > 1 &&
          identityOf(g, g.household.members[1]?.cnic ?? '')?.status === 'ALIVE',
      );
    if (eligibleTwice?.household.members[1]) {
      n++;
      cases.push({
        messageId: `cf-${n}`,
        from: phone(),
        text: `REG ${eligibleTwice.household.members[1].cnic}`,
        expected: 'DUPLICATE',
      });
    }
    for (const text of ['hello there', 'REG 12345', '35202-123456-1']) {
      n++;
      cases.push({
        messageId: `cf-${n}`,
        from: phone(),
        text,
        expected: text === 'hello there' ? 'HELP' : 'INVALID_REQUEST',
      });
    }
    n++;
    cases.push({ messageId: `cf-${n}`, from: phone(), text: '6110199999991', expected: 'IDENTITY_MISMATCH' });

    // The household's second registration is sent once its first is decided: within one batch the
    // records are decided concurrently, and either member may be the one enrolled.
    const first = cases.find((c) => eligibleTwice && c.household === eligibleTwice);
    const second = cases.find((c) => c.expected === 'DUPLICATE');
    for (const c of cases) {
      if (c === second) continue;
      const sent = await t.sms({ from: c.from, text: c.text, messageId: c.messageId });
      expect(sent.status).toBe(200);
    }
    if (first && second) {
      await waitFor(async () => {
        const r = await t.staff(
          `/api/v1/registrations?messageId=${first.messageId}&from=${encodeURIComponent(first.from)}`,
          ['program-officer'],
        );
        await r.body?.cancel();
        return r.status === 200 ? true : undefined;
      });
      expect(
        (await t.sms({ from: second.from, text: second.text, messageId: second.messageId })).status,
      ).toBe(200);
    }
    const decided = await waitFor(
      async () => {
        const results = await Promise.all(
          cases.map(async (c) => {
            const r = await t.staff(
              `/api/v1/registrations?messageId=${c.messageId}&from=${encodeURIComponent(c.from)}`,
              ['program-officer'],
            );
            return r.status === 200
              ? ((await r.json()) as { decision?: { status: string }; reply?: { text: string } })
              : undefined;
          }),
        );
        return results.every((r) => r !== undefined) ? results : undefined;
      },
      60_000,
      'every registration recorded',
    );
    const mismatches = cases.flatMap((c, i) => {
      const got = decided[i]?.decision?.status ?? 'HELP';
      return got === c.expected ? [] : [`${c.messageId} "${c.text}": expected ${c.expected}, got ${got}`];
    });
    expect(mismatches).toEqual([]);
    expect(decided.every((r) => (r?.reply?.text.length ?? 0) > 0)).toBe(true);
    const statuses = new Set(cases.map((c) => c.expected));
    expect(statuses).toEqual(
      new Set(['ELIGIBLE', 'NOT_ELIGIBLE', 'IDENTITY_MISMATCH', 'DUPLICATE', 'INVALID_REQUEST', 'HELP']),
    );
  });

  it('enrolls nobody twice when a batch is delivered again', async () => {
    const before = await stats();
    const sqs = new SQSClient({
      endpoint: t.stack.sqsEndpoint,
      region: t.stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // Exactly what the webhook queued for cf-1..cf-3 (same message id, phone and text), delivered again.
    for (const c of cases.slice(0, 3)) {
      const body = {
        from: c.from,
        to: '8171',
        text: c.text,
        messageId: c.messageId,
        channel: 'sms',
        acceptedAt: new Date().toISOString(),
      };
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '',
          MessageBody: JSON.stringify(body),
        }),
      );
    }
    await waitForQuiet(t.stack);
    sqs.destroy();
    const after = await stats();
    expect(after.byCategory).toEqual(before.byCategory);
    expect(after.byStatus).toEqual(before.byStatus);
  });

  it('replays past decisions under a raised threshold and notifies only those whose outcome changed', async () => {
    const raised = 40;
    const wouldChange = cases.filter(
      (c) =>
        c.household &&
        c.expected === 'NOT_ELIGIBLE' &&
        inArea(c.household) &&
        !excluded(c.household) &&
        c.household.household.pmtScore > THRESHOLD &&
        c.household.household.pmtScore <= raised,
    ).length;
    expect(wouldChange).toBeGreaterThan(0);
    const patched = await t.staff(`/api/v1/campaigns/${campaignId}/rules`, ['emergency-cell'], {
      method: 'PATCH',
      body: JSON.stringify({ pmtThreshold: raised }),
    });
    expect(((await patched.json()) as { ruleSetVersion: string }).ruleSetVersion).toBe(`${campaignId}/v2`);

    const replay = (apply: boolean) =>
      t.staff(`/api/v1/campaigns/${campaignId}/replay`, ['emergency-cell'], {
        method: 'POST',
        body: JSON.stringify({ apply }),
      });
    const preview = (await (await replay(false)).json()) as {
      changes: Record<string, number>;
      applied: boolean;
    };
    expect(preview.changes).toEqual({ 'NOT_ELIGIBLE->ELIGIBLE': wouldChange });
    expect(preview.applied).toBe(false);

    // With apply the replay is queued: 202 with its id, then the replay worker pages through it.
    const started = await replay(true);
    expect(started.status).toBe(202);
    const { replayId, progress } = (await started.json()) as { replayId: string; progress: string };
    expect(replayId).toBe('v2');
    const applied = await waitFor(
      async () => {
        const body = (await (await t.staff(progress, ['emergency-cell'])).json()) as {
          status: string;
          changes: Record<string, number>;
          notified: number;
        };
        return body.status === 'DONE' ? body : undefined;
      },
      60_000,
      'the queued replay to finish',
    );
    expect(applied.changes).toEqual({ 'NOT_ELIGIBLE->ELIGIBLE': wouldChange });
    expect(applied.notified).toBe(wouldChange);

    const again = (await (await replay(false)).json()) as { changes: Record<string, number> };
    expect(again.changes).toEqual({});
  });
});
