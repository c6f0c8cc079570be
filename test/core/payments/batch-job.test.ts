import {
  crashOnceAt,
  finishBuildingBatch,
  InjectedCrashError,
  readBatchJob,
  runBatchWork,
  setCrashHook,
  startBatchJob,
  ValidationError,
} from '@madad/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryBatchJobs } from '../../support/batch-job-fakes.js';
import { CHECKER, MAKER, world } from '../../support/payment-world.js';

afterEach(() => setCrashHook(undefined));

/** A world of `n` households over Dadu and Sanghar, with a job store and a queue. */
function jobWorld(n: number) {
  const w = world(n);
  const jobs = memoryBatchJobs();
  const deps = { ...w.deps, batchJobs: jobs.store, queue: jobs.queue };
  return { w, jobs, deps };
}

/** Lets work a crashed call left in flight (the other chunk of claims) settle, as a dead process's would not matter. */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** What the maker's job left: lines, and enrollments claimed by a batch without a line in it. */
function outcome(w: ReturnType<typeof world>) {
  const lines = [...w.lines.values()].flatMap((byRef) => [...byRef.values()]);
  const lined = new Set(lines.map((l) => `${l.batchId}|${l.householdId}`));
  const claimedWithoutLine = [...w.enrollments.values()].filter(
    (e) => e.batchId && !lined.has(`${e.batchId}|${e.householdId}`),
  );
  return { lines, claimedWithoutLine };
}

describe('startBatchJob', () => {
  it('records who asked and puts one work item a district on the queue', async () => {
    // Arrange
    const { deps, jobs } = jobWorld(10);

    // Act
    const job = await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 7 }, MAKER);

    // Assert
    expect(job).toMatchObject({
      campaignId: 'C-FLOOD1',
      requestedBy: MAKER.user,
      districts: ['Dadu', 'Sanghar'],
    });
    expect(jobs.sent.map((s) => s.district)).toEqual(['Dadu', 'Sanghar']);
    expect(jobs.sent[0]).toMatchObject({ jobId: job.jobId, maxLines: 7, maker: MAKER });
    expect(await readBatchJob(deps, job.jobId)).toMatchObject({
      status: 'running',
      areas: { done: 0, total: 2 },
    });
  });

  it('refuses a district the campaign does not declare', async () => {
    const { deps, jobs } = jobWorld(10);
    await expect(
      startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 7, districts: ['Karachi'] }, MAKER),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(jobs.sent).toHaveLength(0);
  });
});

