import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import { queuePaymentNotices } from '../notifications/payment-notices.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import { settleBatchStatus } from './batch-outcome-status.js';
import { loadBatch, readBatch } from './decide-batch.js';
import { assertApproved } from './maker-checker.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { PaymentBatch, PaymentLine, PaymentResult, StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';
import { amountsRecordedBy, type ResultImport, resultImportIdFor } from './result-import-model.js';
import { applyResultLine } from './result-line.js';
import { mergeResults } from './results-file.js';
import { settleBatchBudget } from './settle-budget.js';

export interface ResultReport {
  readonly batchId: string;
  readonly importId: string;
  readonly status: ResultImport['status'];
  readonly uploadedBy: string;
  readonly confirmedBy?: string;
  readonly received: number;
  /** Results that changed a line (first verdict, or FAILED turned PAID); 0 until confirmed. */
  readonly applied: number;
  /** Results already recorded (a re-sent file), or a FAILED after PAID (PAID wins). */
  readonly alreadyApplied: number;
  readonly unknownReferences: readonly string[];
  /** Lines of the batch paid and failed now. */
  readonly paid: number;
  readonly failed: number;
  /** PAID for a household already paid under another reference: money to recover. */
  readonly duplicatePayments: readonly { paymentReference: string; householdId: string; paidUnder: string }[];
}

function reportOf(
  header: ResultImport,
  lines: readonly PaymentLine[],
  counts: { applied: number; alreadyApplied: number } = { applied: 0, alreadyApplied: 0 },
): ResultReport {
  return {
    batchId: header.batchId,
    importId: header.importId,
    status: header.status,
    uploadedBy: header.uploadedBy,
    ...(header.confirmedBy ? { confirmedBy: header.confirmedBy } : {}),
    received: header.received,
    ...counts,
    unknownReferences: header.unknownReferences,
    paid: lines.filter((l) => l.outcome === 'PAID').length,
    failed: lines.filter((l) => l.outcome === 'FAILED').length,
    duplicatePayments: lines.flatMap((l) =>
      l.duplicateOf
        ? [{ paymentReference: l.paymentReference, householdId: l.householdId, paidUnder: l.duplicateOf }]
        : [],
    ),
  };
}

/**
 * The uploader's step: stores a provider's result file against an approved batch, to take effect
 * only once a different staff user confirms it. The import's id is a digest of the batch and the
 * results, so the same file uploaded again names the same import: one already confirmed is
 * completed (a crash during its confirmation is resumed), never applied twice.
 */
export async function stagePaymentResults(
  deps: PaymentServiceDeps,
  batchId: string,
  results: readonly PaymentResult[],
  actor: StaffActor,
): Promise<ResultReport> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'importing results');
  const lines = await deps.batches.lines(batchId);
  const references = new Set(lines.map((l) => l.paymentReference));
  const merged = mergeResults(results);
  const known = merged.filter((r) => references.has(r.paymentReference));
  const importId = resultImportIdFor(batchId, merged);
  const header: ResultImport = {
    importId,
    batchId,
    campaignId: batch.campaignId,
    status: 'staged',
    uploadedBy: actor.user,
    uploaderRole: actor.role,
    uploadedAt: deps.clock.now().toISOString(),
    received: results.length,
    known: known.length,
    filePaid: known.filter((r) => r.status === 'PAID').length,
    fileFailed: known.filter((r) => r.status === 'FAILED').length,
    unknownReferences: merged
      .filter((r) => !references.has(r.paymentReference))
      .map((r) => r.paymentReference)
      .slice(0, 100),
  };
  const amountOf = new Map(lines.map((l) => [l.paymentReference, l.amount]));
  const fileAmount = (status: PaymentResult['status']) =>
    known
      .filter((r) => r.status === status)
      .reduce((sum, r) => sum + (amountOf.get(r.paymentReference) ?? 0), 0);
  const created = (await deps.imports.stage(header, known)) === 'created';
  const staged = created ? header : await loadImport(deps, batchId, importId);
  if (created) crashPoint('results.after-stage');
  // Appended again when the same file comes again: a crash right after staging left it out.
  await deps.audit.append({
    actor: staged.uploadedBy,
    role: staged.uploaderRole ?? actor.role,
    action: 'payment-batch.results',
    subject: `payment-batch/${batchId}`,
    after: {
      importId,
      status: 'staged',
      received: staged.received,
      paid: staged.filePaid,
      failed: staged.fileFailed,
      // PKR of the lines the file reports paid and failed; what was applied is in `results-confirm`.
      paidAmount: fileAmount('PAID'),
      failedAmount: fileAmount('FAILED'),
    },
    actionId: `payment-batch.results/${importId}`,
  });
  if (staged.status === 'applying') return applyImport(deps, staged);
  if (!created) return reportOf(staged, await deps.batches.lines(batchId));
  return reportOf(header, lines);
}

async function loadImport(deps: PaymentServiceDeps, batchId: string, importId: string) {
  const found = await deps.imports.get(batchId, importId);
  if (!found) throw new NotFoundError(`No result import ${importId} for batch ${batchId}`);
  return found;
}

