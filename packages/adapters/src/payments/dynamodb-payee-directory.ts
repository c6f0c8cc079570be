import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type PayeeCandidate, type PayeeDirectory, registryKeys } from '@madad/core';
import { batchGetAll } from '../dynamodb-batch.js';

/**
 * Household members with their raw CNIC and name, read from the household items of the registry
 * (the only place the raw CNIC is kept) in BatchGet rounds.
 */
export class DynamoDbPayeeDirectory implements PayeeDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly registryTable: string,
  ) {}

  async members(householdIds: readonly string[]): Promise<Map<string, PayeeCandidate[]>> {
    const items = await batchGetAll(
      this.doc,
      this.registryTable,
      [...new Set(householdIds)].map((id) => registryKeys.household(id)),
    );
    return new Map(
      items.map((item) => [
        String(item.householdId),
        (Array.isArray(item.members) ? (item.members as Record<string, unknown>[]) : []).flatMap((m) =>
          typeof m.cnic === 'string' && typeof m.cnicHash === 'string'
            ? [
                {
                  cnicHash: m.cnicHash,
                  cnic: m.cnic,
                  cnicMasked: String(m.cnicMasked ?? ''),
                  name: String(m.name ?? ''),
                  relation: String(m.relation ?? ''),
                  gender: m.gender === 'female' ? ('female' as const) : ('male' as const),
                },
              ]
            : [],
        ),
      ]),
    );
  }
}
