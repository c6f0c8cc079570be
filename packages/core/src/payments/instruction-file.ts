import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { PaymentBatch, PaymentLine } from './model.js';

export const INSTRUCTION_HEADER = 'paymentReference,payeeCnic,payeeName,amount,district';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// The file's order must not depend on the order the store returned the lines in.
const byReference = (lines: readonly PaymentLine[]) =>
  [...lines].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : 1));

/**
 * The CSV payment instruction file: a header, one line per payment, and a final checksum line
 * `#checksum,sha256=<hex>,lines=<n>,total=<sum>` where the hash covers every preceding line, each
 * ended by `\n`. The same batch always renders to the same bytes.
 */
export function renderInstructionsCsv(lines: readonly PaymentLine[]): string {
  const body = [
    INSTRUCTION_HEADER,
    ...byReference(lines).map((l) =>
      [l.paymentReference, l.payeeCnic, l.payeeName, l.amount, l.district].map(csvField).join(','),
    ),
  ]
    .map((line) => `${line}\n`)
    .join('');
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  return `${body}#checksum,sha256=${sha256(body)},lines=${lines.length},total=${total}\n`;
}

/** The JSON variant; its checksum is the SHA-256 of the canonical JSON of `lines`. */
export function renderInstructionsJson(batch: PaymentBatch, lines: readonly PaymentLine[]) {
  const rows = byReference(lines).map((l) => ({
    paymentReference: l.paymentReference,
    payeeCnic: l.payeeCnic,
    payeeName: l.payeeName,
    amount: l.amount,
    district: l.district,
  }));
  const total = rows.reduce((sum, l) => sum + l.amount, 0);
  return {
    batchId: batch.batchId,
    campaignId: batch.campaignId,
    currency: 'PKR',
    approvedBy: batch.approvedBy,
    approvedAt: batch.approvedAt,
    lines: rows,
    checksum: { sha256: sha256(canonicalJson(rows)), lines: rows.length, total },
  };
}

export type InstructionCheck =
  | { readonly ok: true; readonly lines: number; readonly total: number }
  | { readonly ok: false; readonly reason: string };

/** Checks a CSV instruction file against its checksum line, as the receiving bank would. */
export function verifyInstructionsCsv(file: string): InstructionCheck {
  const at = file.lastIndexOf('#checksum,');
  if (at < 0 || (at > 0 && file[at - 1] !== '\n')) return { ok: false, reason: 'no checksum line' };
  const body = file.slice(0, at);
  const match = /^#checksum,sha256=([0-9a-f]{64}),lines=(\d+),total=(\d+)\n?$/.exec(file.slice(at));
  if (!match) return { ok: false, reason: 'malformed checksum line' };
  const [, hash, lines, total] = match;
  if (sha256(body) !== hash) return { ok: false, reason: 'sha256 does not match' };
  const rows = body.split('\n').filter((l) => l !== '');
  if (rows[0] !== INSTRUCTION_HEADER) return { ok: false, reason: 'unexpected header' };
  if (rows.length - 1 !== Number(lines)) return { ok: false, reason: 'line count does not match' };
  // Amounts are integers and never quoted, so the second-last field of each row is the amount.
  const sum = rows.slice(1).reduce((s, row) => s + Number(row.split(',').at(-2)), 0);
  if (sum !== Number(total)) return { ok: false, reason: 'total does not match' };
  return { ok: true, lines: Number(lines), total: sum };
}
