import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbEnrollmentStore, getRuntime, importFile, loadSecrets } from '@madad/adapters';
import { formatCnic, normalizePhone } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedHousehold, generatePopulation } from '../../packages/cli/src/generate/population.js';
import { POPULATION_FILES, writePopulation } from '../../packages/cli/src/generate/write-population.js';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

const HOUSEHOLDS = 800;
const SEED = 'enrollment-caps';
const NEW_BENEFICIARY = 12_000;

let t: TestStack;
let population: GeneratedHousehold[];
let districts: string[];
/** Declared before any registration: the reconciler caches the campaigns in force for a few seconds. */
let capped: string;
let budgeted: string;
const CAP = 12;

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  const dir = await mkdtemp(join(tmpdir(), 'madad-caps-'));
  await writePopulation({ households: HOUSEHOLDS, seed: SEED, outDir: dir });
  population = [...generatePopulation({ households: HOUSEHOLDS, seed: SEED })];
  const { config, doc } = getRuntime();
  const target = { doc, table: config.tables.registry, pepper: (await loadSecrets()).cnicPepper };
  for (const kind of ['registry', 'identity'] as const) {
    const file = kind === 'registry' ? POPULATION_FILES.households : POPULATION_FILES.identities;
    await importFile({ kind, file: join(dir, file), target, concurrency: 4 });
  }
  const counts = new Map<string, number>();
  for (const g of population) counts.set(g.household.district, (counts.get(g.household.district) ?? 0) + 1);
  districts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
  capped = await declare(districts.slice(0, 3), { maxHouseholds: CAP, budgetCap: 1_000_000_000 });
  // PKR 53,000 pays four new beneficiaries of PKR 12,000.
  budgeted = await declare(districts.slice(3, 4), {
    maxHouseholds: 1000,
    budgetCap: 4 * NEW_BENEFICIARY + 5_000,
  });
}, 120_000);

afterAll(async () => {
  await t.stop();
});

/** Households of `district` whose first member the ID authority knows as alive: each decides ELIGIBLE. */
function registrants(area: readonly string[], count: number) {
  const chosen = population
    .filter((g) => area.includes(g.household.district))
    .flatMap((g) => {
      const member = g.household.members[0];
      const alive = g.identities.find((i) => i.cnic === member?.cnic)?.status === 'ALIVE';
      // Registered from the household's own phone: only a tied phone is told the outcome.
      const phone = g.household.phones[0];
      return member && alive && phone
        ? [{ householdId: g.household.householdId, cnic: member.cnic, phone }]
        : [];
    })
    .slice(0, count);
  expect(chosen).toHaveLength(count);
  return chosen;
}

/** Declares and activates a campaign over `area` that everyone passes, with no vertical expansion. */
async function declare(area: readonly string[], limits: { maxHouseholds: number; budgetCap: number }) {
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: `Capped floods ${area.join(' ')}`,
      nameUr: 'سیلاب',
      shockType: 'flood',
      areas: area.map((district) => ({ district })),
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: {
        pmtThreshold: 100,
        exclusionFilters: [],
        amounts: { topUp: 6000, newBeneficiary: NEW_BENEFICIARY },
        regularProgramme: 'NO-SUCH-PROGRAMME',
      },
      ...limits,
    }),
  });
  expect(created.status).toBe(201);
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  expect(activated.status).toBe(200);
  return campaignId;
}

interface Recorded {
  readonly decision?: { status: string; amount?: number };
  readonly reply?: { text: string };
}

function normalizedPhone(input: string): string {
  const phone = normalizePhone(input);
  return phone.ok ? phone.phone : input;
}

/** Sends one SMS per registrant, all at once, and waits until every one is decided and answered. */
async function registerAll(
  people: readonly { cnic: string; phone: string }[],
  prefix: string,
): Promise<Recorded[]> {
  const messages = people.map((p, i) => ({
    messageId: `${prefix}-${i}`,
    from: normalizedPhone(p.phone),
    text: formatCnic(p.cnic),
  }));
  const sent = await Promise.all(messages.map((m) => t.sms(m)));
  expect(sent.every((s) => s.status === 200)).toBe(true);
  return waitFor(
    async () => {
      const results = await Promise.all(
        messages.map(async (m) => {
          const r = await t.staff(
            `/api/v1/registrations?messageId=${m.messageId}&from=${encodeURIComponent(m.from)}`,
            ['program-officer'],
          );
          return r.status === 200 ? ((await r.json()) as Recorded) : undefined;
        }),
      );
      return results.every((r) => r?.decision) ? (results as Recorded[]) : undefined;
    },
    90_000,
    `${messages.length} registrations decided`,
  );
}

