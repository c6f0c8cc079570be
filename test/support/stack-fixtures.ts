import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPutAll, DynamoDbEnrollmentStore, householdItems, identityItem } from '@madad/adapters';
import type { Campaign, HouseholdImport } from '@madad/core';

/** An active flood campaign in Dadu as the embedded-stack tests declare it; `overrides` say what differs. */
export function stackCampaign(
  campaignId: string,
  overrides: Partial<Campaign> & Pick<Campaign, 'name' | 'budgetCap' | 'maxHouseholds'>,
  amounts: Campaign['rules']['amounts'],
): Campaign {
  return {
    campaignId,
    shockType: 'flood',
    nameUr: 'دادو سیلاب',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-03-01T00:00:00.000Z',
    closesAt: '2027-06-01T00:00:00.000Z',
    rules: { pmtThreshold: 32, exclusionFilters: [], amounts, regularProgramme: 'KAFAALAT' },
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: `${campaignId}/v1`,
    createdBy: 'cell',
    createdAt: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Households into the registry table, each member known to the ID authority (alive unless `statusOf` says). */
export async function seedRegistry(
  doc: DynamoDBDocumentClient,
  registryTable: string,
  pepper: string,
  households: readonly HouseholdImport[],
  statusOf: (member: HouseholdImport['members'][number]) => 'ALIVE' | 'DECEASED' = () => 'ALIVE',
): Promise<void> {
  await batchPutAll(doc, registryTable, [
    ...households.flatMap((h) => householdItems(pepper, h)),
    ...households.flatMap((h) =>
      h.members.map((m) =>
        identityItem(pepper, {
          cnic: m.cnic,
          name: m.name,
          gender: m.gender,
          birthYear: m.birthYear,
          status: statusOf(m),
          simPhones: [],
        }),
      ),
    ),
  ]);
}

/** Each household enrolled as a vertical-expansion top-up of `amount`, within `caps`. */
export async function enrollVertically(
  doc: DynamoDBDocumentClient,
  operationsTable: string,
  campaignId: string,
  households: readonly HouseholdImport[],
  amount: number,
  caps: { maxHouseholds: number; budgetCap: number },
): Promise<void> {
  const store = new DynamoDbEnrollmentStore(doc, operationsTable);
  for (const h of households) {
    await store.enroll(
      {
        campaignId,
        householdId: h.householdId,
        messageId: `vertical:${campaignId}:${h.householdId}`,
        reference: h.householdId,
        cnicHash: 'applicant',
        category: 'TOP_UP',
        amount,
        district: h.district,
        tehsil: h.tehsil,
        ruleSetVersion: `${campaignId}/v1`,
        channel: 'vertical',
        enrolledAt: '2026-03-01T08:00:00.000Z',
      },
      { campaignId, maxHouseholds: caps.maxHouseholds, budgetCap: caps.budgetCap },
    );
  }
}

/**
 * Declares and activates, through the API of a running test stack, an open flood campaign over Lahore
 * whose regular programme matches nobody (no vertical expansion: every decision is the reconciler's),
 * and returns its id. Throws when either call is refused.
 */
export async function declareLahoreCampaign(
  stack: { staff(path: string, roles: string[], init?: RequestInit): Promise<Response> },
  name: string,
): Promise<string> {
  const created = await stack.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name,
      nameUr: 'لاہور سیلاب',
      shockType: 'flood',
      areas: [{ district: 'Lahore' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: {
        pmtThreshold: 100,
        exclusionFilters: [],
        amounts: { topUp: 6000, newBeneficiary: 12000 },
        regularProgramme: 'NO-SUCH-PROGRAMME',
      },
      maxHouseholds: 1000,
      budgetCap: 12_000_000,
    }),
  });
  if (created.status !== 201) throw new Error(`declare answered ${created.status}: ${await created.text()}`);
  const { campaignId } = (await created.json()) as { campaignId: string };
  const activated = await stack.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], {
    method: 'POST',
  });
  if (activated.status !== 200) throw new Error(`activate answered ${activated.status}`);
  return campaignId;
}
