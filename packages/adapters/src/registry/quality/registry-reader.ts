import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { IdentityStatuses, QualityHousehold } from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../../keys.js';
import { batchGetAll } from '../../runtime/dynamodb-batch.js';

const MemberItemSchema = z.object({
  cnicHash: z.string(),
  name: z.string().optional(),
  gender: z.string().optional(),
  birthYear: z.number().optional(),
  relation: z.string().optional(),
  maritalStatus: z.string().optional(),
  disabled: z.boolean().optional(),
});

/** The fields of a household item the quality checks read (validated, never cast). */
const HouseholdItemSchema = z.object({
  householdId: z.string(),
  province: z.string().optional(),
  district: z.string().optional(),
  tehsil: z.string().optional(),
  enumerator: z.string().optional(),
  source: z.string().optional(),
  status: z.string().optional(),
  surveyedAt: z.string().optional(),
  pmtScore: z.number().optional(),
  phones: z.array(z.string()).catch([]),
  members: z.array(MemberItemSchema).catch([]),
});

const PROJECTION = [
  'householdId',
  'province',
  'district',
  'tehsil',
  'enumerator',
  '#source',
  '#status',
  'surveyedAt',
  'pmtScore',
  'phones',
  'members',
].join(', ');

/** A household item as the quality checks see it, or undefined when it is not one. */
export function qualityHouseholdOf(item: Record<string, unknown>): QualityHousehold | undefined {
  const parsed = HouseholdItemSchema.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Every household of the registry, a page at a time: a Scan of the registry table filtered to
 * household items. Only operator jobs call it (`npx madad quality`, `sample draw`, `invite`), never
 * a request or a queue consumer.
 */
export async function* scanRegistryHouseholds(
  doc: DynamoDBDocumentClient,
  table: string,
  pageSize = 1000,
): AsyncGenerator<QualityHousehold[]> {
  const pages = paginateScan(
    { client: doc, pageSize },
    {
      TableName: table,
      FilterExpression: '#type = :household',
      ProjectionExpression: PROJECTION,
      ExpressionAttributeNames: { '#type': 'type', '#source': 'source', '#status': 'status' },
      ExpressionAttributeValues: { ':household': 'HOUSEHOLD' },
    },
  );
  for await (const page of pages) {
    const households = (page.Items ?? []).flatMap((item) => qualityHouseholdOf(item) ?? []);
    if (households.length > 0) yield households;
  }
}

/** Households by id (BatchGetItem), for the back-check's comparison. */
export async function readRegistryHouseholds(
  doc: DynamoDBDocumentClient,
  table: string,
  householdIds: readonly string[],
): Promise<Map<string, QualityHousehold>> {
  const items = await batchGetAll(doc, table, [...new Set(householdIds)].map(registryKeys.household));
  return new Map(
    items.flatMap((item) => {
      const household = qualityHouseholdOf(item);
      return household ? [[household.householdId, household] as const] : [];
    }),
  );
}

const IdentityItemSchema = z.object({
  cnicHash: z.string(),
  status: z.enum(['ALIVE', 'DECEASED', 'BLOCKED']),
});

/** The ID authority's status of CNIC hashes: their IDENTITY items, read by key. */
export class DynamoDbIdentityStatuses implements IdentityStatuses {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async statusOf(cnicHashes: readonly string[]) {
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...new Set(cnicHashes)].map(registryKeys.identity),
    );
    return new Map(
      items.flatMap((item) => {
        const identity = IdentityItemSchema.safeParse(item);
        return identity.success ? [[identity.data.cnicHash, identity.data.status] as const] : [];
      }),
    );
  }
}
