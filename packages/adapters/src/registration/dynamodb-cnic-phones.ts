import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CnicPhones } from '@madad/core';
import * as z from 'zod';
import { operationsKeys } from '../keys.js';

/** One attribute per phone on the CNIC's item: `p` and the phone's digits. */
const attributeOf = (phone: string) => `p${phone.replace(/\D/g, '')}`;
const Place = z.number().int().positive();

/**
 * The phones of a CNIC in a campaign on one item: a new phone takes `n + 1` as its place and raises
 * `n` in the same conditional update (both read the item before the update, so concurrent phones get
 * distinct places); a known phone fails the condition and reads its place back.
 */
export class DynamoDbCnicPhones implements CnicPhones {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async rankPhone(cnicHash: string, campaignId: string, phone: string): Promise<number> {
    const Key = operationsKeys.cnicPhones(cnicHash, campaignId);
    const names = { '#p': attributeOf(phone), '#n': 'n' };
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: 'SET #p = if_not_exists(#n, :zero) + :one, #n = if_not_exists(#n, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#p)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Place.parse(result.Attributes?.[names['#p']]);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const found = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key,
          ConsistentRead: true,
          ProjectionExpression: '#p',
          ExpressionAttributeNames: { '#p': names['#p'] },
        }),
      );
      return Place.parse(found.Item?.[names['#p']]);
    }
  }
}
