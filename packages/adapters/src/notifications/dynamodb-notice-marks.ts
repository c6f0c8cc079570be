import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeMarks } from '@madad/core';

/** The item that says a notice run is complete: one per batch export or result import. */
const markKey = (run: string) => ({ pk: `NOTICES#${run}`, sk: 'DONE' });

/** Completed notice runs, one small item each in the operations table. */
export class DynamoDbNoticeMarks implements NoticeMarks {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async isDone(run: string): Promise<boolean> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: markKey(run), ConsistentRead: true }),
    );
    return result.Item !== undefined;
  }

  async markDone(run: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...markKey(run), type: 'NOTICE_RUN', run, at } }),
    );
  }
}
