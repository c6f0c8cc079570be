import * as z from 'zod';
import { ExclusionFilterSchema } from '../registry-schemas.js';

/** The coded fields of import files, and the values the schemas store. */
export const CODED_FIELDS = {
  gender: ['male', 'female'],
  relation: ['head', 'spouse', 'child', 'parent', 'sibling', 'other'],
  maritalStatus: ['single', 'married', 'widowed', 'divorced'],
  disabled: ['true', 'false'],
  status: ['ALIVE', 'DECEASED', 'BLOCKED'],
  filter: ExclusionFilterSchema.options,
  source: ['survey', 'desk', 'self-registered'],
} as const;
export type CodedField = keyof typeof CODED_FIELDS;

/** Extra codes per field (`{"gender": {"1": "male", "2": "female"}}`), from a mapping file or flag. */
export const CodeMappingSchema = z.partialRecord(
  z.enum(Object.keys(CODED_FIELDS) as [CodedField, ...CodedField[]]),
  z.record(z.string().min(1).max(40), z.string().min(1).max(40)),
);
export type CodeMapping = z.infer<typeof CodeMappingSchema>;

/**
 * The spellings registries and ID authorities use, beyond the stored value itself (always accepted).
 * Numeric codes are not here: `1` is male in one extract and head in another, so they come only
 * from a mapping the operator gives (`--codes FILE`).
 */
const BUILT_IN: { readonly [F in CodedField]: Readonly<Record<string, string>> } = {
  gender: { m: 'male', f: 'female', man: 'male', woman: 'female' },
  relation: {
    hoh: 'head',
    'head of household': 'head',
    self: 'head',
    wife: 'spouse',
    husband: 'spouse',
    son: 'child',
    daughter: 'child',
    father: 'parent',
    mother: 'parent',
    brother: 'sibling',
    sister: 'sibling',
    // Roster answer labels as survey forms print them.
    'husband/wife': 'spouse',
    'son/daughter': 'child',
    'father/mother': 'parent',
    'brother/sister': 'sibling',
    grandchild: 'other',
    grandson: 'other',
    granddaughter: 'other',
    'son in law': 'other',
    'daughter in law': 'other',
    'other relative': 'other',
    'non relative': 'other',
  },
  maritalStatus: {
    unmarried: 'single',
    'never married': 'single',
    widow: 'widowed',
    widower: 'widowed',
  },
  disabled: {
    yes: 'true',
    y: 'true',
    disabled: 'true',
    no: 'false',
    n: 'false',
    none: 'false',
    'not disabled': 'false',
    '1': 'true',
    '0': 'false',
  },
  status: { active: 'ALIVE', dead: 'DECEASED', expired: 'DECEASED', suspended: 'BLOCKED' },
  filter: {},
  source: { 'self registered': 'self-registered', self: 'self-registered' },
};

/** Case, spacing, `_` and `-` do not matter in codes: `HEAD`, `Head`, `never_married`. */
export const foldCode = (value: string): string =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** A lookup from a folded code to the stored value, per field. */
export type CodeBook = { readonly [F in CodedField]: ReadonlyMap<string, string> };

/** The codes of every field: stored values, the built-in spellings, then the operator's mapping (wins). */
export function codeBook(mapping: CodeMapping = {}): CodeBook {
  const book = {} as Record<CodedField, Map<string, string>>;
  for (const field of Object.keys(CODED_FIELDS) as CodedField[]) {
    const map = new Map<string, string>();
    for (const value of CODED_FIELDS[field]) map.set(foldCode(value), value);
    for (const [code, value] of Object.entries(BUILT_IN[field])) map.set(foldCode(code), value);
    for (const [code, value] of Object.entries(mapping[field] ?? {})) {
      const stored = CODED_FIELDS[field].find((v) => foldCode(v) === foldCode(value));
      if (!stored) {
        throw new UnknownCodeTargetError(
          `codes.${field}: "${value}" is not one of ${CODED_FIELDS[field].join(', ')}`,
        );
      }
      map.set(foldCode(code), stored);
    }
    book[field] = map;
  }
  return book;
}

/** A mapping names a value the field does not have (`{"gender": {"1": "man"}}`). */
export class UnknownCodeTargetError extends Error {
  override readonly name = 'UnknownCodeTargetError';
}

/** The stored value of a code, or undefined when the field has no such code. */
export function decodeCode(book: CodeBook, field: CodedField, value: unknown): unknown {
  if (typeof value === 'boolean' && field === 'disabled') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const stored = book[field].get(foldCode(String(value)));
  if (stored === undefined) return undefined;
  return field === 'disabled' ? stored === 'true' : stored;
}

/** What a data owner reads when a code is not known: the field's values and the codes that map to them. */
export function knownCodes(book: CodeBook, field: CodedField): string {
  return [...book[field].keys()].slice(0, 24).join(', ');
}
