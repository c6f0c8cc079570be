import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type {
  BatchJob,
  BatchJobArea,
  BatchJobStore,
  BatchWork,
  BatchWorkQueue,
  StartBatchJobRequest,
} from './batch-job-model.js';
import { BatchWorkSchema, StartBatchJobRequestSchema } from './batch-job-model.js';
import {
  BatchRejectedWhileBuildingError,
  createPaymentBatch,
  NothingToBatchError,
  newBatchId,
} from './create-batch.js';
import { finishBuildingBatch } from './finish-building-batch.js';
import type { StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

export interface BatchJobDeps extends PaymentServiceDeps {
  readonly batchJobs: BatchJobStore;
}

/**
 * Asks for a campaign's batches as a job: records who asked, when and for which districts, then puts
 * one work item a district on the batch queue. Recording comes first, so a crash before the queueing
 * leaves a job whose districts show `queued` and nothing made; asking again makes a new job, and the
 * claims keep any household out of two batches.
 */
export async function startBatchJob(
  deps: Pick<BatchJobDeps, 'campaigns' | 'batchJobs' | 'clock'> & { readonly queue: BatchWorkQueue },
  input: StartBatchJobRequest,
  actor: StaffActor,
): Promise<BatchJob> {
  const request = StartBatchJobRequestSchema.parse(input);
  const campaign = await deps.campaigns.get(request.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${request.campaignId}`);
  if (campaign.status === 'draft') throw new ConflictError('A draft campaign has nothing to pay yet');
  const declared = [...new Map(campaign.areas.map((a) => [a.district.toUpperCase(), a.district])).values()];
  const districts = request.districts
    ? request.districts.map((d) => {
        const match = declared.find((x) => x.toUpperCase() === d.toUpperCase());
        if (!match) throw new ValidationError(`District ${d} is not in campaign ${campaign.campaignId}`);
        return match;
      })
    : declared;
  const now = deps.clock.now().toISOString();
  const job: BatchJob = {
    jobId: `BJ-${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
    campaignId: campaign.campaignId,
    requestedBy: actor.user,
    role: actor.role,
    requestedAt: now,
    districts: [...new Set(districts)],
    maxLines: request.maxLines,
    ...(request.category ? { category: request.category } : {}),
  };
  await deps.batchJobs.create(job, now);
  crashPoint('batch-job.after-record');
  await deps.queue.enqueueAll(
    job.districts.map((district) => ({
      jobId: job.jobId,
      campaignId: job.campaignId,
      district,
      maxLines: job.maxLines,
      ...(job.category ? { category: job.category } : {}),
      maker: { user: actor.user, role: actor.role },
    })),
  );
  return job;
}

/** What a district's work item did this time. */
export interface BatchWorkResult {
  readonly batches: number;
  readonly lines: number;
  readonly resumed: boolean;
  /** True when `stop` ended the run with the district unfinished: the item is to be queued again. */
  readonly more: boolean;
}

/**
 * One district of a batch job: first completes the batch a stopped run left `building` (its claims get
 * their lines), then makes batches of at most `maxLines` one after another until nothing is left to
 * claim, and marks the district done. Each batch id is recorded on the district before the batch's
 * header is written, so a redelivered item finds and finishes it; the district's counts move once a
 * batch, conditional on that record. The batches are `pending`: a second person approves them.
 */
export async function runBatchWork(
  deps: BatchJobDeps,
  input: BatchWork,
  /** Asked before each batch (the invocation's time left): true ends the run, the district unfinished. */
  stop: () => boolean = () => false,
): Promise<BatchWorkResult> {
  const work = BatchWorkSchema.parse(input);
  const { jobId, district } = work;
  const area = await deps.batchJobs.area(jobId, district);
  if (!area) throw new NotFoundError(`No district ${district} in batch job ${jobId}`);
  if (area.status === 'done') return { batches: 0, lines: 0, resumed: false, more: false };
  const resumed = area.building !== undefined;
  const now = () => deps.clock.now().toISOString();
  let batches = 0;
  let lines = 0;
  if (area.building) {
    const finished = await finishBuildingBatch(deps, area.building, work.maker);
    const counts = finished && finished.status !== 'rejected' ? countsOf(finished) : ZERO;
    await deps.batchJobs.finishBatch(jobId, district, area.building, counts, now());
    batches += counts.lines > 0 ? 1 : 0;
    lines += counts.lines;
  }
  for (;;) {
    if (stop()) return { batches, lines, resumed, more: true };
    const batchId = newBatchId();
    if (!(await deps.batchJobs.startBatch(jobId, district, batchId, now()))) {
      throw new ConflictError(`District ${district} of batch job ${jobId} is being made by another worker`);
    }
    crashPoint('batch-job.after-start');
    const request = { campaignId: work.campaignId, district, maxLines: work.maxLines };
    try {
      const made = await createPaymentBatch(
        deps,
        work.category ? { ...request, category: work.category } : request,
        work.maker,
        { batchId },
      );
      crashPoint('batch-job.after-batch');
      await deps.batchJobs.finishBatch(jobId, district, batchId, countsOf(made.batch), now());
      batches++;
      lines += made.batch.lineCount;
      // The district had no more than this batch took: done without reading its index again.
      if (made.exhausted) {
        await deps.batchJobs.finishArea(jobId, district, batchId, now());
        return { batches, lines, resumed, more: false };
      }
    } catch (error) {
      if (error instanceof NothingToBatchError) {
        await deps.batchJobs.finishArea(jobId, district, batchId, now());
        return { batches, lines, resumed, more: false };
      }
      // A checker rejected the batch while it was built: its claims went back, the next batch takes them.
      if (error instanceof BatchRejectedWhileBuildingError)
        await deps.batchJobs.finishBatch(jobId, district, batchId, ZERO, now());
      else throw error;
    }
  }
}

const ZERO = { lines: 0, total: 0, held: 0 };

function countsOf(batch: { lineCount: number; total: number; heldCount?: number }) {
  return { lines: batch.lineCount, total: batch.total, held: batch.heldCount ?? 0 };
}

/** A job's progress: districts done of all, and the lines, amount and batches made so far. */
export function summariseBatchJob(job: BatchJob, areas: readonly BatchJobArea[]) {
  const sum = (pick: (a: BatchJobArea) => number) => areas.reduce((s, a) => s + pick(a), 0);
  const done = areas.filter((a) => a.status === 'done').length;
  return {
    ...job,
    status: done === areas.length ? ('done' as const) : ('running' as const),
    areas: { done, total: areas.length },
    batches: sum((a) => a.batches),
    lines: sum((a) => a.lines),
    total: sum((a) => a.total),
    held: sum((a) => a.held),
    districts: areas.map(({ district, status, batches, lines, total, held }) => ({
      district,
      status,
      batches,
      lines,
      total,
      held,
    })),
  };
}

/** The job with its progress (404 when there is none). */
export async function readBatchJob(deps: Pick<BatchJobDeps, 'batchJobs'>, jobId: string) {
  const found = await deps.batchJobs.get(jobId);
  if (!found) throw new NotFoundError(`No batch job ${jobId}`);
  return summariseBatchJob(found.job, found.areas);
}
