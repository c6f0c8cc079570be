import { NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/index.js';
import { queuePaymentNotices } from '../notifications/payment-notices.js';
import { loadBatch } from './decide-batch.js';
import {
  type PaymentLinePages,
  type StreamedInstructions,
  streamInstructionsCsv,
} from './instruction-stream.js';
import { assertApproved } from './maker-checker.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { StaffActor } from './model.js';
import type { PaymentServiceDeps } from './ports.js';

/** The stack's file store as payment files need it (S3 in the cloud, its emulator locally). */
export interface PaymentFileStore {
  /** Writes the object from text chunks in parts as they come (a multipart upload), never whole. */
  write(key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** A GET link to the object, valid for `seconds`, that downloads it as `filename`. */
  presign(key: string, download: { filename: string; seconds: number }): Promise<string>;
}

export interface PaymentFileDeps extends PaymentServiceDeps {
  readonly files: PaymentFileStore;
  readonly lines: PaymentLinePages;
}

/** Lines read (and enrollments advanced) a page at a time: memory does not grow with the batch. */
export const PAYMENT_FILE_PAGE = 1000;

/** How long a download link works: long enough to start the download, too short to pass around. */
export const DOWNLOAD_LINK_SECONDS = 300;

export function paymentFileKey(batch: { campaignId: string; batchId: string }): string {
  return `payments/${batch.campaignId}/${batch.batchId}/instructions.csv`;
}

/**
 * Writes the approved batch's CSV instruction file to the file store in parts (the same bytes as
 * {@link renderInstructionsCsv}), then, page by page, moves its households to `sent` and queues their
 * SMS, and records the export in the ledger with the file's SHA-256. Re-running it after a crash at
 * any step writes the same bytes to the same key and finds each step done or does it once.
 */
export async function exportInstructionsFile(
  deps: PaymentFileDeps,
  batchId: string,
  actor: StaffActor,
): Promise<StreamedInstructions & { key: string }> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'an instruction file');
  const key = paymentFileKey(batch);
  let figures: StreamedInstructions | undefined;
  await deps.files.write(
    key,
    streamInstructionsCsv(deps.lines.linePages(batchId, PAYMENT_FILE_PAGE), (f) => {
      figures = f;
    }),
    'text/csv; charset=utf-8',
  );
  if (!figures) throw new Error(`The file of batch ${batchId} was not written to its end`);
  crashPoint('export-file.after-write');
  let page = 0;
  for await (const lines of deps.lines.linePages(batchId, PAYMENT_FILE_PAGE)) {
    await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
      deps.enrollments.advance(l.campaignId, l.householdId, batchId, ['batched', 'approved'], 'sent'),
    );
    crashPoint('export-file.after-sent');
    await queuePaymentNotices(deps, {
      key: `payment-batch.export/${batchId}/${page++}`,
      campaignId: batch.campaignId,
      lines: lines.map((line) => ({ line, stage: 'SENT' as const })),
    });
  }
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.export',
    subject: `payment-batch/${batchId}`,
    after: { format: 'csv', file: key, lines: figures.lines, total: figures.total, sha256: figures.sha256 },
  });
  return { ...figures, key };
}

/**
 * A short-lived link to the batch's exported file, for the staff member asking. Each link handed out
 * is a ledger entry (who, which file, until when) made before the link is returned.
 */
export async function downloadInstructionsFile(
  deps: Pick<PaymentFileDeps, 'batches' | 'files' | 'audit' | 'clock'>,
  batchId: string,
  actor: StaffActor,
): Promise<{ url: string; expiresAt: string }> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'a payment file');
  const key = paymentFileKey(batch);
  if (!(await deps.files.exists(key)))
    throw new NotFoundError(`Batch ${batchId} has no payment file yet: export it first`);
  const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString();
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.download',
    subject: `payment-batch/${batchId}`,
    after: { file: key, expiresAt },
  });
  const url = await deps.files.presign(key, {
    filename: `${batchId}-instructions.csv`,
    seconds: DOWNLOAD_LINK_SECONDS,
  });
  return { url, expiresAt };
}