describe('runBatchWork', () => {
  it("makes each district's batches, pending for a second person, and reports the job's progress", async () => {
    // Arrange: 45 households, 23 in Dadu and 22 in Sanghar.
    const { w, deps, jobs } = jobWorld(45);
    const job = await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 7 }, MAKER);

    // Act
    for (const item of jobs.sent) await runBatchWork(deps, item);

    // Assert
    const { lines, claimedWithoutLine } = outcome(w);
    expect(new Set(lines.map((l) => l.householdId)).size).toBe(45);
    expect(lines).toHaveLength(45);
    expect(claimedWithoutLine).toEqual([]);
    const batches = [...w.batches.values()];
    expect(batches.every((b) => b.status === 'pending' && b.maker === MAKER.user && b.lineCount <= 7)).toBe(
      true,
    );
    expect(await readBatchJob(deps, job.jobId)).toMatchObject({
      status: 'done',
      areas: { done: 2, total: 2 },
      batches: 8,
      lines: 45,
      total: 45 * 13_500,
    });
  });

  it("reads a district's index once when one batch takes all it has", async () => {
    // Arrange: 45 households, 23 in Dadu and 22 in Sanghar, batches of up to 50; index reads counted.
    const { w, deps, jobs } = jobWorld(45);
    const unbatched = deps.enrollments.unbatched;
    let reads = 0;
    const counted = {
      ...deps,
      enrollments: {
        ...deps.enrollments,
        unbatched: (q: Parameters<typeof unbatched>[0]) => {
          reads++;
          return unbatched(q);
        },
      },
    };
    const job = await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 50 }, MAKER);

    // Act
    for (const item of jobs.sent) await runBatchWork(counted, item);

    // Assert
    expect(reads).toBe(2);
    expect(w.batches.size).toBe(2);
    expect(await readBatchJob(deps, job.jobId)).toMatchObject({ status: 'done', batches: 2, lines: 45 });
  });

  it('makes nothing more when a finished district is delivered again', async () => {
    const { w, deps, jobs } = jobWorld(45);
    await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 7 }, MAKER);
    for (const item of jobs.sent) await runBatchWork(deps, item);
    const before = w.batches.size;

    const again = await runBatchWork(deps, jobs.sent[0] as (typeof jobs.sent)[number]);

    expect(again).toEqual({ batches: 0, lines: 0, resumed: false, more: false });
    expect(w.batches.size).toBe(before);
  });

  // 120 households, 60 a district, batches of 50: two chunks of 25 claims in flight in the first batch.
  const POINTS = [
    'batch-job.after-start',
    'batch-make.after-header',
    'batch-make.after-claims',
    'batch-make.after-lines',
    'batch-make.after-transition',
    'batch-job.after-batch',
  ];
  it.each(POINTS)(
    'after a crash at %s, the re-run gives every claimed household its line, as the run not stopped',
    async (point) => {
      // Arrange: the run that is not stopped, and the one that crashes once at `point`.
      const reference = jobWorld(120);
      const referenceJob = await startBatchJob(
        reference.deps,
        { campaignId: 'C-FLOOD1', maxLines: 50 },
        MAKER,
      );
      for (const item of reference.jobs.sent) await runBatchWork(reference.deps, item);
      const { w, deps, jobs } = jobWorld(120);
      const job = await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 50 }, MAKER);
      const [dadu, sanghar] = jobs.sent;
      if (!dadu || !sanghar) throw new Error('two work items expected');
      setCrashHook(crashOnceAt(point));
      await expect(runBatchWork(deps, dadu)).rejects.toBeInstanceOf(InjectedCrashError);
      await settle();

      // Act: the item is delivered again; the other district runs as usual.
      await runBatchWork(deps, dadu);
      await runBatchWork(deps, sanghar);

      // Assert
      const { lines, claimedWithoutLine } = outcome(w);
      expect(claimedWithoutLine).toEqual([]);
      expect(lines.map((l) => l.householdId).sort()).toEqual(
        outcome(reference.w)
          .lines.map((l) => l.householdId)
          .sort(),
      );
      const made = [...w.batches.values()].filter((b) => b.lineCount > 0);
      for (const batch of made) {
        expect(batch.status).toBe('pending');
        expect(batch.lineCount).toBe(w.lines.get(batch.batchId)?.size);
        expect(batch.lineCount).toBeLessThanOrEqual(50);
      }
      expect(w.audit.filter((e) => e.action === 'payment-batch.create')).toHaveLength(made.length);
      const progress = await readBatchJob(deps, job.jobId);
      const expected = await readBatchJob(reference.deps, referenceJob.jobId);
      expect(progress).toMatchObject({ status: 'done', lines: expected.lines, total: expected.total });
      expect(progress.batches).toBe(made.length);
    },
  );
});

describe('finishBuildingBatch', () => {
  it('releases the claims without a line of a batch a checker rejected while it was built', async () => {
    // Arrange: a crash after the first claims, then a checker rejects the batch left building.
    const { w, deps, jobs } = jobWorld(120);
    await startBatchJob(deps, { campaignId: 'C-FLOOD1', maxLines: 50 }, MAKER);
    const [dadu] = jobs.sent;
    if (!dadu) throw new Error('a work item expected');
    setCrashHook(crashOnceAt('batch-make.after-claims'));
    await expect(runBatchWork(deps, dadu)).rejects.toBeInstanceOf(InjectedCrashError);
    await settle();
    const [building] = [...w.batches.values()];
    if (!building) throw new Error('a batch expected');
    w.batches.set(building.batchId, {
      ...building,
      status: 'rejected',
      rejectReason: 'stopped by the checker',
    });

    // Act
    await finishBuildingBatch(deps, building.batchId, CHECKER);

    // Assert
    expect(outcome(w).claimedWithoutLine).toEqual([]);
  });
});
