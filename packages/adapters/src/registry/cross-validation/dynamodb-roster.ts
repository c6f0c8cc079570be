import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import type {
  AuthorityDirectory,
  AuthorityRecord,
  CrossValidationReport,
  RosterHousehold,
  RosterSource,
} from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../../keys.js';
import { batchGetAll } from '../../runtime/dynamodb-batch.js';
import { rectificationKeys } from './rectification-keys.js';

const RosterHouseholdSchema = z.object({
  householdId: z.string(),
  district: z.string(),
  tehsil: z.string(),
  source: z.string().default('survey'),
  members: z.array(
    z.object({
      cnicHash: z.string(),
      cnicMasked: z.string(),
      name: z.string().optional(),
      gender: z.string(),
      birthYear: z.number().optional(),
      maritalStatus: z.string().optional(),
      disabled: z.boolean().optional(),
      deceased: z.boolean().optional(),
    }),
  ),
});

const AuthorityRecordSchema = z.object({
  cnicHash: z.string(),
  status: z.enum(['ALIVE', 'DECEASED', 'BLOCKED']),
  name: z.string().optional(),
  gender: z.string().optional(),
  birthYear: z.number().optional(),
  maritalStatus: z.string().optional(),
  disabled: z.boolean().optional(),
});

/**
 * The registry's surveyed households, page by page: a Scan of the registry table filtered to active
 * household items (provisional households hold no survey to check). Only the `madad cross-validate`
 * job reads it, never a request or a queue consumer.
 */
export class DynamoDbRosterSource implements RosterSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pageSize = 500,
  ) {}

  async *pages(): AsyncGenerator<RosterHousehold[]> {
    const pages = paginateScan(
      { client: this.doc, pageSize: this.pageSize },
      {
        TableName: this.table,
        FilterExpression: '#type = :household AND #status = :active',
        ProjectionExpression: 'householdId, district, tehsil, #source, members',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status', '#source': 'source' },
        ExpressionAttributeValues: { ':household': 'HOUSEHOLD', ':active': 'active' },
      },
    );
    for await (const page of pages) {
      const households = (page.Items ?? []).flatMap((item) => {
        const parsed = RosterHouseholdSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      });
      if (households.length > 0) yield households;
    }
  }
}

/** The ID authority's records (IDENTITY items), many at a time by key. */
export class DynamoDbAuthorityDirectory implements AuthorityDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async records(cnicHashes: readonly string[]): Promise<Map<string, AuthorityRecord>> {
    const keys = [...new Set(cnicHashes)].map(registryKeys.identity);
    const items = await batchGetAll(this.doc, this.table, keys);
    const records = new Map<string, AuthorityRecord>();
    for (const item of items) {
      const parsed = AuthorityRecordSchema.safeParse(item);
      if (!parsed.success) continue;
      const { cnicHash, ...record } = parsed.data;
      records.set(cnicHash, record);
    }
    return records;
  }
}

/** The last cross-validation report, one item (the console's page reads it by key). */
export class DynamoDbCrossValidationReports {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(report: CrossValidationReport & { finishedAt: string }): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...rectificationKeys.report, type: 'CROSS_VALIDATION', report },
      }),
    );
  }

  async latest(): Promise<(CrossValidationReport & { finishedAt: string }) | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: rectificationKeys.report }),
    );
    return Item?.report as (CrossValidationReport & { finishedAt: string }) | undefined;
  }
}
