import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DynamoDbImportContests } from './dynamodb-import-contests.js';
import { ImportFormatSchema, PARALLEL_IMPORT_KINDS } from './import-work.js';

const jobKey = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'JOB' });
// The console's listing: one small item a job in one partition, newest first (a few imports a day).
const LISTING_PK = 'IMPORTS';

const counter = z.number().int().nonnegative();

/** An import's state: what was split, and what the workers have counted so far. */
export const ImportJobSchema = z.object({
  importId: z.string(),
  kind: z.enum(PARALLEL_IMPORT_KINDS),
  format: ImportFormatSchema,
  key: z.string(),
  etag: z.string(),
  size: counter,
  chunks: counter,
  startedAt: z.string(),
  enqueued: z.boolean().default(false),
  chunksDone: counter.default(0),
  lines: counter.default(0),
  imported: counter.default(0),
  rejected: counter.default(0),
  blank: counter.default(0),
  /** Households the chunks left to the finisher (another household of the file claimed a member). */
  contested: counter.default(0),
  rejectedByReason: z.record(z.string(), counter).default({}),
  /** What the finisher decided of the contested households (see resolveContests). */
  resolution: z
    .object({
      imported: z.number().int(),
      rejected: counter,
      rejectedByReason: z.record(z.string(), counter),
    })
    .optional(),
  /** The finisher's lease: one worker decides the contests at a time. */
  resolvingUntil: z.string().optional(),
  /** Lines of each chunk counted, by chunk index: the reject file's line numbers come from them. */
  chunkLines: z.record(z.string(), counter).default({}),
  /** Chunks that wrote a reject file. */
  rejectChunks: z.set(z.number()).optional(),
  finishedAt: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export type NewImportJob = Pick<
  ImportJob,
  'importId' | 'kind' | 'format' | 'key' | 'etag' | 'size' | 'chunks' | 'startedAt'
>;

/** What one chunk found; added to its job once. */
export interface ChunkCounts {
  readonly lines: number;
  readonly imported: number;
  readonly rejected: number;
  readonly blank: number;
  readonly contested?: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
}

/**
 * Import jobs in the operations table. Each chunk is counted by one conditional UpdateItem that adds
 * its number to the job's set of done chunks and its counts to the totals together, only when the
 * number is not in the set yet: a redelivered chunk writes its items again and counts nothing.
 */
export class DynamoDbImportJobs {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Creates the job, or returns the one already created for the same upload. */
  async create(job: NewImportJob): Promise<ImportJob> {
    const item = { ...jobKey(job.importId), ...job, rejectedByReason: {}, chunkLines: {} };
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
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: LISTING_PK, sk: `${job.startedAt}#${job.importId}`, importId: job.importId },
      }),
    );
    const stored = await this.get(job.importId);
    if (!stored) throw new Error(`import job ${job.importId} vanished after its creation`);
    return stored;
  }

  async get(importId: string): Promise<ImportJob | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: jobKey(importId), ConsistentRead: true }),
    );
    return out.Item ? ImportJobSchema.parse(out.Item) : undefined;
  }

  /** The newest jobs first. */
  async recent(limit = 20): Promise<ImportJob[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': LISTING_PK },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const ids = (out.Items ?? []).map((item) => String(item.importId));
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((job): job is ImportJob => job !== undefined);
  }

  async markEnqueued(importId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: jobKey(importId),
        UpdateExpression: 'SET enqueued = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  /** Adds a chunk's counts once; `counted` is false when the chunk had been counted before. */
  async recordChunk(
    importId: string,
    chunk: number,
    counts: ChunkCounts,
  ): Promise<{ counted: boolean; job: ImportJob }> {
    const reasons = Object.entries(counts.rejectedByReason);
    const names: Record<string, string> = { '#chunk': String(chunk) };
    const values: Record<string, unknown> = {
      ':chunk': chunk,
      ':chunkSet': new Set([chunk]),
      ':one': 1,
      ':lines': counts.lines,
      ':imported': counts.imported,
      ':rejected': counts.rejected,
      ':blank': counts.blank,
      ':contested': counts.contested ?? 0,
    };
    const sets = ['chunkLines.#chunk = :lines'];
    const adds = [
      'doneChunks :chunkSet',
      'chunksDone :one',
      '#lines :lines',
      'imported :imported',
      'rejected :rejected',
      'blank :blank',
      'contested :contested',
    ];
    if (counts.rejected > 0) adds.push('rejectChunks :chunkSet');
    if (reasons.length > 0) values[':zero'] = 0;
    reasons.forEach(([reason, n], i) => {
      names[`#r${i}`] = reason;
      values[`:r${i}`] = n;
      sets.push(`rejectedByReason.#r${i} = if_not_exists(rejectedByReason.#r${i}, :zero) + :r${i}`);
    });
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(importId),
          UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(doneChunks, :chunk)',
          ExpressionAttributeNames: { ...names, '#lines': 'lines' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { counted: true, job: ImportJobSchema.parse(out.Attributes) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const job = await this.get(importId);
      if (!job) throw new Error(`no import job ${importId} for chunk ${chunk}`);
      return { counted: false, job };
    }
  }

  /** The contests and refusals of this table's imports. */
  get contests(): DynamoDbImportContests {
    return new DynamoDbImportContests(this.doc, this.table);
  }

  /**
   * Takes the finisher's lease until `until` (ISO time), unless the contests are decided already or
   * another worker holds an unexpired lease; true when taken.
   */
  async leaseResolution(importId: string, now: string, until: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(importId),
          UpdateExpression: 'SET resolvingUntil = :until',
          ConditionExpression:
            'attribute_not_exists(resolution) AND (attribute_not_exists(resolvingUntil) OR resolvingUntil < :now)',
          ExpressionAttributeValues: { ':until': until, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  /** Records what the finisher decided (once: the first record stands). */
  async markResolved(importId: string, resolution: NonNullable<ImportJob['resolution']>): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(importId),
          UpdateExpression: 'SET resolution = :resolution',
          ConditionExpression: 'attribute_not_exists(resolution)',
          ExpressionAttributeValues: { ':resolution': resolution },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Marks the job finished; the first finisher's time stands. */
  async markFinished(importId: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: jobKey(importId),
          UpdateExpression: 'SET finishedAt = :at',
          ConditionExpression: 'attribute_not_exists(finishedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
