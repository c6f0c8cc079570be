import { type Rejection, reject } from '../import-validation.js';
import { type CodeBook, type CodedField, decodeCode, knownCodes } from './codes.js';
import type { ImportFileKind } from './columns.js';

/** The coded fields of each kind's record (members' fields for households). */
const RECORD_CODES: { readonly [K in ImportFileKind]: readonly CodedField[] } = {
  registry: ['source'],
  identity: ['gender', 'status'],
  exclusions: ['filter'],
  areas: [],
};
const MEMBER_CODES: readonly CodedField[] = ['gender', 'relation', 'maritalStatus', 'disabled'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function decodeFields(
  book: CodeBook,
  fields: readonly CodedField[],
  record: Record<string, unknown>,
  path: (string | number)[],
): Record<string, unknown> | Rejection {
  const out = { ...record };
  for (const field of fields) {
    const value = record[field];
    if (value === undefined) continue;
    const stored = decodeCode(book, field, value);
    if (stored === undefined) {
      const where = [...path, field].join('.');
      return reject(
        'UNKNOWN_CODE',
        `${where}: "${String(value)}" is not a known code (known: ${knownCodes(book, field)})`,
        [...path, field],
      );
    }
    out[field] = stored;
  }
  return out;
}

const isRejection = (value: unknown): value is Rejection => isObject(value) && value.ok === false;

/**
 * Maps the coded fields of a decoded record (from NDJSON or CSV) to the stored values, whatever
 * their case or spelling (`F`, `HEAD`, `Married`, `1` where mapped). Anything not an object is left
 * to the schema, which says what is wrong with it.
 */
export function applyCodes(kind: ImportFileKind, book: CodeBook, data: unknown): unknown {
  if (!isObject(data)) return data;
  const record = decodeFields(book, RECORD_CODES[kind], data, []);
  if (isRejection(record) || kind !== 'registry' || !Array.isArray(record.members)) return record;
  const members: unknown[] = [];
  for (const [i, member] of record.members.entries()) {
    if (!isObject(member)) {
      members.push(member);
      continue;
    }
    const decoded = decodeFields(book, MEMBER_CODES, member, ['members', i]);
    if (isRejection(decoded)) return decoded;
    members.push(decoded);
  }
  return { ...record, members };
}

export { isRejection };