async function stats(campaignId: string) {
  const response = await t.staff(`/api/v1/campaigns/${campaignId}/stats`, ['emergency-cell']);
  return (await response.json()) as {
    byStatus: Record<string, number>;
    households: { enrolled: number; waitlisted: number };
  };
}

describe('caps at enrollment on the embedded stack', () => {
  it('enrolls exactly the household maximum of many concurrent registrations; the rest are waitlisted and told so', async () => {
    // Arrange
    const cap = CAP;
    const campaignId = capped;
    const people = registrants(districts.slice(0, 3), 60);

    // Act
    const decided = await registerAll(people, 'cap');

    // Assert
    const eligible = decided.filter((r) => r.decision?.status === 'ELIGIBLE');
    const waitlisted = decided.filter((r) => r.decision?.status === 'WAITLISTED');
    expect(eligible).toHaveLength(cap);
    expect(waitlisted).toHaveLength(60 - cap);
    for (const r of waitlisted) {
      // A bare CNIC is answered in Roman Urdu.
      expect(r.reply?.text).toContain('Aap intezar list mein hain.');
      expect(r.reply?.text).not.toContain('Rs ');
    }
    const counted = await waitFor(async () => {
      const s = await stats(campaignId);
      return s.byStatus.WAITLISTED === 60 - cap ? s : undefined;
    });
    expect(counted.households).toMatchObject({ enrolled: cap, waitlisted: 60 - cap });
  }, 150_000);

  it('enrolls only the households its budget pays for, and a raised budget promotes the oldest waiting', async () => {
    // Arrange
    const campaignId = budgeted;
    const people = registrants(districts.slice(3, 4), 15);

    // Act
    const decided = await registerAll(people, 'budget');
    const raised = await t.staff(`/api/v1/campaigns/${campaignId}/limits`, ['emergency-cell'], {
      method: 'PATCH',
      body: JSON.stringify({ budgetCap: 6 * NEW_BENEFICIARY + 5_000 }),
    });

    // Assert
    expect(decided.filter((r) => r.decision?.status === 'ELIGIBLE')).toHaveLength(4);
    expect(decided.filter((r) => r.decision?.status === 'WAITLISTED')).toHaveLength(11);
    expect(raised.status).toBe(200);
    expect(await raised.json()).toMatchObject({ promoted: 2, committed: { households: 6 } });
    const refused = await t.staff(`/api/v1/campaigns/${campaignId}/limits`, ['emergency-cell'], {
      method: 'PATCH',
      body: JSON.stringify({ budgetCap: 2 * NEW_BENEFICIARY, tehsil: 'x' }),
    });
    expect(refused.status).toBe(400);
    const lowered = await t.staff(`/api/v1/campaigns/${campaignId}/limits`, ['emergency-cell'], {
      method: 'PATCH',
      body: JSON.stringify({ budgetCap: 2 * NEW_BENEFICIARY }),
    });
    expect(lowered.status).toBe(409);
  }, 150_000);

  it('reaches a maximum split over four cap shards exactly, with forty enrollments at once', async () => {
    // Arrange: ten households over four shards (slices 3, 3, 2, 2); households do not hash evenly.
    const { config, doc } = getRuntime();
    const store = new DynamoDbEnrollmentStore(doc, config.tables.operations);
    const limits = { campaignId: 'C-SHARDED', maxHouseholds: 10, budgetCap: 1_000_000_000, capShards: 4 };

    // Act
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.enroll(
          {
            campaignId: limits.campaignId,
            householdId: `HH-SHARDED-${i}`,
            messageId: `sharded-${i}`,
            reference: `R${String(i).padStart(7, '0')}`,
            cnicHash: `h${i}`,
            category: 'NEW_BENEFICIARY',
            amount: NEW_BENEFICIARY,
            district: 'Dadu',
            tehsil: 'Dadu',
            ruleSetVersion: 'C-SHARDED/v1',
            channel: 'sms',
            enrolledAt: new Date(Date.UTC(2026, 7, 20, 10, i)).toISOString(),
          },
          limits,
        ),
      ),
    );

    // Assert
    expect(results.filter((r) => r.created && !r.waitlisted)).toHaveLength(10);
    expect(results.filter((r) => r.created && r.waitlisted)).toHaveLength(30);
    const waiting = await store.waitlist(limits.campaignId, 100);
    expect(waiting).toHaveLength(30);
    expect(waiting.map((e) => e.enrolledAt)).toEqual([...waiting.map((e) => e.enrolledAt)].sort());
  }, 60_000);
});
