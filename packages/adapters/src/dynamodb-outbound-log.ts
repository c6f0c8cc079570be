import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type OutboundLog, type OutboundRecord, operationsKeys } from '@madad/core';

/** Replies by phone in the operations table (`SMS#<to>`, sorted by time). */
export class DynamoDbOutboundLog implements OutboundLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

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
