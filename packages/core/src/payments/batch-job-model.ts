import * as z from 'zod';
import { CreateBatchRequestSchema, PaymentCategorySchema } from './model.js';

/** A staff request to make a campaign's batches as a job: one work item a district, run by the batch worker. */
export const StartBatchJobRequestSchema = CreateBatchRequestSchema.omit({ district: true }).extend({
  /** Absent: every district the campaign declares. */
  districts: z.array(z.string().trim().min(1).max(60)).min(1).max(200).optional(),
});
export type StartBatchJobRequest = z.input<typeof StartBatchJobRequestSchema>;

/** One work item on the batch queue: make one district's batches for the job. */
export const BatchWorkSchema = z.strictObject({
  jobId: z.string().regex(/^BJ-[A-Z0-9]{8}$/),
  campaignId: CreateBatchRequestSchema.shape.campaignId,
  district: z.string().min(1).max(60),
  maxLines: z.number().int().min(1).max(5000),
  category: PaymentCategorySchema.optional(),
  /** The staff member who asked for the job: the batches' maker (an approver must be someone else). */
  maker: z.strictObject({ user: z.string().min(1), role: z.string().min(1) }),
});
export type BatchWork = z.infer<typeof BatchWorkSchema>;

/** The job as recorded when it was asked for. */
export interface BatchJob {
  readonly jobId: string;
  readonly campaignId: string;
  readonly requestedBy: string;
  readonly role: string;
  readonly requestedAt: string;
  readonly districts: readonly string[];
  readonly maxLines: number;
  readonly category?: 'TOP_UP' | 'NEW_BENEFICIARY';
}

/** One district's progress in a job. */
export interface BatchJobArea {
  readonly district: string;
  readonly status: 'queued' | 'done';
  readonly batches: number;
  readonly lines: number;
  readonly total: number;
  readonly held: number;
  /** The batch being made when the worker last stopped: a re-run completes it first. */
  readonly building?: string;
  readonly updatedAt: string;
}

/** Counts a finished batch adds to its district's progress. */
export interface BatchCounts {
  readonly lines: number;
  readonly total: number;
  readonly held: number;
}

/**
 * Batch jobs and their districts' progress. Each district is its own item, written only by the work
 * item of that district, so progress has no hot item; the job's figures are summed when read.
 */
export interface BatchJobStore {
  /** Records a new job and one `queued` item a district (each job has a new id). */
  create(job: BatchJob, now: string): Promise<void>;
  get(jobId: string): Promise<{ job: BatchJob; areas: BatchJobArea[] } | undefined>;
  area(jobId: string, district: string): Promise<BatchJobArea | undefined>;
  /** The district's next batch id, recorded before its header: false if the district is done or building another. */
  startBatch(jobId: string, district: string, batchId: string, now: string): Promise<boolean>;
  /** Adds the batch's counts and clears `building`, only while `building` is `batchId` (so once). */
  finishBatch(
    jobId: string,
    district: string,
    batchId: string,
    counts: BatchCounts,
    now: string,
  ): Promise<boolean>;
  /** Marks the district done (nothing left to claim), clearing `building` if it is `batchId`. */
  finishArea(jobId: string, district: string, batchId: string, now: string): Promise<void>;
  /** The campaign's jobs, newest first. */
  listByCampaign(campaignId: string, limit: number): Promise<BatchJob[]>;
}

/** The batch queue (one message a district). */
export interface BatchWorkQueue {
  enqueueAll(items: readonly BatchWork[]): Promise<void>;
}
