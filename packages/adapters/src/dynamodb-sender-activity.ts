import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { operationsKeys, type SenderActivity } from '@madad/core';
import { batchGetAll } from './dynamodb-batch.js';

/** The set of CNIC hashes each phone has registered, as a DynamoDB string set (ADD is idempotent). */
export class DynamoDbSenderActivity implements SenderActivity {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(phones: readonly string[]): Promise<Map<string, ReadonlySet<string>>> {
    const items = await batchGetAll(this.doc, this.table, phones.map(operationsKeys.phoneActivity));
    return new Map(
      items.map((item) => [String(item.pk).slice('PHONE#'.length), new Set(item.cnics as Set<string>)]),
    );
  }

  async add(phone: string, cnicHash: string): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.phoneActivity(phone),
        UpdateExpression: 'ADD cnics :h',
        ExpressionAttributeValues: { ':h': new Set([cnicHash]) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const cnics = result.Attributes?.cnics;
    return cnics instanceof Set ? cnics.size : 1;
  }

  async countMessages(phone: string, hour: string, count: number): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.phoneHour(phone, hour),
        UpdateExpression: 'ADD messages :n',
        ExpressionAttributeValues: { ':n': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.messages ?? count);
  }
}
