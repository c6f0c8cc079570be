import { AreaImportSchema, type AreaRecord } from '../gazetteer/area-record.js';
import {
  type AreaResolver,
  type LineResult,
  parseJsonLine,
  reject,
  validateExclusionRecord,
  validateHouseholdRecord,
  validateIdentityRecord,
} from '../import-validation.js';
import type { ExclusionImport, HouseholdImport, IdentityImport } from '../registry-schemas.js';
import { applyCodes, isRejection } from './coded-record.js';
import { type CodeMapping, codeBook } from './codes.js';
import { type ImportFileKind, mapHeader } from './columns.js';
import { csvCells, csvFields, csvHeader, quoteOpen } from './csv-record.js';
import { addHouseholdRow, householdRecord, type PendingHousehold, startHousehold } from './household-rows.js';

export type ImportFormat = 'csv' | 'ndjson';

/** The record each kind of file holds. */
export interface ImportRecords {
  registry: HouseholdImport;
  identity: IdentityImport;
  exclusions: ExclusionImport;
  areas: AreaRecord;
}

export interface DecoderOptions {
  readonly format: ImportFormat;
  /** CSV: the file's header line, when the lines pushed do not start with it (a chunk of a file). */
  readonly header?: string;
  /** Codes beyond the built-in ones (`{"gender": {"1": "male", "2": "female"}}`). */
  readonly codes?: CodeMapping;
  /** Longest line (characters) read; a longer one is rejected as LINE_TOO_LONG. Default 65,536. */
  readonly maxLineLength?: number;
  /** Registry: the gazetteer in force (default the built-in one). */
  readonly areas?: AreaResolver;
}

/** A record read from one or more lines: the first line's number, the lines, and what they say. */
export interface DecodedRecord<T> {
  readonly line: number;
  readonly raw: string;
  readonly result: LineResult<T>;
}

/**
 * Reads an import file line by line, in order: `push` each physical line (no line ending) with its
 * number, then `end()`. Each returns the records it completed. A CSV record may span lines (a quoted
 * newline) and a registry CSV household spans its member rows, so a record can complete a few
 * lines after it began. The CLI and the cloud import workers both read files through this.
 */
export interface ImportDecoder<T> {
  push(raw: string, line: number): DecodedRecord<T>[];
  end(): DecodedRecord<T>[];
  /** CSV header columns this kind does not read (worth telling the operator; not an error). */
  readonly ignoredColumns: readonly string[];
}

/** A CSV header lacks a column the kind needs: nothing can be read, so the import stops before it starts. */
export class ImportHeaderError extends Error {
  override readonly name = 'ImportHeaderError';
}

export const DEFAULT_MAX_LINE_LENGTH = 65_536;
const SHOWN = 200;

/** NDJSON or CSV from the file name, else from its first line (`{` starts NDJSON). */
export function importFormatOf(file: string, firstLine = ''): ImportFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(nd)?jsonl?$/i.test(file)) return 'ndjson';
  return firstLine
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
    ? 'ndjson'
    : 'csv';
}

function validatorFor<K extends ImportFileKind>(
  kind: K,
  areas: AreaResolver | undefined,
): (data: unknown) => LineResult<ImportRecords[K]> {
  const validators: { [X in ImportFileKind]: (data: unknown) => LineResult<ImportRecords[X]> } = {
    registry: (data) => validateHouseholdRecord(data, areas),
    identity: validateIdentityRecord,
    exclusions: validateExclusionRecord,
    areas: (data) => {
      const parsed = AreaImportSchema.safeParse(data);
      if (parsed.success) return { ok: true, value: parsed.data };
      const issue = parsed.error.issues[0];
      return reject('SCHEMA', `${issue?.path.join('.') || '(line)'}: ${issue?.message ?? 'invalid'}`);
    },
  };
  return validators[kind];
}

/** The one decoder of import files: NDJSON or CSV, codes mapped, lines over the limit refused. */
export function importDecoder<K extends ImportFileKind>(
  kind: K,
  options: DecoderOptions,
): ImportDecoder<ImportRecords[K]> {
  type T = ImportRecords[K];
  const book = codeBook(options.codes);
  const validate = validatorFor(kind, options.areas);
  const maxLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const decode = (data: unknown): LineResult<T> => {
    const coded = applyCodes(kind, book, data);
    return isRejection(coded) ? coded : validate(coded);
  };
  const tooLong = (line: number, raw: string): DecodedRecord<T> => ({
    line,
    raw: `${raw.slice(0, SHOWN)}…`,
    result: reject('LINE_TOO_LONG', `line of ${raw.length} characters, over the maximum of ${maxLength}`),
  });

  if (options.format === 'ndjson') {
    return {
      ignoredColumns: [],
      push(raw, line) {
        if (raw.length > maxLength) return [tooLong(line, raw)];
        const json = parseJsonLine(line === 1 ? raw.replace(/^\uFEFF/, '') : raw);
        return [{ line, raw, result: json.ok ? decode(json.data) : json }];
      },
      end: () => [],
    };
  }

  let header: ReturnType<typeof mapHeader> | undefined;
  const useHeader = (line: string) => {
    header = mapHeader(kind, csvHeader(line));
    if (header.missing.length > 0) {
      throw new ImportHeaderError(
        `The CSV header lacks ${header.missing.join(', ')} (docs/imports.md lists the column names read)`,
      );
    }
  };
  if (options.header !== undefined) useHeader(options.header);

  let open: { line: number; text: string } | undefined;
  let household: PendingHousehold | undefined;
  const flush = (): DecodedRecord<T>[] => {
    if (!household) return [];
    const h = household;
    household = undefined;
    const raw = h.raws.join('\n');
    const result: LineResult<T> = h.conflicts.length
      ? reject('SCHEMA', `rows of household ${h.householdId} disagree: ${h.conflicts.slice(0, 3).join('; ')}`)
      : decode(householdRecord(h));
    return [{ line: h.line, raw, result }];
  };

  const record = (line: number, raw: string): DecodedRecord<T>[] => {
    const cells = csvCells(raw);
    if (!header) throw new ImportHeaderError('CSV read without a header');
    const fields = isRejection(cells) ? cells : csvFields(header.columns, cells);
    if (isRejection(fields)) return [{ line, raw, result: fields }];
    if (kind !== 'registry') return [{ line, raw, result: decode({ ...fields.record }) }];
    const id = fields.record.householdId;
    if (id === undefined)
      return [{ line, raw, result: reject('SCHEMA', 'householdId: missing', ['householdId']) }];
    if (household && household.householdId === String(id)) {
      addHouseholdRow(household, line, raw, fields.record, fields.member);
      return [];
    }
    const done = flush();
    household = startHousehold(line, raw, fields.record, fields.member);
    return done;
  };

  const decoder: ImportDecoder<T> = {
    get ignoredColumns() {
      return header?.ignored ?? [];
    },
    push(raw, line) {
      if (!header) {
        useHeader(raw);
        return [];
      }
      const text = open ? `${open.text}\n${raw}` : raw;
      const first = open?.line ?? line;
      if (text.length > maxLength) {
        open = undefined;
        return [tooLong(first, text)];
      }
      if (quoteOpen(text)) {
        open = { line: first, text };
        return [];
      }
      open = undefined;
      return record(first, text);
    },
    end() {
      const unclosed: DecodedRecord<T>[] = open
        ? [
            {
              line: open.line,
              raw: open.text,
              result: reject('INVALID_CSV', 'a quoted cell is never closed'),
            },
          ]
        : [];
      open = undefined;
      return [...unclosed, ...flush()];
    },
  };
  return decoder;
}
