import { ConflictError } from '../errors.js';
import { type CreatedBatch, createPaymentBatch } from './create-batch.js';
import { mapBounded } from './map-bounded.js';
import type { CreateBatchRequest, PaymentBatch, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/** Districts whose batches are made at once. */
export const BATCH_AREAS_IN_PARALLEL = 4;

export interface MadeBatches {
  readonly batches: readonly PaymentBatch[];
  readonly lines: number;
  readonly total: number;
  /** Households held for want of a valid payee, over every batch made. */
  readonly held: number;
  /** False when `stop` ended the run before every district was done: running it again continues. */
  readonly complete: boolean;
}

/**
 * The maker's step for a campaign of any size: its enrollments in work items of one district and at
 * most `maxLines` lines (one batch each), the districts made in parallel, each district's batches one
 * after another until none is left to claim. Each batch is made by {@link createPaymentBatch} (claims
 * are conditional per enrollment), so a run interrupted anywhere is completed by running it again:
 * what was claimed stays in its batch, the rest goes into new ones, and no household is in two.
 * `onBatch` reports each batch as it is made (progress); `stop`, asked before each batch, ends the run
 * early (a caller's time budget): the batches made stay, and running it again makes the rest.
 */
export async function makePaymentBatchesByArea(
  deps: PaymentServiceDeps,
  input: Omit<CreateBatchRequest, 'district'> & { readonly districts: readonly string[] },
  actor: StaffActor,
  onBatch: (made: CreatedBatch) => void = () => undefined,
  stop: () => boolean = () => false,
): Promise<MadeBatches> {
  const { districts, ...request } = input;
  const batches: PaymentBatch[] = [];
  let held = 0;
  // A failure in one district stops the others after their current batch: the run is re-run whole.
  let failed = false;
  let stopped = false;
  await mapBounded(districts, BATCH_AREAS_IN_PARALLEL, async (district) => {
    while (!failed) {
      if (stop()) {
        stopped = true;
        return;
      }
      let made: CreatedBatch;
      try {
        made = await createPaymentBatch(deps, { ...request, district }, actor);
      } catch (error) {
        // Nothing left to claim in the district (or only households held for want of a payee).
        if (error instanceof ConflictError) return;
        failed = true;
        throw error;
      }
      batches.push(made.batch);
      held += made.batch.heldCount ?? 0;
      onBatch(made);
    }
  });
  return {
    batches,
    lines: batches.reduce((sum, b) => sum + b.lineCount, 0),
    total: batches.reduce((sum, b) => sum + b.total, 0),
    held,
    complete: !stopped,
  };
}
