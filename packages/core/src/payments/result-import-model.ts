import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { PaymentLine, PaymentResult } from './model.js';

/**
 * A bank result file as staged by its uploader: `staged` until a different staff user confirms it,
 * `applying` while its lines are recorded (a re-run or re-upload of the same file completes it),
 * then `applied`.
 */
export type ResultImportStatus = 'staged' | 'applying' | 'applied';

export interface ResultImport {
  readonly importId: string;
  readonly batchId: string;
  readonly campaignId: string;
  readonly status: ResultImportStatus;
  readonly uploadedBy: string;
  readonly uploaderRole?: string;
  readonly uploadedAt: string;
  readonly confirmedBy?: string;
  readonly confirmerRole?: string;
  readonly confirmedAt?: string;
  /** Lines in the file, the distinct references of this batch among them, and what they say. */
  readonly received: number;
  readonly known: number;
  readonly filePaid: number;
  readonly fileFailed: number;
  /** References that are no line of this batch (the first 100). */
  readonly unknownReferences: readonly string[];
}

/** Results of one import, stored in chunks small enough for one DynamoDB item each. */
export const RESULT_CHUNK_SIZE = 2000;

export interface ResultImportStore {
  /** Conditional create of the import with its results; `exists` when that import is already there. */
  stage(header: ResultImport, results: readonly PaymentResult[]): Promise<'created' | 'exists'>;
  get(batchId: string, importId: string): Promise<ResultImport | undefined>;
  /** The results of an import, in the order they were staged. */
  results(batchId: string, importId: string): Promise<PaymentResult[]>;
  /** Compare-and-set on the status. */
  transition(batchId: string, importId: string, from: ResultImportStatus, to: ResultImport): Promise<boolean>;
  list(batchId: string): Promise<ResultImport[]>;
}

/**
 * The id of an import: a digest of the batch and the merged results, so the same file uploaded
 * again (after a crash, or twice by mistake) names the same import and is applied at most once.
 */
export function resultImportIdFor(batchId: string, merged: readonly PaymentResult[]): string {
  const sorted = [...merged].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : 1));
  const digest = createHash('sha256')
    .update(`${batchId}|${canonicalJson(sorted)}`)
    .digest('hex');
  return `R-${digest.slice(0, 16).toUpperCase()}`;
}

/**
 * PKR of the lines whose verdict this import recorded, for its `results-confirm` ledger entry: a
 * PAID line is recorded by exactly one import (PAID is final), so summing `paidAmount` over the
 * ledger's confirmations gives the money disbursed, duplicates included (`duplicateAmount` is the part
 * paid to a household already paid: money to recover). `failedAmount` is what this import reported
 * failed; a later import's PAID for the same line is counted in that import's `paidAmount`. Derived
 * from the lines' stored state, so a confirmation re-run after a crash records the same figures.
 */
export function amountsRecordedBy(
  lines: readonly PaymentLine[],
  importId: string,
): { paidAmount: number; failedAmount: number; duplicateAmount: number } {
  const mine = lines.filter((l) => l.outcomeImportId === importId);
  const sum = (of: readonly PaymentLine[]) => of.reduce((total, l) => total + l.amount, 0);
  const paid = mine.filter((l) => l.outcome === 'PAID');
  return {
    paidAmount: sum(paid),
    failedAmount: sum(mine.filter((l) => l.outcome === 'FAILED')),
    duplicateAmount: sum(paid.filter((l) => l.duplicateOf !== undefined)),
  };
}
