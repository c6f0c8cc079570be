import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import { gatherPayable } from './gather-payable.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import {
  type CreateBatchRequest,
  CreateBatchRequestSchema,
  type PaymentBatch,
  type PaymentLine,
  paymentReferenceFor,
  type StaffActor,
} from './model.js';
import type { PayableEnrollment, PayeeCandidate, PaymentServiceDeps } from './ports.js';

/** Lines written in one batch write, right after their claims (DynamoDB's BatchWriteItem takes 25). */
export const LINES_PER_WRITE = 25;
/** Chunks of claims in flight at once: {@link WRITE_CONCURRENCY} claims in all. */
const CHUNKS_IN_FLIGHT = 2;

/** Held households kept on the batch header for staff to see (the count is kept in full). */
const HELD_SHOWN = 200;

/** Nothing in the district (or the campaign) could be claimed: the batch maker's signal to stop. */
export class NothingToBatchError extends ConflictError {}

/** A checker rejected the batch while it was being built: its claims were released. */
export class BatchRejectedWhileBuildingError extends ConflictError {}

/** A new batch id (`B-` and 8 letters or digits). */
export function newBatchId(): string {
  return `B-${randomUUID().slice(0, 8).toUpperCase()}`;
}

export type SkipReason = 'NO_MEMBERS' | 'NO_VALID_PAYEE' | 'ALREADY_BATCHED';

export interface CreatedBatch {
  readonly batch: PaymentBatch;
  /**
   * Enrollments found but left out: held for want of a valid payee (with the members refused and
   * why), or claimed by another batch meanwhile.
   */
  readonly skipped: readonly {
    householdId: string;
    reason: SkipReason;
    refused?: Readonly<Record<string, number>>;
  }[];
  /** Only for one district: every unbatched enrollment it had was in this batch (none left to claim). */
  readonly exhausted: boolean;
}

/**
 * The maker's step: gathers enrollments that are in no batch (or whose failed payment may be
 * retried) from the campaign index, re-checks each household's payee against the ID authority (a
 * household with no valid payee is held, with the reason, and not claimed), claims each with a
 * conditional write on its enrollment item, and records one line per claimed household with its
 * payee, a stable payment reference, and whether the payee changed since the household's last
 * payment. The batch stays `building` until every claim is made, so no checker can approve a
 * half-built batch.
 */
