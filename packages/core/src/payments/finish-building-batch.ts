import { choosePayee } from './choose-payee.js';
import { auditBatchMade, LINES_PER_WRITE, lineFor } from './create-batch.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { PaymentBatch, PaymentLine, StaffActor } from './model.js';
import type { PayableEnrollment, PaymentServiceDeps } from './ports.js';

/**
 * Completes a batch whose maker stopped before it was done (a crash, a timeout, a redelivered work
 * item), so that no household stays claimed without a line: the district's enrollments claimed by the
 * batch get the lines they lack (payee re-checked; one no longer payable is released for a later
 * batch to hold), then the batch leaves `building` and its creation is audited once. A batch rejected
 * while it was being built releases the claims it has no line for. Undefined when the header was never
 * written (nothing was claimed before it).
 */
export async function finishBuildingBatch(
  deps: PaymentServiceDeps,
  batchId: string,
  actor: StaffActor,
): Promise<PaymentBatch | undefined> {
  const batch = await deps.batches.get(batchId);
  if (!batch) return undefined;
  const { campaignId, district } = batch;
  const claimed = district ? await deps.enrollments.claimedBy({ campaignId, district, batchId }) : [];
  const lines = await deps.batches.lines(batchId);
  const lined = new Set(lines.map((l) => l.householdId));
  const missing = claimed.filter((e) => !lined.has(e.householdId));
  const release = (ids: readonly string[]) =>
    mapBounded(ids, WRITE_CONCURRENCY, (id) => deps.enrollments.release(campaignId, id, batchId));

  if (batch.status !== 'building') {
    if (batch.status === 'rejected') await release(missing.map((e) => e.householdId));
    else await auditBatchMade(deps, actor, batch, lines, 0);
    return batch;
  }
  const { made, unpayable } = await linesFor(deps, batchId, missing);
  await release(unpayable);
  await mapBounded(chunksOf(made, LINES_PER_WRITE), 2, (chunk) => deps.batches.putLines(chunk));
  const all = [...lines, ...made];
  const finished: PaymentBatch =
    all.length > 0
      ? {
          ...batch,
          status: 'pending',
          lineCount: all.length,
          total: all.reduce((sum, l) => sum + l.amount, 0),
        }
      : { ...batch, status: 'rejected', rejectReason: 'No enrollment could be claimed' };
  if (!(await deps.batches.transition(batchId, 'building', finished))) {
    // Rejected meanwhile: every claim of the batch goes back.
    await release(claimed.map((e) => e.householdId));
    return deps.batches.get(batchId);
  }
  if (all.length > 0) await auditBatchMade(deps, actor, finished, all, 0);
  return finished;
}

async function linesFor(deps: PaymentServiceDeps, batchId: string, missing: readonly PayableEnrollment[]) {
  const ids = missing.map((e) => e.householdId);
  if (ids.length === 0) return { made: [] as PaymentLine[], unpayable: [] as string[] };
  const [members, lastPaid] = await Promise.all([deps.payees.members(ids), deps.history.lastPaid(ids)]);
  const made: PaymentLine[] = [];
  const unpayable: string[] = [];
  for (const enrollment of missing) {
    const choice = choosePayee(members.get(enrollment.householdId));
    if ('held' in choice) unpayable.push(enrollment.householdId);
    else {
      const attempt = enrollment.paymentAttempt ?? 1;
      made.push(
        lineFor(batchId, { enrollment, payee: choice.payee }, attempt, lastPaid.get(enrollment.householdId)),
      );
    }
  }
  return { made, unpayable };
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}
