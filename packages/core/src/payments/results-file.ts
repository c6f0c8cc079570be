import { parse } from 'csv-parse/sync';
import { ValidationError } from '../errors.js';
import { type LineOutcome, type PaymentResult, PaymentResultSchema, PaymentResultsSchema } from './model.js';

/** A result row and the file line it starts on (a quoted reason may hold a newline). */
interface CsvResultRow {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * The rows of a CSV result file as banks and spreadsheets write them: a UTF-8 byte order mark
 * (Excel), CRLF or LF line endings, quoted fields holding commas, `""` or newlines, `#` comment lines,
 * blank lines. Malformed CSV (an unclosed quote) refuses the file with the line it starts on.
 */
function csvRows(text: string): CsvResultRow[] {
  try {
    // Where each record ends, as the parser counts lines (its context when it hands the record over).
    const ends: number[] = [];
    const records = parse(text, {
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      // Both endings, even mixed in one file (a header typed on Windows, rows appended on Linux).
      record_delimiter: ['\r\n', '\n'],
      relax_column_count: true,
      trim: true,
      on_record: (record, context) => {
        ends.push(context.lines);
        return record;
      },
    });
    // The parser counts a CRLF inside quotes as two lines: undo that.
    let crlfsSoFar = 0;
    return records.map((record, i) => {
      const inside = record.join(',');
      crlfsSoFar += inside.match(/\r\n/g)?.length ?? 0;
      const newlines = inside.match(/\n/g)?.length ?? 0;
      return { line: (ends[i] ?? 0) - crlfsSoFar - newlines, fields: record };
    });
  } catch (error) {
    throw new ValidationError(`The result file is not valid CSV: ${(error as Error).message}`);
  }
}

function parseCsv(text: string): { lines: number[]; rows: unknown[] } {
  const rows = csvRows(text);
  if (rows[0]?.fields[0]?.toLowerCase() === 'paymentreference') rows.shift();
  return {
    lines: rows.map((r) => r.line),
    rows: rows.map(({ fields }) => {
      const [paymentReference, status, reason, paidAt] = fields;
      return {
        paymentReference,
        status: status?.toUpperCase(),
        ...(reason ? { reason } : {}),
        ...(paidAt ? { paidAt } : {}),
      };
    }),
  };
}

/**
 * Reads a provider's result file: a JSON array of `{paymentReference, status, reason?, paidAt?}` or
 * CSV `paymentReference,status,reason[,paidAt]` (header optional; BOM, CRLF and quoted newlines
 * read). Any bad line refuses the whole file, with the line numbers (of the file, for CSV), so
 * nothing is silently dropped.
 */
export function parseResultsFile(body: string, contentType: string): PaymentResult[] {
  let raw: unknown;
  let lineOf = (i: number) => i + 1;
  if (/json/i.test(contentType)) {
    try {
      raw = JSON.parse(body.replace(/^\uFEFF/, ''));
    } catch {
      throw new ValidationError('The result file is not valid JSON');
    }
  } else {
    const csv = parseCsv(body);
    raw = csv.rows;
    lineOf = (i) => csv.lines[i] ?? i + 1;
  }
  if (!Array.isArray(raw)) throw new ValidationError('The result file must be a JSON array or CSV');
  const problems = raw.flatMap((line, i) => {
    const parsed = PaymentResultSchema.safeParse(line);
    return parsed.success ? [] : [{ line: lineOf(i), message: parsed.error.issues[0]?.message ?? 'invalid' }];
  });
  if (problems.length > 0)
    throw new ValidationError('The result file has invalid lines', problems.slice(0, 50));
  const parsed = PaymentResultsSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('The result file must have 1 to 20000 lines');
  return parsed.data;
}

/** What recording `incoming` on a line whose recorded outcome is `current` does: PAID wins over FAILED. */
export function resolveOutcome(current: LineOutcome | undefined, incoming: LineOutcome): 'apply' | 'already' {
  if (current === undefined) return 'apply';
  if (current === 'FAILED' && incoming === 'PAID') return 'apply';
  return 'already';
}

/** One result per reference: a file that says both PAID and FAILED for a payment means PAID. */
export function mergeResults(results: readonly PaymentResult[]): PaymentResult[] {
  const merged = new Map<string, PaymentResult>();
  for (const result of results) {
    const seen = merged.get(result.paymentReference);
    if (!seen || resolveOutcome(seen.status, result.status) === 'apply') {
      merged.set(result.paymentReference, result);
    }
  }
  return [...merged.values()];
}