/**
 * The second person's step: applies a staged import. It moves to `applying` with the confirmer
 * recorded (compare-and-set; the uploader may not confirm), then each line's verdict and its
 * consequences are recorded, the campaign budget is derived from the batch's lines, the ledger
 * entry appended, and the import becomes `applied`. Every step is idempotent, so a re-run (of this
 * confirmation, or an upload of the same file) after a crash at any step gives the same final state.
 */
export async function confirmPaymentResults(
  deps: PaymentServiceDeps,
  batchId: string,
  importId: string,
  actor: StaffActor,
): Promise<ResultReport> {
  const header = await loadImport(deps, batchId, importId);
  if (header.status === 'applied') {
    throw new ConflictError(
      `Result import ${importId} was already applied (confirmed by ${header.confirmedBy})`,
    );
  }
  if (header.status === 'applying') return applyImport(deps, header);
  if (sameStaffUserId(header.uploadedBy, actor.user)) {
    throw new ForbiddenError(`You uploaded result import ${importId}; another staff member must confirm it`);
  }
  const applying: ResultImport = {
    ...header,
    status: 'applying',
    confirmedBy: actor.user,
    confirmerRole: actor.role,
    confirmedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.imports.transition(batchId, importId, 'staged', applying))) {
    const now = await loadImport(deps, batchId, importId);
    if (now.status === 'applying') return applyImport(deps, now);
    throw new ConflictError(`Result import ${importId} was confirmed by someone else meanwhile`);
  }
  crashPoint('results.after-applying');
  return applyImport(deps, applying);
}

async function applyImport(deps: PaymentServiceDeps, header: ResultImport) {
  const { batchId, importId } = header;
  const [results, lines] = await Promise.all([
    deps.imports.results(batchId, importId),
    deps.batches.lines(batchId),
  ]);
  const byReference = new Map(lines.map((l) => [l.paymentReference, l]));
  const now = deps.clock.now().toISOString();
  const outcomes = await mapBounded(results, WRITE_CONCURRENCY, async (r) => {
    const line = byReference.get(r.paymentReference);
    if (!line) return 'already' as const;
    return applyResultLine(deps, line, r, { now, importId, uploadedBy: header.uploadedBy });
  });
  crashPoint('results.after-lines');
  await settleBatchBudget(deps, header.campaignId, batchId);
  crashPoint('results.after-budget');
  const after = await deps.batches.lines(batchId);
  // Before the import is marked applied: a crash here leaves it `applying`, and its resumption redoes it.
  const batchNow = await settleBatchStatus(deps, batchId, after);
  crashPoint('results.after-batch-status');
  // Each household whose line this import decided is told, once: paid, or failed and what to do.
  await queuePaymentNotices(deps, {
    key: `payment-batch.results-confirm/${importId}`,
    campaignId: header.campaignId,
    lines: after.flatMap((line) =>
      line.outcome && line.outcomeImportId === importId && !line.duplicateOf
        ? [{ line, stage: line.outcome }]
        : [],
    ),
  });
  const counts = {
    applied: outcomes.filter((o) => o === 'applied').length,
    alreadyApplied: outcomes.filter((o) => o === 'already').length,
  };
  const applied: ResultImport = { ...header, status: 'applied' };
  const report = reportOf(applied, after, counts);
  const recorded = amountsRecordedBy(after, importId);
  await deps.audit.append({
    actor: header.confirmedBy ?? 'unknown',
    role: header.confirmerRole ?? 'program-officer',
    action: 'payment-batch.results-confirm',
    subject: `payment-batch/${batchId}`,
    before: { importId, uploadedBy: header.uploadedBy },
    after: {
      importId,
      received: header.received,
      paid: report.paid,
      failed: report.failed,
      duplicates: report.duplicatePayments.length,
      unknownReferences: header.unknownReferences.length,
      ...recorded,
      // approved while lines wait for results, then settled or partly-paid.
      batchStatus: batchNow.status,
    },
    actionId: `payment-batch.results-confirm/${importId}`,
  });
  crashPoint('results.after-audit');
  await deps.imports.transition(batchId, importId, 'applying', applied);
  return report;
}

/**
 * A batch and its result imports as staff read them: an approval or a confirmed import that a crash
 * interrupted is completed first, so reading the batch brings it and the budget to the state an
 * uncrashed run would have left.
 */
export async function readBatchAndImports(
  deps: PaymentServiceDeps,
  batchId: string,
): Promise<{ batch: PaymentBatch; imports: ResultImport[] }> {
  const batch = await readBatch(deps, batchId);
  const imports = await deps.imports.list(batchId);
  const unfinished = imports.filter((i) => i.status === 'applying');
  for (const header of unfinished) await applyImport(deps, header);
  if (unfinished.length === 0) return { batch, imports };
  return { batch: await loadBatch(deps, batchId), imports: await deps.imports.list(batchId) };
}
