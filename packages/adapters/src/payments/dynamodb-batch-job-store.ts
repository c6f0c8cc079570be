import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { BatchCounts, BatchJob, BatchJobArea, BatchJobStore } from '@madad/core';
import * as z from 'zod';
import { batchPutAll } from '../runtime/dynamodb-batch.js';

/** A job and its districts share one partition: the job item, and one item a district. */
const partition = (jobId: string) => `BATCHJOB#${jobId}`;
const JOB = 'JOB';
const areaKey = (jobId: string, district: string) => ({
  pk: partition(jobId),
  sk: `AREA#${district.toUpperCase()}`,
});
/** A campaign's jobs on the byCampaign index, newest last. */
const byCampaign = (campaignId: string) => `BATCHJOBS#${campaignId}`;

const JobSchema = z.object({
  jobId: z.string(),
  campaignId: z.string(),
  requestedBy: z.string(),
  role: z.string(),
  requestedAt: z.string(),
  districts: z.array(z.string()),
  maxLines: z.number().int(),
  category: z.enum(['TOP_UP', 'NEW_BENEFICIARY']).optional(),
});

const AreaSchema = z.object({
  district: z.string(),
  status: z.enum(['queued', 'done']),
  batches: z.number().int(),
  lines: z.number().int(),
  total: z.number(),
  held: z.number().int(),
  building: z.string().optional(),
  updatedAt: z.string(),
});

function jobOf(item: Record<string, unknown>): BatchJob {
  const { category, ...job } = JobSchema.parse(item);
  return category ? { ...job, category } : job;
}

function areaOf(item: Record<string, unknown>): BatchJobArea {
  const { building, ...area } = AreaSchema.parse(item);
  return building ? { ...area, building } : area;
}

/**
 * Batch jobs in the operations table. A district's item is written only by its own work item, with
 * conditions on `building`, so a redelivery neither counts a batch twice nor makes two at once.
 */
export class DynamoDbBatchJobStore implements BatchJobStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(job: BatchJob, now: string): Promise<void> {
    // Districts first, then the job item: a job that can be read has all its districts.
    await batchPutAll(
      this.doc,
      this.table,
      job.districts.map((district) => ({
        ...areaKey(job.jobId, district),
        type: 'BATCH_JOB_AREA',
        district,
        status: 'queued',
        batches: 0,
        lines: 0,
        total: 0,
        held: 0,
        updatedAt: now,
      })),
    );
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: partition(job.jobId),
          sk: JOB,
          type: 'BATCH_JOB',
          gsi2pk: byCampaign(job.campaignId),
          gsi2sk: `${job.requestedAt}#${job.jobId}`,
          ...job,
        },
      }),
    );
  }

  async get(jobId: string): Promise<{ job: BatchJob; areas: BatchJobArea[] } | undefined> {
    let job: BatchJob | undefined;
    const areas: BatchJobArea[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition(jobId) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item.sk === JOB) job = jobOf(item);
        else areas.push(areaOf(item));
      }
    }
    return job ? { job, areas } : undefined;
  }

  async area(jobId: string, district: string): Promise<BatchJobArea | undefined> {
    const found = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: areaKey(jobId, district), ConsistentRead: true }),
    );
    return found.Item ? areaOf(found.Item) : undefined;
  }

  startBatch(jobId: string, district: string, batchId: string, now: string): Promise<boolean> {
    return this.conditional({
      TableName: this.table,
      Key: areaKey(jobId, district),
      UpdateExpression: 'SET building = :b, updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND #status = :queued AND attribute_not_exists(building)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':b': batchId, ':queued': 'queued', ':now': now },
    });
  }

  finishBatch(
    jobId: string,
    district: string,
    batchId: string,
    counts: BatchCounts,
    now: string,
  ): Promise<boolean> {
    return this.conditional({
      TableName: this.table,
      Key: areaKey(jobId, district),
      UpdateExpression:
        'SET batches = batches + :n, #lines = #lines + :lines, #total = #total + :total, held = held + :held, updatedAt = :now REMOVE building',
      ConditionExpression: 'building = :b',
      ExpressionAttributeNames: { '#lines': 'lines', '#total': 'total' },
      ExpressionAttributeValues: {
        ':b': batchId,
        ':n': counts.lines > 0 ? 1 : 0,
        ':lines': counts.lines,
        ':total': counts.total,
        ':held': counts.held,
        ':now': now,
      },
    });
  }

  async finishArea(jobId: string, district: string, batchId: string, now: string): Promise<void> {
    await this.conditional({
      TableName: this.table,
      Key: areaKey(jobId, district),
      UpdateExpression: 'SET #status = :done, updatedAt = :now REMOVE building',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(building) OR building = :b)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':b': batchId, ':done': 'done', ':now': now },
    });
  }

  async listByCampaign(campaignId: string, limit: number): Promise<BatchJob[]> {
    const found = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byCampaign',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': byCampaign(campaignId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (found.Items ?? []).map(jobOf);
  }

  private async conditional(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
