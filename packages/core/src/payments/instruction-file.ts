import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { csvCell, fileText, parseCsvRecords } from './file-text.js';
import type { PaymentBatch, PaymentLine } from './model.js';

export const INSTRUCTION_HEADER = 'paymentReference,payeeCnic,payeeName,amount,district';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

// The file's order must not depend on the order the store returned the lines in.
const byReference = (lines: readonly PaymentLine[]) =>
  [...lines].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : 1));

/**
 * The CSV payment instruction file: a header, one line per payment, and a final checksum line
 * `#checksum,sha256=<hex>,lines=<n>,total=<sum>` where the hash covers every preceding line, each
 * ended by `\n`. The same batch always renders to the same bytes. Cells are safe for spreadsheets
 * and line-oriented readers: no control or bidi characters, no line breaks, formulas neutralized.
 */
export function renderInstructionsCsv(lines: readonly PaymentLine[]): string {
  const body = [
    INSTRUCTION_HEADER,
    ...byReference(lines).map((l) =>
      [l.paymentReference, l.payeeCnic, l.payeeName, l.amount, l.district].map(csvCell).join(','),
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
    payeeCnic: fileText(l.payeeCnic),
    payeeName: fileText(l.payeeName),
    amount: l.amount,
    district: fileText(l.district),
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

const COLUMNS = INSTRUCTION_HEADER.split(',');
const AMOUNT = COLUMNS.indexOf('amount');

/**
 * Checks a CSV instruction file against its checksum line, as the receiving bank would: the body
 * is parsed as CSV (quoted fields and all), every record must have the header's columns and a
 * whole-number amount, and the record count and the sum must match the checksum line.
 */
export function verifyInstructionsCsv(file: string): InstructionCheck {
  const at = file.lastIndexOf('#checksum,');
  if (at < 0 || (at > 0 && file[at - 1] !== '\n')) return { ok: false, reason: 'no checksum line' };
  const body = file.slice(0, at);
  const match = /^#checksum,sha256=([0-9a-f]{64}),lines=(\d+),total=(\d+)\n?$/.exec(file.slice(at));
  if (!match) return { ok: false, reason: 'malformed checksum line' };
  const [, hash, lines, total] = match;
  if (sha256(body) !== hash) return { ok: false, reason: 'sha256 does not match' };
  let records: string[][];
  try {
    records = parseCsvRecords(body);
  } catch {
    return { ok: false, reason: 'not valid CSV' };
  }
  const [header, ...rows] = records;
  if (header?.join(',') !== INSTRUCTION_HEADER) return { ok: false, reason: 'unexpected header' };
  if (rows.some((r) => r.length !== COLUMNS.length))
    return { ok: false, reason: 'a row has the wrong columns' };
  if (rows.length !== Number(lines)) return { ok: false, reason: 'line count does not match' };
  if (rows.some((r) => !/^\d+$/.test(r[AMOUNT] ?? '')))
    return { ok: false, reason: 'an amount is not a number' };
  const sum = rows.reduce((s, row) => s + Number(row[AMOUNT]), 0);
  if (sum !== Number(total)) return { ok: false, reason: 'total does not match' };
  return { ok: true, lines: rows.length, total: sum };
}
