import { randomUUID } from 'node:crypto';
import type { Campaign } from '../campaign.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { payeeOf } from '../expand-area.js';
import { mapBounded } from './map-bounded.js';
import {
  type CreateBatchRequest,
  CreateBatchRequestSchema,
  type PaymentBatch,
  type PaymentLine,
  paymentReferenceFor,
  type StaffActor,
} from './model.js';
import type { PayableEnrollment, PayeeCandidate, PaymentServiceDeps } from './ports.js';

/** Conditional writes in flight per request: enough to build a 5000-line batch well within an API call. */
export const WRITE_CONCURRENCY = 16;

/** The household's designated recipient (the woman head or spouse where there is one). */
export function choosePayee(members: readonly PayeeCandidate[] | undefined): PayeeCandidate | undefined {
  if (!members || members.length === 0) return undefined;
  const hash = payeeOf({ members });
  return members.find((m) => m.cnicHash === hash);
}

function districtsOf(campaign: Campaign, district: string | undefined): string[] {
  const declared = [...new Map(campaign.areas.map((a) => [a.district.toUpperCase(), a.district])).values()];
  if (!district) return declared;
  const match = declared.find((d) => d.toUpperCase() === district.toUpperCase());
  if (!match) throw new ValidationError(`District ${district} is not in campaign ${campaign.campaignId}`);
  return [match];
}

export interface CreatedBatch {
  readonly batch: PaymentBatch;
  /** Enrollments found but left out: no payee in the registry, or claimed by another batch meanwhile. */
  readonly skipped: readonly { householdId: string; reason: 'NO_PAYEE' | 'ALREADY_BATCHED' }[];
}

/**
 * The maker's step: gathers enrollments that are in no batch (or whose payment failed) from the
 * campaign index, claims each with a conditional write on its enrollment item, and records one line
 * per claimed household with its payee and a stable payment reference. The batch stays `building`
 * until every claim is made, so no checker can approve a half-built batch.
 */
export async function createPaymentBatch(
  deps: PaymentServiceDeps,
  input: CreateBatchRequest,
  actor: StaffActor,
): Promise<CreatedBatch> {
  const request = CreateBatchRequestSchema.parse(input);
  const campaign = await deps.campaigns.get(request.campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${request.campaignId}`);
  if (campaign.status === 'draft') throw new ConflictError('A draft campaign has nothing to pay yet');

  const candidates: PayableEnrollment[] = [];
  for (const district of districtsOf(campaign, request.district)) {
    const limit = request.maxLines - candidates.length;
    if (limit <= 0) break;
    const found = await deps.enrollments.unbatched({
      campaignId: campaign.campaignId,
      district,
      limit,
      ...(request.category ? { category: request.category } : {}),
    });
    candidates.push(...found.filter((e) => e.paymentState !== 'paid'));
  }
  if (candidates.length === 0) {
    throw new ConflictError(`Campaign ${campaign.campaignId} has no unbatched enrollments to pay`);
  }

  const members = await deps.payees.members(candidates.map((e) => e.householdId));
  const batchId = `B-${randomUUID().slice(0, 8).toUpperCase()}`;
  const building: PaymentBatch = {
    batchId,
    campaignId: campaign.campaignId,
    ...(request.district ? { district: request.district } : {}),
    ...(request.category ? { category: request.category } : {}),
    status: 'building',
    lineCount: 0,
    total: 0,
    maker: actor.user,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.batches.create(building);

  const skipped: { householdId: string; reason: 'NO_PAYEE' | 'ALREADY_BATCHED' }[] = [];
  const lines: PaymentLine[] = [];
  await mapBounded(candidates, WRITE_CONCURRENCY, async (enrollment) => {
    const payee = choosePayee(members.get(enrollment.householdId));
    if (!payee) {
      skipped.push({ householdId: enrollment.householdId, reason: 'NO_PAYEE' });
      return;
    }
    const claim = await deps.enrollments.claim(enrollment.campaignId, enrollment.householdId, batchId);
    if (!claim.claimed) {
      skipped.push({ householdId: enrollment.householdId, reason: 'ALREADY_BATCHED' });
      return;
    }
    const line: PaymentLine = {
      batchId,
      paymentReference: paymentReferenceFor(enrollment.campaignId, enrollment.householdId, claim.attempt),
      campaignId: enrollment.campaignId,
      householdId: enrollment.householdId,
      attempt: claim.attempt,
      category: enrollment.category,
      amount: enrollment.amount,
      district: enrollment.district,
      payeeCnic: payee.cnic,
      payeeCnicMasked: payee.cnicMasked,
      payeeName: payee.name,
      payeeCnicHash: payee.cnicHash,
    };
    // Written right after its claim, so a rejection can release whatever a crashed maker claimed.
    await deps.batches.putLines([line]);
    lines.push(line);
  });

  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  const finished: PaymentBatch =
    lines.length > 0
      ? { ...building, status: 'pending', lineCount: lines.length, total }
      : { ...building, status: 'rejected', rejectReason: 'No enrollment could be claimed' };
  if (!(await deps.batches.transition(batchId, 'building', finished))) {
    await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
      deps.enrollments.release(l.campaignId, l.householdId, batchId),
    );
    throw new ConflictError(`Batch ${batchId} was rejected while it was being built`);
  }
  if (lines.length === 0) {
    throw new ConflictError('Every enrollment found was claimed by another batch meanwhile', { skipped });
  }
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.create',
    subject: `payment-batch/${batchId}`,
    after: {
      status: finished.status,
      campaignId: finished.campaignId,
      district: finished.district,
      category: finished.category,
      lineCount: finished.lineCount,
      total: finished.total,
      skipped: skipped.length,
    },
  });
  return { batch: finished, skipped };
}
