import type { StaffRole } from '@madad/core';
import { type ScaleStage, stageOf } from './scale-report.js';
import type { Staff } from './scale-run.js';

type ResultImport = { importId: string; status: string };

/** The batch route's largest batch, and batches approved, exported or settled at once. */
const MAX_LINES = 5000;
const AREAS_IN_PARALLEL = 4;
/**
 * A call the local API gateway cut at its 29 s (a 503, on a loaded machine) goes on in the stack's
 * process, as a Lambda past API Gateway's limit does: the bench reads the state it waits for instead.
 */
const GATEWAY_TIMEOUT = 503;
const STATE_DEADLINE_MS = 10 * 60_000;

const MAKER = { user: 'officer-bench', roles: ['program-officer'] as StaffRole[] };
const CHECKER = { user: 'approver-bench', roles: ['approver'] as StaffRole[] };

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Polls `read` until it answers a value (a stage's state reached), within {@link STATE_DEADLINE_MS}. */
async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STATE_DEADLINE_MS;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not reached within ${STATE_DEADLINE_MS / 60_000} min`);
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/**
 * Batch make (a batch job: a work item a district, progress polled until done), approve (a
 * second user), export (each batch's payment file to S3) and results import (every line PAID, staged
 * by the maker, confirmed by the checker), each timed, all through the staff API.
 */
export async function runPayments(
  staff: Staff,
  campaignId: string,
  log: (line: string) => void,
  record: (stage: ScaleStage) => void,
): Promise<{ batches: number; exportedAt: number }> {
  type Batch = { batchId: string; lineCount: number; status: string; district?: string };
  const list = async () =>
    (
      (await expectStatus(
        await staff(`/api/v1/payment-batches?campaignId=${campaignId}`, CHECKER.roles, CHECKER.user),
        200,
        'batch list',
      )) as { items: Batch[] }
    ).items;
  // The batch job: one call queues a work item a district (the batch worker makes them, 8 districts at
  // once); its progress is polled until every district is done, then the campaign's batches listed.
  let polls = 0;
  const makeSeconds = await timed(async () => {
    const started = (await expectStatus(
      await staff('/api/v1/payment-batch-jobs', MAKER.roles, MAKER.user, {
        method: 'POST',
        body: JSON.stringify({ campaignId, maxLines: MAX_LINES }),
      }),
      202,
      'batch job',
    )) as { jobId: string; areas: { total: number } };
    log(`batch job ${started.jobId}: ${started.areas.total} districts queued`);
    await until('batch job done', async () => {
      polls++;
      const read = await staff(`/api/v1/payment-batch-jobs/${started.jobId}`, CHECKER.roles, CHECKER.user);
      if (read.status === GATEWAY_TIMEOUT) return undefined;
      const job = (await expectStatus(read, 200, started.jobId)) as {
        status: string;
        areas: { done: number; total: number };
        lines: number;
      };
      if (polls % 10 === 0)
        log(`batch job: ${job.areas.done}/${job.areas.total} districts, ${job.lines} lines`);
      return job.status === 'done' ? job : undefined;
    });
  });
  const batches = (await list()).filter((b) => b.status === 'pending');
  log(`batch make: one job, ${polls} progress reads`);
  const lines = batches.reduce((sum, b) => sum + b.lineCount, 0);
  log(`batch make ${makeSeconds.toFixed(1)} s: ${batches.length} batches, ${lines} lines`);
  record(stageOf('batch make', lines, makeSeconds));
  // A read cut at the gateway is read again.
  const status = async (batchId: string) => {
    for (;;) {
      const read = await staff(`/api/v1/payment-batches/${batchId}`, CHECKER.roles, CHECKER.user);
      if (read.status !== GATEWAY_TIMEOUT)
        return (await expectStatus(read, 200, batchId)) as {
          status: string;
          lines: { paymentReference: string }[];
          imports: ResultImport[];
        };
    }
  };
  /** A POST that may be cut at the gateway: then `reached` is polled until the work it began is done. */
  const act = async (
    path: string,
    who: typeof MAKER,
    ok: number,
    reached: () => Promise<boolean>,
    init?: RequestInit,
  ) => {
    const response = await staff(path, who.roles, who.user, { method: 'POST', ...init });
    if (response.status !== GATEWAY_TIMEOUT) return expectStatus(response, ok, path);
    return until(path, async () => ((await reached()) ? {} : undefined));
  };
  const approveSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      await act(`/api/v1/payment-batches/${b.batchId}/approve`, CHECKER, 200, async () =>
        ['approved', 'sent'].includes((await status(b.batchId)).status),
      );
    }),
  );
  log(`approve ${approveSeconds.toFixed(1)} s`);
  record(stageOf('approve', lines, approveSeconds));
  const exportSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      // Exporting again is the documented way to finish an interrupted export (the file is rewritten whole).
      for (let attempt = 1; ; attempt++) {
        const response = await staff(`/api/v1/payment-batches/${b.batchId}/file`, MAKER.roles, MAKER.user, {
          method: 'POST',
        });
        if (response.status !== GATEWAY_TIMEOUT || attempt === 3) {
          await expectStatus(response, 201, `export ${b.batchId}`);
          return;
        }
      }
    }),
  );
  const exportedAt = performance.now() / 1000;
  log(`export ${exportSeconds.toFixed(1)} s`);
  record(stageOf('export', lines, exportSeconds));
  const resultsSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      const batch = await status(b.batchId);
      const csv = ['paymentReference,status', ...batch.lines.map((l) => `${l.paymentReference},PAID`)].join(
        '\n',
      );
      const staging = await staff(`/api/v1/payment-batches/${b.batchId}/results`, MAKER.roles, MAKER.user, {
        method: 'POST',
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      // Staging cut at the gateway goes on: its import is the one the batch then shows staged.
      const staged =
        staging.status === GATEWAY_TIMEOUT
          ? await until(`stage ${b.batchId}`, async () => {
              const found = (await status(b.batchId)).imports.find((i) => i.status === 'staged');
              return found ? { importId: found.importId } : undefined;
            })
          : ((await expectStatus(staging, 202, `stage ${b.batchId}`)) as { importId: string });
      await act(
        `/api/v1/payment-batches/${b.batchId}/results/${staged.importId}/confirm`,
        CHECKER,
        200,
        async () =>
          (await status(b.batchId)).imports.some(
            (i) => i.importId === staged.importId && i.status === 'applied',
          ),
      );
    }),
  );
  log(`results import ${resultsSeconds.toFixed(1)} s`);
  record(stageOf('results import', lines, resultsSeconds));
  return {
    batches: batches.length,
    exportedAt,
  };
}
