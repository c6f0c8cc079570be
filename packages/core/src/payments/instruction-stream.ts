import { createHash } from 'node:crypto';
import { csvCell } from './file-text.js';
import { INSTRUCTION_HEADER } from './instruction-file.js';
import type { PaymentLine } from './model.js';

/**
 * The batch's lines a page at a time, in payment-reference order (the order of their keys), so a
 * file of a million lines is written without holding them.
 */
export interface PaymentLinePages {
  linePages(batchId: string, pageSize: number): AsyncIterable<readonly PaymentLine[]>;
}

/** Where the CSV went and what it held: its checksum line's figures. */
export interface StreamedInstructions {
  readonly lines: number;
  readonly total: number;
  readonly bytes: number;
  /** Of the whole file, checksum line included (what the ledger records of an export). */
  readonly sha256: string;
}

/**
 * The CSV instruction file of {@link renderInstructionsCsv}, byte for byte, as text chunks of a page
 * each: the header, the lines of each page, then the checksum line, the hash taken as the text goes
 * out. The pages must come in payment-reference order (a page out of order is refused: the file's
 * order must not depend on the store's). `done` is called with the figures once the last chunk is out.
 */
export async function* streamInstructionsCsv(
  pages: AsyncIterable<readonly PaymentLine[]>,
  done: (figures: StreamedInstructions) => void,
): AsyncGenerator<string> {
  const hash = createHash('sha256');
  const whole = createHash('sha256');
  let lines = 0;
  let total = 0;
  let bytes = 0;
  let previous = '';
  const out = (text: string) => {
    hash.update(text, 'utf8');
    whole.update(text, 'utf8');
    bytes += Buffer.byteLength(text, 'utf8');
    return text;
  };
  yield out(`${INSTRUCTION_HEADER}\n`);
  for await (const page of pages) {
    let chunk = '';
    for (const l of page) {
      if (l.paymentReference <= previous) throw new Error('Payment lines out of reference order');
      previous = l.paymentReference;
      chunk += `${[l.paymentReference, l.payeeCnic, l.payeeName, l.amount, l.district].map(csvCell).join(',')}\n`;
      lines++;
      total += l.amount;
    }
    if (chunk) yield out(chunk);
  }
  const checksum = `#checksum,sha256=${hash.digest('hex')},lines=${lines},total=${total}\n`;
  bytes += Buffer.byteLength(checksum, 'utf8');
  whole.update(checksum, 'utf8');
  yield checksum;
  done({ lines, total, bytes, sha256: whole.digest('hex') });
}
