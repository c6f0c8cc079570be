import { parse } from 'csv-parse/sync';
import { type Rejection, reject } from '../import-validation.js';
import { type ColumnSpec, cellValue } from './columns.js';

/** The cells of one CSV record (one or more physical lines when a quoted cell holds a newline). */
export function csvCells(text: string): string[] | Rejection {
  // Most rows quote nothing: their cells are the text between commas (RFC 4180); no parser needed.
  if (!text.includes('"') && !text.includes('\r')) return text.split(',');
  try {
    const rows = parse(text, { relax_quotes: false, skip_empty_lines: false }) as string[][];
    if (rows.length !== 1 || !rows[0])
      return reject('INVALID_CSV', `expected one CSV record, found ${rows.length}`);
    return rows[0];
  } catch (error) {
    return reject('INVALID_CSV', (error as Error).message);
  }
}

/** The header line's column names (a UTF-8 byte order mark, as Excel writes, is dropped). */
export function csvHeader(line: string): string[] {
  const cells = csvCells(line.replace(/^\uFEFF/, ''));
  return Array.isArray(cells) ? cells.map((c) => c.trim()) : [];
}

/** True while a record's text has an odd number of quotes: a quoted cell goes on on the next line. */
export const quoteOpen = (text: string): boolean => (text.match(/"/g)?.length ?? 0) % 2 === 1;

/**
 * One CSV record as the record's fields: `{ field: value }` for the columns the kind reads,
 * `members.` fields in `member` (a registry row is one member of its household).
 */
export function csvFields(
  columns: readonly (ColumnSpec | undefined)[],
  cells: readonly string[],
): { record: Record<string, unknown>; member: Record<string, unknown> } | Rejection {
  if (cells.length !== columns.length) {
    return reject('INVALID_CSV', `${cells.length} cells where the header has ${columns.length} columns`);
  }
  const record: Record<string, unknown> = {};
  const member: Record<string, unknown> = {};
  for (const [i, spec] of columns.entries()) {
    if (!spec) continue;
    const value = cellValue(spec.type, cells[i] ?? '');
    if (value === undefined) continue;
    if (spec.field.startsWith('members.')) member[spec.field.slice('members.'.length)] = value;
    else record[spec.field] = value;
  }
  return { record, member };
}
