import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type ChangeRequest,
  type EnrollmentWithPayment,
  type HouseholdVerification,
  PayableEnrollmentSchema,
  type PersonRecords,
} from '@madad/core';
import * as z from 'zod';
import { operationsKeys, registryKeys } from '../keys.js';
import { toRecord } from '../registration/dynamodb-decision-records.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';
import { recordFromItem } from '../runtime/from-item.js';
import { toRequest } from './dynamodb-change-request-store.js';
import { parseVerification } from './dynamodb-household-verifications.js';
import { filtersOf } from './household-record.js';

type Item = Record<string, unknown>;

const IdentitySchema = z.object({
  status: z.enum(['ALIVE', 'DECEASED', 'BLOCKED']),
  simPhones: z.array(z.string()).optional(),
});

// gsi2pk/gsi2sk: the dropped byTehsil index's keys, still on households imported before it went.
const strip = ({ pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest }: Item) => rest;

/** One partition's items, every page (a person's partition or a household's holds a handful). */
async function queryPartition(doc: DynamoDBDocumentClient, table: string, pk: string, prefix?: string) {
  const items: Item[] = [];
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: table,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':sk': prefix } : {}) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

/**
 * The household profile's reads (`readHouseholdProfile`): the household item, each member's CNIC
 * partition (identity, exclusion flags, decisions of record: one Query each), the household's change
 * requests (its own partition) and its enrollments (one BatchGet over the campaigns). No Scan.
 */
export class DynamoDbHouseholdProfileReads {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly registryTable: string,
    private readonly operationsTable: string,
  ) {}

  async household(
    householdId: string,
  ): Promise<{ item: Item; verification?: HouseholdVerification } | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.registryTable, Key: registryKeys.household(householdId) }),
    );
    if (!result.Item) return undefined;
    const { verification, appliedChanges: _applied, ...item } = strip(result.Item);
    return { item, ...(verification ? { verification: parseVerification(verification) } : {}) };
  }

  async people(cnicHashes: readonly string[]): Promise<Map<string, PersonRecords>> {
    const entries = await Promise.all(
      [...new Set(cnicHashes)].map(async (hash) => {
        const items = await queryPartition(this.doc, this.registryTable, registryKeys.person(hash).pk);
        const identityItem = items.find((i) => i.sk === registryKeys.identity(hash).sk);
        const identity = identityItem ? IdentitySchema.parse(identityItem) : undefined;
        const record: PersonRecords = {
          ...(identity ? { identity: { status: identity.status, simPhones: identity.simPhones ?? [] } } : {}),
          exclusions: filtersOf(items.find((i) => i.sk === registryKeys.exclusions(hash).sk)),
          decisions: items
            .filter((i) => String(i.sk).startsWith(registryKeys.decisionOfRecordPrefix))
            .map(toRecord),
        };
        return [hash, record] as const;
      }),
    );
    return new Map(entries);
  }

  async changeRequests(householdId: string): Promise<ChangeRequest[]> {
    const items = await queryPartition(
      this.doc,
      this.registryTable,
      registryKeys.household(householdId).pk,
      registryKeys.changeRequest(householdId, '').sk,
    );
    return items.map(toRequest).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  }

  async enrollments(householdId: string, campaignIds: readonly string[]): Promise<EnrollmentWithPayment[]> {
    const items = await batchGetAll(
      this.doc,
      this.operationsTable,
      campaignIds.map((c) => operationsKeys.enrollment(c, householdId)),
    );
    return items
      .map((item): EnrollmentWithPayment => recordFromItem(PayableEnrollmentSchema, item, 'enrollment'))
      .sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt));
  }
}
