import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import {
  type Campaign,
  type CampaignDirectory,
  CampaignSchema,
  ConflictError,
  ruleSetVersionOf,
} from '@madad/core';
import { operationsKeys } from '../keys.js';
import { fromItem } from '../runtime/from-item.js';

function strip(item: Record<string, unknown>): Campaign {
  const { pk: _pk, sk: _sk, type: _t, revision: _r, ...rest } = fromItem(CampaignSchema, item, 'campaign');
  return rest;
}

/**
 * Campaigns in the operations table. Every change is a conditional put on a revision number, so two
 * staff members editing at once cannot overwrite each other; each rule change is kept as a version.
 */
export class DynamoDbCampaignStore implements CampaignDirectory {
  private cache: { at: number; campaigns: Campaign[] } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cacheMs = 15_000,
  ) {}

  async get(campaignId: string): Promise<(Campaign & { revision: number }) | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: operationsKeys.campaign(campaignId),
        ConsistentRead: true,
      }),
    );
    return result.Item ? { ...strip(result.Item), revision: Number(result.Item.revision ?? 0) } : undefined;
  }

  async list(): Promise<Campaign[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.campaignPartition },
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items.map(strip);
  }

  /** Writes the campaign if its stored revision is still `expectedRevision` (0 for a new one). */
  async save(campaign: Campaign, expectedRevision: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...operationsKeys.campaign(campaign.campaignId),
            type: 'CAMPAIGN',
            ...campaign,
            revision: expectedRevision + 1,
          },
          ConditionExpression: expectedRevision === 0 ? 'attribute_not_exists(pk)' : 'revision = :r',
          ...(expectedRevision === 0 ? {} : { ExpressionAttributeValues: { ':r': expectedRevision } }),
        }),
      );
      this.cache = undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError('The campaign changed meanwhile; reload and try again');
      }
      throw error;
    }
  }

  /** Keeps every rule-set version, so a decision's `ruleSetVersion` can always be looked up. */
  async saveRuleSet(campaign: Campaign, version: number, by: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...operationsKeys.ruleSet(campaign.campaignId, version),
          type: 'RULE_SET',
          ruleSetVersion: ruleSetVersionOf(campaign.campaignId, version),
          rules: campaign.rules,
          areas: campaign.areas,
          createdBy: by,
          createdAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async inForce(now: Date): Promise<Campaign[]> {
    if (!this.cache || now.getTime() - this.cache.at > this.cacheMs) {
      const all = await this.list();
      this.cache = { at: now.getTime(), campaigns: all.filter((c) => c.status !== 'draft') };
    }
    return this.cache.campaigns;
  }
}
