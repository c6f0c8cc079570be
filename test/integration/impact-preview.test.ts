import {
  createDynamoDbPaymentPorts,
  DynamoDbEnrollmentStore,
  getRuntime,
  loadSecrets,
} from '@madad/adapters';
import type { Enrollment, HouseholdImport, ImpactPreview } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  queueDepth,
  stackSqsClient,
  startTestStack,
  type TestStack,
  waitFor,
} from '../support/local-stack.js';
import { seedRegistry } from '../support/stack-fixtures.js';

const TEHSILS = ['Johi', 'Mehar', 'Khairpur Nathan Shah'];

/** Dadu over three tehsils and Sanghar: scores spread over 0..49, every other one in KAFAALAT. */
function household(n: number): HouseholdImport {
  const digits = String(n).padStart(7, '0');
  const sanghar = n >= 45;
  return {
    householdId: `HH-PRV-${n}`,
    province: 'Sindh',
    district: sanghar ? 'Sanghar' : 'Dadu',
    tehsil: sanghar ? 'Sinjhoro' : (TEHSILS[n % 3] ?? 'Johi'),
    pmtScore: (n * 7) % 50,
    surveyedAt: '2024-05-01',
    programmes: n % 2 === 0 ? ['KAFAALAT'] : [],
    members: [
      {
        cnic: `42201${digits}2`,
        name: `Sakina ${n}`,
        gender: 'female',
        birthYear: 1985,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
    phones: [],
    source: 'survey',
  };
}

const CAMPAIGN = {
  name: 'Dadu and Sanghar floods (preview)',
  nameUr: 'سندھ سیلاب',
  shockType: 'flood',
  areas: [{ district: 'Dadu', tehsils: ['Johi', 'Mehar'] }, { district: 'Sanghar' }],
  opensAt: '2026-03-01T00:00:00.000Z',
  closesAt: '2027-06-01T00:00:00.000Z',
  rules: {
    pmtThreshold: 32,
    exclusionFilters: [],
    amounts: { topUp: 10_000, newBeneficiary: 25_000 },
    regularProgramme: 'KAFAALAT',
  },
  // Fewer households than the top-ups: some are waitlisted.
  budgetCap: 100_000_000,
  maxHouseholds: 9,
};

let t: TestStack;

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  await seedRegistry(
    doc,
    config.tables.registry,
    cnicPepper,
    Array.from({ length: 55 }, (_, n) => household(n)),
  );
}, 120_000);

afterAll(async () => {
  await t.stop();
});

/** The campaign's enrollments as the activation left them: enrolled (payable) and waitlisted. */
async function enrollmentsOf(
  campaignId: string,
): Promise<{ enrolled: Enrollment[]; waitlisted: Enrollment[] }> {
  const { config, doc } = getRuntime();
  const payments = createDynamoDbPaymentPorts(doc, config.tables);
  const enrolled = (
    await Promise.all(
      ['Dadu', 'Sanghar'].map((district) =>
        payments.enrollments.unbatched({ campaignId, district, limit: 1000, now: new Date().toISOString() }),
      ),
    )
  ).flat();
  const waitlisted = await new DynamoDbEnrollmentStore(doc, config.tables.operations).waitlist(
    campaignId,
    1000,
  );
  return { enrolled, waitlisted };
}

describe('impact preview on the embedded stack', () => {
  it('previews an activation with the figures the activation then produces', async () => {
    const cell = ['emergency-cell'] as const;
    const created = await t.staff('/api/v1/campaigns', [...cell], {
      method: 'POST',
      body: JSON.stringify(CAMPAIGN),
    });
    expect(created.status).toBe(201);
    const { campaignId } = (await created.json()) as { campaignId: string };

    const response = await t.staff(`/api/v1/campaigns/${campaignId}/preview`, [...cell]);
    expect(response.status).toBe(200);
    const preview = (await response.json()) as ImpactPreview;
    expect(
      (await t.staff(`/api/v1/campaigns/${campaignId}/activate`, [...cell], { method: 'POST' })).status,
    ).toBe(200);
    const sqs = stackSqsClient(t.stack);
    const activation = getRuntime().config.queues.activation;
    await waitFor(
      async () => ((await queueDepth(sqs, activation)) === 0 ? true : undefined),
      60_000,
      'activation',
    );
    const { enrolled, waitlisted } = await enrollmentsOf(campaignId);

    expect(preview.truncated).toBe(false);
    expect(preview.activation).toEqual({
      enrolled: enrolled.length,
      waitlisted: waitlisted.length,
      alreadyEnrolled: 0,
    });
    expect(preview.activation.enrolled).toBe(9);
    expect(preview.activation.waitlisted).toBeGreaterThan(0);
    expect(preview.topUps.amount).toBe([...enrolled, ...waitlisted].reduce((n, e) => n + e.amount, 0));
    const outcome = new Map<string, number>();
    for (const e of [...enrolled, ...waitlisted])
      outcome.set(`${e.district}/${e.tehsil}`, (outcome.get(`${e.district}/${e.tehsil}`) ?? 0) + 1);
    expect(
      Object.fromEntries(
        preview.areas.filter((a) => a.topUps > 0).map((a) => [`${a.district}/${a.tehsil}`, a.topUps]),
      ),
    ).toEqual(Object.fromEntries(outcome));
    expect(preview.areas.map((a) => a.tehsil)).not.toContain('Khairpur Nathan Shah');
    expect(preview.newlyEligible.households).toBeGreaterThan(0);
  }, 120_000);

  it('previews a rules change under the proposed threshold, changing nothing', async () => {
    const cell = ['emergency-cell'] as const;
    const created = await t.staff('/api/v1/campaigns', [...cell], {
      method: 'POST',
      body: JSON.stringify({ ...CAMPAIGN, name: 'Rules preview', maxHouseholds: 1000 }),
    });
    const { campaignId } = (await created.json()) as { campaignId: string };

    const now = (await (
      await t.staff(`/api/v1/campaigns/${campaignId}/preview`, [...cell])
    ).json()) as ImpactPreview;
    const raised = await t.staff(`/api/v1/campaigns/${campaignId}/rules/preview`, [...cell], {
      method: 'POST',
      body: JSON.stringify({ pmtThreshold: 45 }),
    });
    const refused = await t.staff(`/api/v1/campaigns/${campaignId}/rules/preview`, ['program-officer'], {
      method: 'POST',
      body: JSON.stringify({ pmtThreshold: 45 }),
    });

    expect(raised.status).toBe(200);
    const proposed = (await raised.json()) as ImpactPreview;
    expect(proposed.rules.pmtThreshold).toBe(45);
    expect(proposed.topUps.households).toBeGreaterThan(now.topUps.households);
    expect(refused.status).toBe(403);
    const campaign = (await (await t.staff(`/api/v1/campaigns/${campaignId}`, [...cell])).json()) as {
      ruleSetVersion: string;
    };
    expect(campaign.ruleSetVersion).toBe(`${campaignId}/v1`);
  }, 60_000);
});
