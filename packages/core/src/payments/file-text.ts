// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const DROPPED = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text bound for a payment file. Control characters (NUL, line breaks, tabs, C1), bidirectional
 * overrides and isolates, and line or paragraph separators never reach a file: a line break or tab
 * becomes a space, the rest are dropped. Names are validated at import too; this is the last defence.
 */
export function fileText(value: string): string {
  return value
    .replace(/[\t\n\r\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(DROPPED, '')
    .trim();
}

/** A cell a spreadsheet would read as a formula (`= + - @`, also after spaces, or a leading TAB/CR). */
const FORMULA = /^\s*[=+\-@]/;

/**
 * One CSV cell (RFC 4180): cleaned by {@link fileText}, a would-be formula prefixed with `'` so a
 * spreadsheet shows it as text, and quoted when it holds a comma or a quote.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const raw = String(value);
  let text = fileText(raw);
  if (FORMULA.test(text) || /^[\t\r]/.test(raw)) text = `'${text}`;
  return /[",]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into records. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      wasQuoted = false;
    } else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** XML 1.0 character data or attribute value: cleaned by {@link fileText}, markup characters escaped. */
export function xmlText(value: string): string {
  return fileText(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
