import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { registryKeys } from '../keys.js';

type Item = Record<string, unknown>;

/** Households for staff views (change requests: `registry/dynamodb-change-request-store.ts`). */
export class DynamoDbHouseholdStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(householdId: string): Promise<Item | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.household(householdId) }),
    );
    return result.Item;
  }

  async householdIdOf(cnicHash: string): Promise<string | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: registryKeys.person(cnicHash) }),
    );
    return result.Item ? String(result.Item.householdId) : undefined;
  }

  async listProvisional(limit: number): Promise<Item[]> {
    return this.queryIndex(registryKeys.provisionalIndex, limit);
  }

  private async queryIndex(partition: string, limit: number): Promise<Item[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDistrict',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
      }),
    );
    // gsi2pk/gsi2sk: the dropped byTehsil index's keys, still on households imported before it went.
    return (result.Items ?? []).map(
      ({ pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest }) => rest,
    );
  }
}
