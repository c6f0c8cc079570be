import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Decision, operationsKeys, type RegistrationRecord, type RegistrationStore, type StoredDecision } from '@madad/core';

/**
 * Registrations live in the operations table, one item per message id. A conditional put makes
 * redelivery harmless: once the reply is queued (`repliedAt`), the item can no longer be rewritten.
 */
export class DynamoDbRegistrationStore implements RegistrationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(registration: RegistrationRecord): Promise<boolean> {
    const decidedAt = registration.decision?.decidedAt;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...operationsKeys.registration(registration.messageId),
            type: 'REGISTRATION',
            ...registration,
            // Only registrations with a decision are indexed by person, for STATUS and staff lookups.
            ...(registration.cnicHash && decidedAt
              ? { gsi1pk: operationsKeys.byCnic(registration.cnicHash), gsi1sk: `${decidedAt}#${registration.messageId}` }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(repliedAt)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markReplied(messageId: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.registration(messageId),
        UpdateExpression: 'SET repliedAt = if_not_exists(repliedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
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
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.registration(messageId).pk },
      }),
    );
    return result.Items?.[0];
  }
}
