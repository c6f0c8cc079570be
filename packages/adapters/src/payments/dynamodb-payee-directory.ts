import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PayeeCandidate, PayeeDirectory } from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';

const MemberSchema = z.object({
  cnic: z.string(),
  cnicHash: z.string(),
  cnicMasked: z.string().optional(),
  name: z.string().optional(),
  relation: z.string().optional(),
  gender: z.string().optional(),
  deceased: z.boolean().optional(),
});

const HouseholdSchema = z.object({
  householdId: z.string(),
  members: z.array(z.unknown()).optional(),
});

const IdentitySchema = z.object({
  cnicHash: z.string(),
  status: z.enum(['ALIVE', 'DECEASED', 'BLOCKED']),
});

/**
 * Household members with their raw CNIC and name, read from the household items of the registry
 * (the only place the raw CNIC is kept), and the ID authority's status of each from the IDENTITY
 * items of their CNIC partitions: two BatchGet rounds for any number of households.
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
    const households = items.map((item) => {
      const household = HouseholdSchema.parse(item);
      // A member without a raw CNIC (or not shaped as one) can never be paid: left out.
      const members = (household.members ?? []).flatMap((m) => {
        const parsed = MemberSchema.safeParse(m);
        return parsed.success ? [parsed.data] : [];
      });
      return { householdId: household.householdId, members };
    });
    const hashes = [...new Set(households.flatMap((h) => h.members.map((m) => m.cnicHash)))];
    const identities = await batchGetAll(this.doc, this.registryTable, hashes.map(registryKeys.identity));
    const status = new Map(
      identities.flatMap((item) => {
        const parsed = IdentitySchema.safeParse(item);
        return parsed.success ? [[parsed.data.cnicHash, parsed.data.status] as const] : [];
      }),
    );
    return new Map(
      households.map(({ householdId, members }) => [
        householdId,
        members.map((m) => {
          const identityStatus = status.get(m.cnicHash);
          return {
            cnicHash: m.cnicHash,
            cnic: m.cnic,
            cnicMasked: m.cnicMasked ?? '',
            name: m.name ?? '',
            relation: m.relation ?? '',
            gender: m.gender === 'female' ? ('female' as const) : ('male' as const),
            ...(m.deceased ? { deceased: true } : {}),
            ...(identityStatus ? { identityStatus } : {}),
          };
        }),
      ]),
    );
  }
}
