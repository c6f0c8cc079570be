import { ConflictError } from '../errors.js';
import type { PaymentLine } from './model.js';
import type { BatchSettlement, PaymentServiceDeps } from './ports.js';

const MAX_ATTEMPTS = 20;

/**
 * What a batch's lines add to the budget, from the outcomes whose consequences are done: PKR paid
 * counts every PAID line (a duplicate is money disbursed too), households paid count each household
 * once, and FAILED lines give their reservation back.
 */
export function settlementOf(lines: readonly PaymentLine[]): BatchSettlement {
  const totals = {
    paid: 0,
    paidHouseholds: 0,
    released: 0,
    releasedHouseholds: 0,
    duplicates: 0,
    duplicateAmount: 0,
  };
  for (const l of lines) {
    if (l.settledOutcome === 'PAID') {
      totals.paid += l.amount;
      if (l.duplicateOf) {
        totals.duplicates += 1;
        totals.duplicateAmount += l.amount;
      } else totals.paidHouseholds += 1;
    } else if (l.settledOutcome === 'FAILED') {
      totals.released += l.amount;
      totals.releasedHouseholds += 1;
    }
  }
  return totals;
}

const same = (a: BatchSettlement, b: BatchSettlement) =>
  (Object.keys(a) as (keyof BatchSettlement)[]).every((k) => a[k] === b[k]);

/**
 * Brings the campaign budget in line with the batch's lines. The settlement recorded on the budget
 * item is read first, then the lines, then replaced by compare-and-set: a concurrent import that
 * recorded verdicts meanwhile either made this write fail (and it is derived again) or settles
 * after it from lines that include both. Re-running it changes nothing, so a crash never counts a
 * payment twice or leaves one out.
 */
export async function settleBatchBudget(
  deps: Pick<PaymentServiceDeps, 'budget' | 'batches'>,
  campaignId: string,
  batchId: string,
): Promise<BatchSettlement> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const recorded = await deps.budget.settlement(campaignId, batchId);
    const next = settlementOf(await deps.batches.lines(batchId));
    if (recorded.totals && same(recorded.totals, next)) return next;
    if (await deps.budget.settle(campaignId, batchId, recorded.version, next)) return next;
  }
  throw new ConflictError(`The budget of campaign ${campaignId} is busy; try the import again`);
}
