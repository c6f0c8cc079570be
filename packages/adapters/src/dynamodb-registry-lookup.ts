import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  formatCnic,
  type IdentityRecord,
  maskCnic,
  type PersonMatch,
  type ProvisionalHousehold,
  type RegistryLookup,
  type RegistryMatch,
  registryKeys,
} from '@madad/core';
import { batchGetAll } from './dynamodb-batch.js';
import { toHousehold } from './household-record.js';

type Item = Record<string, unknown>;

function filtersOf(item: Item | undefined): string[] {
  const filters = item?.filters;
  if (filters instanceof Set) return [...filters].map(String).sort();
  return Array.isArray(filters) ? filters.map(String).sort() : [];
}

/**
 * Resolves CNIC hashes in two BatchGetItem rounds, whatever the batch size: first the person,
 * identity and exclusion items of every applicant (one partition each), then their households with
 * the exclusion items of the other members, so a flag on any member is seen.
 */
export class DynamoDbRegistryLookup implements RegistryLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async resolve(cnicHashes: readonly string[]): Promise<Map<string, RegistryMatch>> {
    const first = await batchGetAll(
      this.doc,
      this.table,
      cnicHashes.flatMap((h) => [
        registryKeys.person(h),
        registryKeys.identity(h),
        registryKeys.exclusions(h),
      ]),
    );
    const byKey = new Map(first.map((item) => [`${item.pk}|${item.sk}`, item]));
    const get = (key: { pk: string; sk: string }) => byKey.get(`${key.pk}|${key.sk}`);

    const people = new Map<string, PersonMatch>();
    for (const hash of cnicHashes) {
      const item = get(registryKeys.person(hash));
      if (item)
        people.set(hash, {
          cnicHash: hash,
          householdId: String(item.householdId),
          relation: String(item.relation),
        });
    }
    const householdIds = [...new Set([...people.values()].map((p) => p.householdId))];
    const households = new Map<string, Item>();
    if (householdIds.length > 0) {
      for (const item of await batchGetAll(this.doc, this.table, householdIds.map(registryKeys.household))) {
        households.set(String(item.householdId), item);
      }
      const otherMembers = [...households.values()]
        .flatMap((h) => (h.members as { cnicHash: string }[]).map((m) => m.cnicHash))
        .filter(
          (hash) =>
            !byKey.has(`${registryKeys.exclusions(hash).pk}|EXCLUSIONS`) && !cnicHashes.includes(hash),
        );
      const memberFlags = await batchGetAll(
        this.doc,
        this.table,
        [...new Set(otherMembers)].map(registryKeys.exclusions),
      );
      for (const item of memberFlags) byKey.set(`${item.pk}|${item.sk}`, item);
    }

    const result = new Map<string, RegistryMatch>();
    for (const hash of cnicHashes) {
      const person = people.get(hash);
      const identityItem = get(registryKeys.identity(hash));
      const householdItem = person ? households.get(person.householdId) : undefined;
      result.set(hash, {
        exclusions: filtersOf(get(registryKeys.exclusions(hash))),
        ...(person ? { person } : {}),
        ...(identityItem ? { identity: toIdentity(hash, identityItem) } : {}),
        ...(householdItem
          ? { household: toHousehold(householdItem, (h) => filtersOf(get(registryKeys.exclusions(h)))) }
          : {}),
      });
    }
    return result;
  }

  async addProvisional(input: ProvisionalHousehold): Promise<void> {
    const householdId = provisionalHouseholdId(input.cnicHash);
    const put = async (item: Record<string, unknown>) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Already there: a repeat, or the person was imported meanwhile; both are fine as they are.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    await put({
      ...registryKeys.household(householdId),
      type: 'HOUSEHOLD',
      householdId,
      province: '',
      district: input.district ?? '',
      tehsil: input.tehsil ?? '',
      pmtScore: 100,
      programmes: [],
      source: 'self-registered',
      status: 'provisional',
      phones: [input.phone],
      registeredAt: input.registeredAt,
      ...(input.answers ? { answers: input.answers } : {}),
      members: [
        {
          cnic: formatCnic(input.cnic),
          cnicMasked: maskCnic(input.cnic),
          cnicHash: input.cnicHash,
          relation: 'head',
          gender: Number(input.cnic.at(-1)) % 2 === 0 ? 'female' : 'male',
        },
      ],
      // The staff review queue lists provisional households, oldest first.
      gsi1pk: registryKeys.provisionalIndex,
      gsi1sk: `${input.registeredAt}#${householdId}`,
    });
    await put({
      ...registryKeys.person(input.cnicHash),
      type: 'PERSON',
      cnicHash: input.cnicHash,
      householdId,
      relation: 'head',
    });
  }
}

/** Provisional households are named after the CNIC hash, so a repeat finds the same one. */
export function provisionalHouseholdId(cnicHash: string): string {
  return `P-${cnicHash.slice(0, 16).toUpperCase()}`;
}

function toIdentity(cnicHash: string, item: Item): IdentityRecord {
  return {
    cnicHash,
    status: item.status as IdentityRecord['status'],
    ...(item.gender ? { gender: item.gender as 'male' | 'female' } : {}),
    ...(typeof item.birthYear === 'number' ? { birthYear: item.birthYear } : {}),
    simPhones: Array.isArray(item.simPhones) ? item.simPhones.map(String) : [],
  };
}
