import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type OutboundLog, type OutboundRecord, operationsKeys } from '@madad/core';

/** Replies by phone in the operations table (`SMS#<to>`, sorted by time), claimed once by id. */
export class DynamoDbOutboundLog implements OutboundLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(record: OutboundRecord, staleBefore: string): Promise<'CLAIMED' | 'SENT' | 'BUSY'> {
    const key = operationsKeys.outbound(record.to, record.createdAt, record.id);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, type: 'OUTBOUND_SMS', ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'SENDING', ':stale': staleBefore },
        }),
      );
      return 'CLAIMED';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return current.Item?.status === 'SENT' ? 'SENT' : 'BUSY';
    }
  }

  async markSent(record: OutboundRecord, providerMessageId: string, sentAt: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.outbound(record.to, record.createdAt, record.id),
        UpdateExpression: 'SET #status = :sent, providerMessageId = :pid, sentAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':pid': providerMessageId, ':at': sentAt },
      }),
    );
  }

  async release(record: OutboundRecord): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.table,
        Key: operationsKeys.outbound(record.to, record.createdAt, record.id),
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'SENDING' },
      }),
    );
  }

  async listFor(to: string, limit: number): Promise<OutboundRecord[]> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.outboundPartition(to) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(({ pk: _pk, sk: _sk, type: _type, ...rest }) => rest as OutboundRecord);
  }
}
