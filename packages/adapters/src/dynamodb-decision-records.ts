import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Decision,
  type DecisionOfRecord,
  type DecisionRecordStore,
  latestOf,
  registryKeys,
  STATS_SHARDS,
} from '@madad/core';

type Item = Record<string, unknown>;

function toRecord({ pk: _pk, sk: _sk, type: _t, ...rest }: Item): DecisionOfRecord {
  return rest as unknown as DecisionOfRecord;
}

/**
 * People's decisions of record: `CNIC#<hash>` / `DEC#<campaign>` in the registry table, beside the
 * person's decision view, so the reconciler reads both with one Query. No index: a rules replay
 * scans for them (a rare staff action), in segments it can resume.
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

  /**
   * One page of a campaign's decisions of record, from one of `STATS_SHARDS` scan segments (rules
   * replay pages through every segment and can resume from a cursor).
   */
  async decisionsPage(
    campaignId: string,
    shard: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ items: DecisionOfRecord[]; cursor?: Record<string, unknown> }> {
    const result = await this.doc.send(
      new ScanCommand({
        TableName: this.table,
        Segment: shard,
        TotalSegments: STATS_SHARDS,
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': registryKeys.decisionOfRecord('', campaignId).sk },
        Limit: 1000,
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
