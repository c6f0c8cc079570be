import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { registryKeys } from '@madad/core';
import type { HouseholdRecord, IdentityRecord, PersonMatch, RegistryLookup, RegistryMatch } from '@madad/core';
import { batchGetAll } from './dynamodb-batch.js';

/**
 * Resolves CNIC hashes in two BatchGetItem rounds: the person and identity items (same partition),
 * then the households they point at.
 */
export class DynamoDbRegistryLookup implements RegistryLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async resolve(cnicHashes: readonly string[]): Promise<Map<string, RegistryMatch>> {
    const keys = cnicHashes.flatMap((h) => [registryKeys.person(h), registryKeys.identity(h)]);
    const items = await batchGetAll(this.doc, this.table, keys);
    const people = new Map<string, PersonMatch>();
    const identities = new Map<string, IdentityRecord>();
    for (const item of items) {
      const cnicHash = String(item.pk).slice('CNIC#'.length);
      if (item.sk === 'PERSON') people.set(cnicHash, item as unknown as PersonMatch);
      if (item.sk === 'IDENTITY') identities.set(cnicHash, item as unknown as IdentityRecord);
    }
    const householdIds = [...new Set([...people.values()].map((p) => p.householdId))];
    const households = new Map<string, HouseholdRecord>();
    if (householdIds.length > 0) {
      const found = await batchGetAll(this.doc, this.table, householdIds.map(registryKeys.household));
      for (const item of found) households.set(String(item.householdId), item as unknown as HouseholdRecord);
    }
    const result = new Map<string, RegistryMatch>();
    for (const hash of cnicHashes) {
      const person = people.get(hash);
      const identity = identities.get(hash);
      const household = person ? households.get(person.householdId) : undefined;
      result.set(hash, {
        ...(person ? { person } : {}),
        ...(identity ? { identity } : {}),
        ...(household ? { household } : {}),
      });
    }
    return result;
  }
}
