import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Appeal, type AppealStatus, type AppealStore, ConflictError, operationsKeys } from '@madad/core';

function strip(item: Record<string, unknown>): Appeal {
  const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, type: _t, ...rest } = item;
  return rest as unknown as Appeal;
}

/** Appeals in the operations table, listed by status through the byCampaign index. */
export class DynamoDbAppealStore implements AppealStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async open(appeal: Appeal): Promise<Appeal> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...operationsKeys.appeal(appeal.appealId),
            type: 'APPEAL',
            ...appeal,
            gsi2pk: operationsKeys.appealsByStatus(appeal.status),
            gsi2sk: `${appeal.openedAt}#${appeal.appealId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return appeal;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(appeal.appealId)) ?? appeal;
    }
  }

  async get(appealId: string): Promise<Appeal | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: operationsKeys.appeal(appealId), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  async list(status: AppealStatus, limit: number): Promise<Appeal[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :s',
        ExpressionAttributeValues: { ':s': operationsKeys.appealsByStatus(status) },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(strip);
  }

  async resolve(
    appealId: string,
    status: Exclude<AppealStatus, 'OPEN'>,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.appeal(appealId),
          UpdateExpression: 'SET #status = :status, resolution = :resolution, gsi2pk = :g',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':resolution': resolution,
            ':open': 'OPEN',
            ':g': operationsKeys.appealsByStatus(status),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`Appeal ${appealId} was already resolved`);
      throw error;
    }
  }
}
