import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AreaIndex, type HouseholdRecord, ValidationError } from '@madad/core';
import { registryKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';
import { toHousehold } from './household-record.js';

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ValidationError('Invalid cursor');
  }
}

/**
 * "Households in district X with PMT at or below T" as a range query on the byDistrict index (the
 * sort key starts with the zero-padded score), a page at a time, with members' exclusion flags.
 */
export class DynamoDbAreaIndex implements AreaIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async page(query: {
    district: string;
    minScore?: number;
    maxScore: number;
    programme?: string;
    cursor?: string;
    limit: number;
  }): Promise<{ households: HouseholdRecord[]; cursor?: string }> {
    const startKey = decodeCursor(query.cursor);
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDistrict',
        // A score band (an activation work item) is a BETWEEN on the same sort key.
        KeyConditionExpression:
          query.minScore === undefined
            ? 'gsi1pk = :d AND gsi1sk <= :max'
            : 'gsi1pk = :d AND gsi1sk BETWEEN :min AND :max',
        ExpressionAttributeValues: {
          ':d': registryKeys.districtIndex(query.district),
          ...(query.minScore === undefined ? {} : { ':min': registryKeys.scoreSortKey(query.minScore, '') }),
          ':max': `${registryKeys.scoreSortKey(query.maxScore, '')}\uffff`,
          ...(query.programme ? { ':p': query.programme } : {}),
        },
        ...(query.programme ? { FilterExpression: 'contains(programmes, :p)' } : {}),
        Limit: query.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = result.Items ?? [];
    const memberHashes = [
      ...new Set(items.flatMap((h) => (h.members as { cnicHash: string }[]).map((m) => m.cnicHash))),
    ];
    const flags = new Map<string, string[]>();
    for (const item of await batchGetAll(this.doc, this.table, memberHashes.map(registryKeys.exclusions))) {
      const filters = item.filters instanceof Set ? [...item.filters].map(String) : [];
      flags.set(String(item.pk).slice('CNIC#'.length), filters.sort());
    }
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return {
      households: items.map((item) => toHousehold(item, (hash) => flags.get(hash) ?? [])),
      ...(cursor ? { cursor } : {}),
    };
  }
}
