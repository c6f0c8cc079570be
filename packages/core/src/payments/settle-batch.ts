import { createHash } from 'node:crypto';
import { crashPoint } from '../faults/index.js';
import { queuePaymentNotices } from '../notifications/payment-notices.js';
import { loadBatch } from './decide-batch.js';
import { renderInstructionsCsv, renderInstructionsJson } from './instruction-file.js';
import { assertApproved } from './maker-checker.js';
import { mapBounded, WRITE_CONCURRENCY } from './map-bounded.js';
import type { StaffActor } from './model.js';
import { renderInstructionsPain001 } from './pain001.js';
import type { PaymentServiceDeps } from './ports.js';

export type InstructionFormat = 'csv' | 'json' | 'pain001';

function render(
  format: InstructionFormat,
  batch: Parameters<typeof renderInstructionsJson>[0],
  lines: Parameters<typeof renderInstructionsCsv>[0],
) {
  if (format === 'csv') return renderInstructionsCsv(lines);
  if (format === 'pain001') return renderInstructionsPain001(batch, lines);
  return `${JSON.stringify(renderInstructionsJson(batch, lines), null, 2)}\n`;
}

/**
 * The payment instruction file of an approved batch. Exporting is audited, and the batch's
 * households move to `sent` so that STATUS can say the payment is on its way; each is told so by
 * SMS, once (the first export queues the notices; a later one, or a re-run after a crash, finds
 * them queued or queues them again under the same ids, which the aggregator refuses).
 */
export async function exportInstructions(
  deps: PaymentServiceDeps,
  batchId: string,
  format: InstructionFormat,
  actor: StaffActor,
): Promise<string> {
  const batch = await loadBatch(deps, batchId);
  assertApproved(batch, 'an instruction file');
  const lines = await deps.batches.lines(batchId);
  const file = render(format, batch, lines);
  await mapBounded(lines, WRITE_CONCURRENCY, (l) =>
    deps.enrollments.advance(l.campaignId, l.householdId, batchId, ['batched', 'approved'], 'sent'),
  );
  crashPoint('export.after-sent');
  await queuePaymentNotices(deps, {
    key: `payment-batch.export/${batchId}`,
    campaignId: batch.campaignId,
    lines: lines.map((line) => ({ line, stage: 'SENT' as const })),
  });
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'payment-batch.export',
    subject: `payment-batch/${batchId}`,
    after: {
      format,
      lines: lines.length,
      total: batch.total,
      sha256: createHash('sha256').update(file).digest('hex'),
    },
  });
  return file;
}
