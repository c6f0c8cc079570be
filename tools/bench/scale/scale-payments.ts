import type { StaffRole } from '@madad/core';
import { type ScaleStage, stageOf } from './scale-report.js';
import type { Staff } from './scale-run.js';

/** The batch route's largest batch, and districts made at once (as makePaymentBatchesByArea). */
const MAX_LINES = 5000;
const AREAS_IN_PARALLEL = 4;

const MAKER = { user: 'officer-bench', roles: ['program-officer'] as StaffRole[] };
const CHECKER = { user: 'approver-bench', roles: ['approver'] as StaffRole[] };

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json();
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
 * Batch make (the batch route per district until nothing is left, 4 districts at once), approve (a
 * second user), export (each batch's payment file to S3) and results import (every line PAID, staged
 * by the maker, confirmed by the checker), each timed, all through the staff API.
 */
export async function runPayments(
  staff: Staff,
  campaignId: string,
  districts: readonly string[],
  log: (line: string) => void,
): Promise<{ stages: ScaleStage[]; batches: number; exportedAt: number }> {
  const batches: { batchId: string; lineCount: number }[] = [];
  const makeSeconds = await timed(() =>
    inParallel(districts, AREAS_IN_PARALLEL, async (district) => {
      for (;;) {
        const made = await staff('/api/v1/payment-batches', MAKER.roles, MAKER.user, {
          method: 'POST',
          body: JSON.stringify({ campaignId, district, maxLines: MAX_LINES }),
        });
        if (made.status === 409) return;
        batches.push((await expectStatus(made, 201, `batch ${district}`)) as (typeof batches)[number]);
      }
    }),
  );
  const lines = batches.reduce((sum, b) => sum + b.lineCount, 0);
  log(`batch make ${makeSeconds.toFixed(1)} s: ${batches.length} batches, ${lines} lines`);
  const post = (path: string, who: typeof MAKER, status: number, init: RequestInit = {}) =>
    staff(path, who.roles, who.user, { method: 'POST', ...init }).then((r) => expectStatus(r, status, path));
  const approveSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      await post(`/api/v1/payment-batches/${b.batchId}/approve`, CHECKER, 200);
    }),
  );
  log(`approve ${approveSeconds.toFixed(1)} s`);
  const exportSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      await post(`/api/v1/payment-batches/${b.batchId}/file`, MAKER, 201);
    }),
  );
  const exportedAt = performance.now() / 1000;
  log(`export ${exportSeconds.toFixed(1)} s`);
  const resultsSeconds = await timed(() =>
    inParallel(batches, AREAS_IN_PARALLEL, async (b) => {
      const batch = (await (
        await staff(`/api/v1/payment-batches/${b.batchId}`, CHECKER.roles, CHECKER.user)
      ).json()) as { lines: { paymentReference: string }[] };
      const csv = ['paymentReference,status', ...batch.lines.map((l) => `${l.paymentReference},PAID`)].join(
        '\n',
      );
      const staged = (await post(`/api/v1/payment-batches/${b.batchId}/results`, MAKER, 202, {
        body: csv,
        headers: { 'content-type': 'text/csv' },
      })) as { importId: string };
      await post(`/api/v1/payment-batches/${b.batchId}/results/${staged.importId}/confirm`, CHECKER, 200);
    }),
  );
  log(`results import ${resultsSeconds.toFixed(1)} s`);
  return {
    stages: [
      stageOf('batch make', lines, makeSeconds),
      stageOf('approve', lines, approveSeconds),
      stageOf('export', lines, exportSeconds),
      stageOf('results import', lines, resultsSeconds),
    ],
    batches: batches.length,
    exportedAt,
  };
}
