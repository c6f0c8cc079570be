import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Decision,
  type DecisionOfRecord,
  type DecisionRecordStore,
  DecisionSchema,
  LanguageSchema,
  latestOf,
  STATS_SHARDS,
} from '@madad/core';
import * as z from 'zod';
import { registryKeys } from '../keys.js';
import { recordFromItem } from '../runtime/from-item.js';

type Item = Record<string, unknown>;

/** What a decision-of-record item must hold to be read as one; other fields pass through unchanged. */
const DecisionOfRecordItemSchema = z.looseObject({
  campaignId: z.string(),
  cnicHash: z.string(),
  messageId: z.string(),
  reference: z.string(),
  from: z.string(),
  channel: z.enum(['sms', 'web']),
  lang: LanguageSchema,
  decision: DecisionSchema,
});

export function toRecord(item: Item): DecisionOfRecord {
  return recordFromItem(DecisionOfRecordItemSchema, item, 'decision');
}

/** The sparse `byCampaignDecision` index: only `DEC#` items carry `gsi3pk`. */
export const DECISIONS_BY_CAMPAIGN_INDEX = 'byCampaignDecision';

/**
 * A decision's partition in the index: its campaign and one of `STATS_SHARDS` shards chosen by the
 * CNIC hash, so a surge of decisions spreads its index writes over as many partitions.
 */
export function decisionIndexKeys(cnicHash: string, campaignId: string): { gsi3pk: string; gsi3sk: string } {
  let h = 0x811c9dc5;
  for (let i = 0; i < cnicHash.length; i++) h = Math.imul(h ^ cnicHash.charCodeAt(i), 0x01000193);
  const shard = (h >>> 0) % STATS_SHARDS;
  return { gsi3pk: decisionShardKey(campaignId, shard), gsi3sk: cnicHash };
}

function decisionShardKey(campaignId: string, shard: number): string {
  return `DECS#${campaignId}#${String(shard).padStart(2, '0')}`;
}

/**
 * People's decisions of record: `CNIC#<hash>` / `DEC#<campaign>` in the registry table, beside the
 * person's decision view, so the reconciler reads both with one Query. A rules replay reads a
 * campaign's decisions from the sparse `byCampaignDecision` index (`DECS#<campaign>#<shard>`), page
 * by page: no Scan.
 */
export class DynamoDbDecisionRecords implements DecisionRecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(record: DecisionOfRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...registryKeys.decisionOfRecord(record.cnicHash, record.campaignId),
            ...decisionIndexKeys(record.cnicHash, record.campaignId),
            type: 'DECISION',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR decision.#status <> :eligible',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':eligible': 'ELIGIBLE' },
        }),
      );
    } catch (error) {
      // An eligible decision of record stays: a concurrent repeat does not demote it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async latest(cnicHash: string): Promise<DecisionOfRecord | undefined> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dec)',
        ExpressionAttributeValues: {
          ':pk': registryKeys.person(cnicHash).pk,
          ':dec': registryKeys.decisionOfRecordPrefix,
        },
      }),
    );
    return latestOf((result.Items ?? []).map(toRecord));
  }

  /** One page of a campaign's decisions of record in one index shard, from a cursor (a Query). */
  async decisionsPage(
    campaignId: string,
    shard: number,
    cursor?: Record<string, unknown>,
    limit = 1000,
  ): Promise<{ items: DecisionOfRecord[]; cursor?: Record<string, unknown> }> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: DECISIONS_BY_CAMPAIGN_INDEX,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': decisionShardKey(campaignId, shard) },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: cursor } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map(toRecord),
      ...(result.LastEvaluatedKey ? { cursor: result.LastEvaluatedKey } : {}),
    };
  }

  /** Replaces a decision after a rules replay, keeping the one it replaced (unless replaced meanwhile). */
  async replaceDecision(record: DecisionOfRecord, decision: Decision, previous: Decision): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: registryKeys.decisionOfRecord(record.cnicHash, record.campaignId),
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
