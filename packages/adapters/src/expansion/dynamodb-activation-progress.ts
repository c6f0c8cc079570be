import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { ActivationPageRecord, ActivationProgressStore } from '@madad/core';
import * as z from 'zod';

/** An activation's page records share the campaign's partition, one item per work item and page. */
const partition = (campaignId: string) => `ACTIVATION#${campaignId}`;
const sortKey = (item: number, page: number) =>
  `PAGE#${String(item).padStart(6, '0')}#${String(page).padStart(7, '0')}`;

const PageItemSchema = z.object({
  item: z.number().int(),
  items: z.number().int(),
  page: z.number().int(),
  households: z.number().int(),
  last: z.boolean(),
  at: z.string(),
});

/** Activation progress in the operations table: a first write per page wins, a redelivery is a no-op. */
export class DynamoDbActivationProgress implements ActivationProgressStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordPage(campaignId: string, page: ActivationPageRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: partition(campaignId),
            sk: sortKey(page.item, page.page),
            type: 'ACTIVATION_PAGE',
            ...page,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async pages(campaignId: string): Promise<ActivationPageRecord[]> {
    const out: ActivationPageRecord[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :page)',
        ExpressionAttributeValues: { ':pk': partition(campaignId), ':page': 'PAGE#' },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) out.push(PageItemSchema.parse(item));
    return out;
  }
}
