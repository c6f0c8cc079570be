import { parseCsvRecords, verifyInstructionsCsv } from '@madad/core';
import type { AuditEntryView, BatchView, StaffApi } from './staff-api.js';

/** The staff who pay: each a different user, as maker-checker requires. */
export interface PayingStaff {
  /** program-officer: makes batches, stages the results file. */
  readonly maker: StaffApi;
  /** approver: approves each batch. */
  readonly approver: StaffApi;
  /** approver (another user): confirms the staged results. */
  readonly confirmer: StaffApi;
  /** auditor: reads the ledger and its verification. */
  readonly auditor: StaffApi;
}

/** What the payment leg did, and the totals it compares. */
export interface PaymentCounts {
  readonly batches: number;
  readonly lines: number;
  /** Households held at batch creation for want of a valid payee (never paid). */
  readonly held: number;
  /** PKR: the batches' totals, the bank files' amounts (each file checksum-verified), the budget's paid. */
  readonly batchTotal: number;
  readonly bankFileTotal: number;
  readonly bankFileLines: number;
  readonly bankFilesVerified: boolean;
  readonly budgetPaid: number;
  readonly budgetPaidHouseholds: number;
  readonly budgetDuplicates: number;
  /** Lines staged PAID in the ledger's `payment-batch.results` entries, and confirmed paid in `results-confirm`. */
  readonly ledgerResultsPaidLines: number;
  readonly ledgerConfirmedPaidLines: number;
  /**
   * PKR by the ledger: the sum of the `payment-batch.results-confirm` entries' `paidAmount` (the
   * rupees of the lines each confirmed import recorded PAID), and of their `failedAmount` and
   * `duplicateAmount`; no batch total is consulted.
   */
  readonly ledgerPaid: number;
  readonly ledgerFailed: number;
  readonly ledgerDuplicates: number;
  readonly makers: readonly string[];
  readonly approvers: readonly string[];
  readonly confirmers: readonly string[];
  readonly seconds: number;
  readonly ok: boolean;
}

/** The references and amounts of a CSV instruction file, after its checksum line was verified. */
function readBankFile(csv: string): { ok: boolean; references: string[]; total: number } {
  const check = verifyInstructionsCsv(csv);
  const [header, ...rows] = parseCsvRecords(csv.slice(0, csv.lastIndexOf('#checksum,')));
  const at = (name: string) => header?.indexOf(name) ?? -1;
  const references = rows.map((r) => r[at('paymentReference')] ?? '');
  const total = rows.reduce((sum, r) => sum + Number(r[at('amount')]), 0);
  return { ok: check.ok && check.total === total && check.lines === rows.length, references, total };
}

const afterOf = (entry: AuditEntryView | undefined, key: string) => Number(entry?.after?.[key] ?? 0);

/**
 * Pays a drained surge's campaign as staff would: the maker makes batches until none is left, a
 * different approver approves each, the CSV instruction file is exported, a results file marking
 * every line PAID is staged by the maker and confirmed by a third user. Then the totals are compared:
 * bank files = batches = the budget's paid = the ledger.
 */
export async function payCampaign(
  staff: PayingStaff,
  campaignId: string,
  options: { maxLines?: number; log?: (line: string) => void } = {},
): Promise<PaymentCounts> {
  const started = Date.now();
  const batches: BatchView[] = [];
  let held = 0;
  let bankFileTotal = 0;
  let bankFileLines = 0;
  let bankFilesVerified = true;
  const confirmers = new Set<string>();
  for (;;) {
    const made = await staff.maker.createBatch(campaignId, options.maxLines ?? 1000);
    if (!made) break;
    held += made.heldCount ?? 0;
    if (made.status !== 'pending') continue; // only held households: nothing to approve
    const approved = await staff.approver.approveBatch(made.batchId);
    const file = readBankFile(await staff.maker.instructionsCsv(made.batchId));
    bankFilesVerified &&= file.ok;
    bankFileTotal += file.total;
    bankFileLines += file.references.length;
    const results = `paymentReference,status\n${file.references.map((r) => `${r},PAID`).join('\n')}\n`;
    const { importId } = await staff.maker.stageResults(made.batchId, results);
    await staff.confirmer.confirmResults(made.batchId, importId);
    batches.push(approved);
    options.log?.(`Batch ${made.batchId}: ${made.lineCount} lines, PKR ${made.total} approved and paid`);
  }
  const { budget, items } = await staff.auditor.paymentBatches(campaignId);
  const ours = new Set(batches.map((b) => b.batchId));
  const entries = (await staff.auditor.auditEntries()).filter((e) =>
    ours.has(e.subject.replace(/^payment-batch\//, '')),
  );
  const of = (action: string) => entries.filter((e) => e.action === action);
  const approvals = new Set(of('payment-batch.approve').map((e) => e.subject));
  const confirms = of('payment-batch.results-confirm');
  for (const confirm of confirms) confirmers.add(confirm.actor);
  const ledgerSum = (key: string) => confirms.reduce((sum, e) => sum + afterOf(e, key), 0);
  const ledgerPaid = ledgerSum('paidAmount');
  const ledgerFailed = ledgerSum('failedAmount');
  const ledgerDuplicates = ledgerSum('duplicateAmount');
  const ledgerResultsPaidLines = of('payment-batch.results').reduce((s, e) => s + afterOf(e, 'paid'), 0);
  const ledgerConfirmedPaidLines = of('payment-batch.results-confirm').reduce(
    (s, e) => s + afterOf(e, 'paid'),
    0,
  );
  const paidBatches = items.filter((b) => ours.has(b.batchId));
  const batchTotal = paidBatches.reduce((sum, b) => sum + b.total, 0);
  const lines = paidBatches.reduce((sum, b) => sum + b.lineCount, 0);
  const makers = [...new Set(paidBatches.map((b) => b.maker))];
  const approvers = [...new Set(paidBatches.map((b) => b.approvedBy ?? ''))];
  const separated = makers.every((m) => !approvers.includes(m) && !confirmers.has(m));
  return {
    batches: batches.length,
    lines,
    held,
    batchTotal,
    bankFileTotal,
    bankFileLines,
    bankFilesVerified,
    budgetPaid: budget.paid,
    budgetPaidHouseholds: budget.paidHouseholds,
    budgetDuplicates: budget.duplicates,
    ledgerResultsPaidLines,
    ledgerConfirmedPaidLines,
    ledgerPaid,
    ledgerFailed,
    ledgerDuplicates,
    makers,
    approvers,
    confirmers: [...confirmers],
    seconds: (Date.now() - started) / 1000,
    ok:
      batches.length > 0 &&
      bankFilesVerified &&
      bankFileLines === lines &&
      bankFileTotal === batchTotal &&
      budget.paid === batchTotal &&
      budget.paidHouseholds === lines &&
      budget.duplicates === 0 &&
      ledgerPaid === batchTotal &&
      ledgerFailed === 0 &&
      ledgerDuplicates === 0 &&
      ledgerResultsPaidLines === lines &&
      ledgerConfirmedPaidLines === lines &&
      approvals.size === batches.length &&
      separated,
  };
}
