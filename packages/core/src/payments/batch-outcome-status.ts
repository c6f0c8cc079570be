import { loadBatch } from './decide-batch.js';
import { isApprovedStatus } from './maker-checker.js';
import type { PaymentBatch, PaymentLine } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/**
 * The status an approved batch's lines call for once every line's result is applied (its verdict
 * recorded and its consequences done): `settled` when all were paid, `partly-paid` when any failed.
 * Undefined while a line still waits for a result, or its result is still being applied.
 */
export function outcomeStatusOf(lines: readonly PaymentLine[]): 'settled' | 'partly-paid' | undefined {
  if (lines.length === 0) return undefined;
  if (lines.some((l) => !l.outcome || l.settledOutcome !== l.outcome)) return undefined;
  return lines.every((l) => l.outcome === 'PAID') ? 'settled' : 'partly-paid';
}

/**
 * Moves an approved batch to the status its applied results call for: one compare-and-set on the
 * header from the status read. Run by a result import after its lines and budget are done and before
 * the import is marked applied, so an import a crash interrupted (still `applying`) redoes it when
 * it is resumed; a batch already at that status is left alone. A `partly-paid` batch becomes
 * `settled` when a later file reports its failed lines paid (PAID wins over FAILED).
 */
export async function settleBatchStatus(
  deps: Pick<PaymentServiceDeps, 'batches' | 'clock'>,
  batchId: string,
  lines: readonly PaymentLine[],
): Promise<PaymentBatch> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const batch = await loadBatch(deps, batchId);
    const target = outcomeStatusOf(lines);
    if (!target || batch.status === target || !isApprovedStatus(batch.status)) return batch;
    if (batch.status === 'settled') return batch;
    const next: PaymentBatch = { ...batch, status: target, settledAt: deps.clock.now().toISOString() };
    if (await deps.batches.transition(batchId, batch.status, next)) return next;
  }
  return loadBatch(deps, batchId);
}
