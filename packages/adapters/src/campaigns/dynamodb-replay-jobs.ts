import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayJob, ReplayJobStore, ReplayShard } from '@madad/core';
import * as z from 'zod';

const TallySchema = z.object({
  examined: z.number(),
  unchanged: z.number(),
  changes: z.record(z.string(), z.number()),
  notified: z.number(),
});

const ShardItemSchema = z.object({
  shard: z.number().int(),
  page: z.number().int(),
  cursor: z.record(z.string(), z.unknown()).optional(),
  done: z.boolean(),
  nextQueued: z.boolean(),
  superseded: z.boolean().optional(),
  tally: TallySchema,
});

const JobItemSchema = z.object({
  campaignId: z.string(),
  ruleSetVersion: z.string(),
  startedAt: z.string(),
  startedBy: z.string(),
});

const jobKey = (ruleSetVersion: string) => `REPLAY#${ruleSetVersion}`;
const shardSk = (shard: number) => `SHARD#${String(shard).padStart(3, '0')}`;

/**
 * Rules replay jobs in the operations table: `REPLAY#<rule-set version>` holds the job (`JOB`) and one
 * item per shard (`SHARD#nnn`), each written by one page at a time (conditioned on the page before),
 * so no item is hot and one Query reads a job's progress.
 */
export class DynamoDbReplayJobs implements ReplayJobStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(job: Omit<ReplayJob, 'shards'>, shards: number): Promise<void> {
    const pk = jobKey(job.ruleSetVersion);
    const empty: ReplayShard = {
      shard: 0,
      page: 0,
      done: false,
      nextQueued: true,
      tally: { examined: 0, unchanged: 0, changes: {}, notified: 0 },
    };
    await Promise.all([
      this.putNew({ pk, sk: 'JOB', type: 'REPLAY_JOB', ...job }),
      ...Array.from({ length: shards }, (_, shard) =>
        this.putNew({ pk, sk: shardSk(shard), type: 'REPLAY_SHARD', ...empty, shard }),
      ),
    ]);
  }

  async read(campaignId: string, ruleSetVersion: string): Promise<ReplayJob | undefined> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': jobKey(ruleSetVersion) },
        ConsistentRead: true,
      }),
    );
    const items = result.Items ?? [];
    const jobItem = items.find((item) => item.sk === 'JOB');
    if (!jobItem) return undefined;
    const job = JobItemSchema.parse(jobItem);
    if (job.campaignId !== campaignId) return undefined;
    const shards = items
      .filter((item) => String(item.sk).startsWith('SHARD#'))
      .map((item) => ShardItemSchema.parse(item) as ReplayShard)
      .sort((a, b) => a.shard - b.shard);
    return { ...job, shards };
  }

  async recordPage(
    _campaignId: string,
    ruleSetVersion: string,
    next: ReplayShard,
    fromPage: number,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: jobKey(ruleSetVersion), sk: shardSk(next.shard), type: 'REPLAY_SHARD', ...next },
          ConditionExpression: '#page = :from AND #done = :false',
          ExpressionAttributeNames: { '#page': 'page', '#done': 'done' },
          ExpressionAttributeValues: { ':from': fromPage, ':false': false },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markNextQueued(
    _campaignId: string,
    ruleSetVersion: string,
    shard: number,
    page: number,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: jobKey(ruleSetVersion), sk: shardSk(shard) },
          UpdateExpression: 'SET nextQueued = :true',
          ConditionExpression: '#page = :page',
          ExpressionAttributeNames: { '#page': 'page' },
          ExpressionAttributeValues: { ':true': true, ':page': page },
        }),
      );
    } catch (error) {
      // The page was read meanwhile (the shard moved on): nothing left to mark.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async putNew(item: Record<string, unknown>): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
