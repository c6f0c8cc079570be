import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Appeal,
  type AppealClaim,
  type AppealOutcome,
  type AppealStatus,
  type AppealStore,
  ConflictError,
  operationsKeys,
} from '@madad/core';

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

  /** OPEN -> RESOLVING with the claim, in one conditional write: of two staff at once, one wins. */
  async claim(appealId: string, claim: AppealClaim): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.appeal(appealId),
          UpdateExpression: 'SET #status = :resolving, #claim = :claim, gsi2pk = :g',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: {
            ':resolving': 'RESOLVING',
            ':claim': claim,
            ':open': 'OPEN',
            ':g': operationsKeys.appealsByStatus('RESOLVING'),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** RESOLVING -> the claimed outcome; a case already there (a re-run) is left as it is. */
  async complete(
    appealId: string,
    outcome: AppealOutcome,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.appeal(appealId),
          UpdateExpression: 'SET #status = :outcome, resolution = :resolution, gsi2pk = :g',
          ConditionExpression: '#status = :resolving AND #claim.outcome = :outcome',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: {
            ':outcome': outcome,
            ':resolution': resolution,
            ':resolving': 'RESOLVING',
            ':g': operationsKeys.appealsByStatus(outcome),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(appealId);
      if (current?.status !== outcome)
        throw new ConflictError(
          `Appeal ${appealId} is ${current?.status ?? 'missing'}, not claimed as ${outcome}`,
        );
    }
  }
}
