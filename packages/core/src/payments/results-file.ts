import { ValidationError } from '../errors.js';
import { type LineOutcome, type PaymentResult, PaymentResultSchema, PaymentResultsSchema } from './model.js';

/** Splits one CSV row, honouring double-quoted fields with `""` escapes. */
function splitCsvRow(row: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const ch = row[i];
    if (quoted) {
      if (ch === '"' && row[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

function parseCsv(text: string): unknown[] {
  const rows = text.split(/\r?\n/).filter((r) => r.trim() !== '' && !r.startsWith('#'));
  if (rows[0]?.toLowerCase().startsWith('paymentreference')) rows.shift();
  return rows.map((row) => {
    const [paymentReference, status, reason, paidAt] = splitCsvRow(row);
    return {
      paymentReference,
      status: status?.toUpperCase(),
      ...(reason ? { reason } : {}),
      ...(paidAt ? { paidAt } : {}),
    };
  });
}

/**
 * Reads a provider's result file: a JSON array of `{paymentReference, status, reason?, paidAt?}` or
 * CSV `paymentReference,status,reason[,paidAt]` (header optional). Any bad line refuses the whole
 * file, with the line numbers, so nothing is silently dropped.
 */
export function parseResultsFile(body: string, contentType: string): PaymentResult[] {
  let raw: unknown;
  if (/json/i.test(contentType)) {
    try {
      raw = JSON.parse(body);
    } catch {
      throw new ValidationError('The result file is not valid JSON');
    }
  } else {
    raw = parseCsv(body);
  }
  if (!Array.isArray(raw)) throw new ValidationError('The result file must be a JSON array or CSV');
  const problems = raw.flatMap((line, i) => {
    const parsed = PaymentResultSchema.safeParse(line);
    return parsed.success ? [] : [{ line: i + 1, message: parsed.error.issues[0]?.message ?? 'invalid' }];
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