export async function createPaymentBatch(
  deps: PaymentServiceDeps,
  input: CreateBatchRequest,
  actor: StaffActor,
  /** The batch job records the id before the header is written, so a re-run finds the batch. */
  options: { readonly batchId?: string } = {},
): Promise<CreatedBatch> {
  const request = CreateBatchRequestSchema.parse(input);
  const campaign = await deps.campaigns.get(request.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${request.campaignId}`);
  if (campaign.status === 'draft') throw new ConflictError('A draft campaign has nothing to pay yet');

  const now = deps.clock.now().toISOString();
  const { chosen, held, exhausted } = await gatherPayable(deps, campaign, request, now);
  if (chosen.length === 0 && held.length === 0) {
    throw new NothingToBatchError(`Campaign ${campaign.campaignId} has no unbatched enrollments to pay`);
  }
  const lastPaid = await deps.history.lastPaid(chosen.map((c) => c.enrollment.householdId));
  const batchId = options.batchId ?? newBatchId();
  const building: PaymentBatch = {
    batchId,
    campaignId: campaign.campaignId,
    ...(request.district ? { district: request.district } : {}),
    ...(request.category ? { category: request.category } : {}),
    status: 'building',
    lineCount: 0,
    total: 0,
    maker: actor.user,
    createdAt: now,
  };
  await deps.batches.create(building);
  crashPoint('batch-make.after-header');

  const skipped: CreatedBatch['skipped'][number][] = held.map((h) => ({ ...h }));
  const lines: PaymentLine[] = [];
  // Claims go a chunk at a time, and each chunk's lines are written together right after its claims
  // (one batch write, not one write a line), so a rejection can release whatever a crashed maker
  // claimed but the chunks in flight.
  await mapBounded(chunksOf(chosen, LINES_PER_WRITE), CHUNKS_IN_FLIGHT, async (chunk) => {
    const made: PaymentLine[] = [];
    await mapBounded(chunk, WRITE_CONCURRENCY / CHUNKS_IN_FLIGHT, async (choice) => {
      const { campaignId, householdId } = choice.enrollment;
      const claim = await deps.enrollments.claim(campaignId, householdId, batchId, now);
      if (claim.claimed) made.push(lineFor(batchId, choice, claim.attempt, lastPaid.get(householdId)));
      else skipped.push({ householdId, reason: 'ALREADY_BATCHED' });
    });
    crashPoint('batch-make.after-claims');
    if (made.length > 0) await deps.batches.putLines(made);
    lines.push(...made);
  });

  crashPoint('batch-make.after-lines');
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  const heldPart =
    held.length > 0
      ? {
          held: held.sort((a, b) => (a.householdId < b.householdId ? -1 : 1)).slice(0, HELD_SHOWN),
          heldCount: held.length,
        }
      : {};
  const finished: PaymentBatch =
    lines.length > 0
      ? { ...building, ...heldPart, status: 'pending', lineCount: lines.length, total }
      : {
          ...building,
          ...heldPart,
          status: 'rejected',
          rejectReason:
            held.length > 0
              ? 'No household with a valid payee could be claimed'
              : 'No enrollment could be claimed',
        };
  if (!(await deps.batches.transition(batchId, 'building', finished))) {
    await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
      deps.enrollments.release(l.campaignId, l.householdId, batchId),
    );
    throw new BatchRejectedWhileBuildingError(`Batch ${batchId} was rejected while it was being built`);
  }
  crashPoint('batch-make.after-transition');
  if (lines.length === 0) {
    throw new NothingToBatchError(
      held.length > 0
        ? `No line could be made: ${held.length} households held for want of a valid payee`
        : 'Every enrollment found was claimed by another batch meanwhile',
      { skipped: skipped.slice(0, 200) },
    );
  }
  await auditBatchMade(deps, actor, finished, lines, skipped.length);
  return { batch: finished, skipped, exhausted };
}

/** The audit entry of a made batch (idempotent by its action id, so a resumed batch appends it once). */
export async function auditBatchMade(
  deps: Pick<PaymentServiceDeps, 'audit'>,
  actor: StaffActor,
  batch: PaymentBatch,
  lines: readonly PaymentLine[],
  skipped: number,
): Promise<void> {
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.create',
    subject: `payment-batch/${batch.batchId}`,
    after: {
      status: batch.status,
      campaignId: batch.campaignId,
      district: batch.district,
      category: batch.category,
      lineCount: batch.lineCount,
      total: batch.total,
      skipped,
      held: batch.heldCount ?? 0,
      retries: lines.filter((l) => l.attempt > 1).length,
      payeeChanges: lines.filter((l) => l.payeeChangedSince).length,
    },
    actionId: `payment-batch.create/${batch.batchId}`,
  });
}

/** The line of a claimed household: its payee, its stable reference, and whether the payee changed. */
export function lineFor(
  batchId: string,
  { enrollment, payee }: { enrollment: PayableEnrollment; payee: PayeeCandidate },
  attempt: number,
  last: { payeeCnicHash: string; paymentReference: string } | undefined,
): PaymentLine {
  return {
    batchId,
    paymentReference: paymentReferenceFor(enrollment.campaignId, enrollment.householdId, attempt),
    campaignId: enrollment.campaignId,
    householdId: enrollment.householdId,
    attempt,
    category: enrollment.category,
    amount: enrollment.amount,
    district: enrollment.district,
    payeeCnic: payee.cnic,
    payeeCnicMasked: payee.cnicMasked,
    payeeName: payee.name,
    payeeCnicHash: payee.cnicHash,
    ...payeeChange(last, payee.cnicHash),
  };
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

function payeeChange(last: { payeeCnicHash: string; paymentReference: string } | undefined, payee: string) {
  return last && last.payeeCnicHash !== payee ? { payeeChangedSince: last.paymentReference } : {};
}
