import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type Decision,
  operationsKeys,
  type RecordResult,
  type RegistrationRecord,
  type RegistrationStore,
  type StoredDecision,
} from '@madad/core';
import { flaggedIndexAttributes } from './dynamodb-flagged-decisions.js';

/**
 * Registrations live in the operations table, one item per message id. The put is conditional, so
 * a redelivered message finds the first record (returned by DynamoDB with the failed condition).
 */
export class DynamoDbRegistrationStore implements RegistrationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(registration: RegistrationRecord): Promise<RecordResult> {
    const decidedAt = registration.decision?.decidedAt;
    const key = operationsKeys.registration(registration.messageId);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            type: 'REGISTRATION',
            ...registration,
            // Only registrations with a decision are indexed by person, for STATUS and staff lookups.
            ...(registration.cnicHash && decidedAt
              ? {
                  gsi1pk: operationsKeys.byCnic(registration.cnicHash),
                  gsi1sk: `${decidedAt}#${registration.messageId}`,
                }
              : {}),
            ...(registration.decision?.campaignId && decidedAt
              ? {
                  gsi2pk: operationsKeys.decisionsByCampaign(
                    registration.decision.campaignId,
                    operationsKeys.decisionShard(registration.messageId),
                  ),
                  gsi2sk: `${decidedAt}#${registration.messageId}`,
                }
              : {}),
            ...flaggedIndexAttributes(registration),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { fresh: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const existing = (error.Item ? unmarshall(error.Item) : await this.get(registration.messageId)) as
          | RegistrationRecord
          | undefined;
        if (!existing) throw error;
        return { fresh: false, existing };
      }
      throw error;
    }
  }

  async latestDecision(cnicHash: string): Promise<StoredDecision | undefined> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCnic',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.byCnic(cnicHash) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    if (!item?.decision) return undefined;
    return {
      messageId: String(item.messageId),
      reference: String(item.reference),
      decision: item.decision as Decision,
    };
  }

  async get(messageId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.registration(messageId),
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }

  /** One page of a campaign's decisions in one shard (rules replay). */
  async decisionsPage(
    campaignId: string,
    shard: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ items: RegistrationRecord[]; cursor?: Record<string, unknown> }> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.decisionsByCampaign(campaignId, shard) },
        Limit: 500,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    return {
      items: (result.Items ?? []) as RegistrationRecord[],
      ...(result.LastEvaluatedKey ? { cursor: result.LastEvaluatedKey } : {}),
    };
  }

  /** Replaces a decision after a rules replay, keeping the one it replaced. */
  async replaceDecision(messageId: string, decision: Decision, previous: Decision): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.registration(messageId),
        UpdateExpression:
          'SET decision = :d, previousDecisions = list_append(if_not_exists(previousDecisions, :empty), :p)',
        ConditionExpression: 'decision.ruleSetVersion = :old',
        ExpressionAttributeValues: {
          ':d': decision,
          ':p': [previous],
          ':empty': [],
          ':old': previous.ruleSetVersion,
        },
      }),
    );
  }
}
