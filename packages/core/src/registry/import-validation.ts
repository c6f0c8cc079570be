import type * as z from 'zod';
import { normalizeCnic } from '../intake/cnic.js';
import { normalizePhone } from '../intake/phone.js';
import { type AreaResult, resolveArea } from './areas.js';
import {
  type ExclusionImport,
  ExclusionImportSchema,
  type HouseholdImport,
  HouseholdImportSchema,
  type IdentityImport,
  IdentityImportSchema,
} from './registry-schemas.js';

/**
 * Why an import line was rejected. All but the last two are decided by the line alone; DUPLICATE_MEMBER across
 * lines and DUPLICATE_RECORD need the importer's memory of earlier lines (and the registry).
 */
export type RejectReason =
  | 'INVALID_JSON'
  | 'SCHEMA'
  | 'BAD_CNIC'
  | 'BAD_NAME'
  | 'BAD_PHONE'
  | 'SCORE_OUT_OF_RANGE'
  | 'UNKNOWN_AREA'
  | 'UNKNOWN_CODE'
  | 'INVALID_CSV'
  | 'LINE_TOO_LONG'
  | 'DUPLICATE_MEMBER'
  | 'DUPLICATE_RECORD';

export type LineResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: RejectReason; message: string; path?: (string | number)[] };

export type Rejection = Extract<LineResult<never>, { ok: false }>;

/** Resolves a household's area to its canonical spelling (the gazetteer in force; default the built-in one). */
export type AreaResolver = (province: string, district: string, tehsil: string) => AreaResult;

export const reject = (reason: RejectReason, message: string, path?: (string | number)[]): Rejection => ({
  ok: false,
  reason,
  message,
  ...(path ? { path } : {}),
});

const pathText = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(line)';

function parseJson(raw: string): { ok: true; data: unknown } | Rejection {
  try {
    return { ok: true, data: JSON.parse(raw) };
  } catch (error) {
    return reject('INVALID_JSON', (error as Error).message);
  }
}

/** Maps zod issues to one reason: the specific ones (score, CNIC) first, since they tell the data owner more. */
function schemaRejection(issues: readonly z.core.$ZodIssue[]): Rejection {
  const score = issues.find(
    (i) => i.path[0] === 'pmtScore' && (i.code === 'too_big' || i.code === 'too_small'),
  );
  if (score) return reject('SCORE_OUT_OF_RANGE', `pmtScore: ${score.message} (0-100)`, ['pmtScore']);
  // A CNIC of the wrong length is a bad CNIC; a missing one (or a number) is a schema problem.
  const cnic = issues.find((i) => i.path.at(-1) === 'cnic' && i.code !== 'invalid_type');
  if (cnic) return reject('BAD_CNIC', `${pathText(cnic.path)}: ${cnic.message}`, cnic.path.map(pathKey));
  // A name with a control or bidi character is refused as such, so the data owner knows what to clean.
  const name = issues.find((i) => i.path.at(-1) === 'name' && i.code === 'custom');
  if (name) return reject('BAD_NAME', `${pathText(name.path)}: ${name.message}`, name.path.map(pathKey));
  const first = issues[0];
  const message = issues
    .slice(0, 3)
    .map((i) => `${pathText(i.path)}: ${i.message}`)
    .join('; ');
  return reject('SCHEMA', message, first ? first.path.map(pathKey) : []);
}

const pathKey = (k: PropertyKey): string | number => (typeof k === 'number' ? k : String(k));

function checkSchema<T>(data: unknown, schema: z.ZodType<T>): LineResult<T> {
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : schemaRejection(parsed.error.issues);
}

/** One NDJSON line as its JSON value, or INVALID_JSON. */
export function parseJsonLine(raw: string): { ok: true; data: unknown } | Rejection {
  return parseJson(raw);
}

const fromJson = <T>(raw: string, validate: (data: unknown) => LineResult<T>): LineResult<T> => {
  const json = parseJson(raw);
  return json.ok ? validate(json.data) : json;
};

function cnicAt(raw: string, path: string): { ok: true; cnic: string } | Rejection {
  const result = normalizeCnic(raw);
  return result.ok ? result : reject('BAD_CNIC', `${path}: ${result.error}`, path.split('.').map(pathKey));
}

function phonesAt(raw: readonly string[], path: string): { ok: true; phones: string[] } | Rejection {
  const phones: string[] = [];
  for (const [i, p] of raw.entries()) {
    const result = normalizePhone(p);
    if (!result.ok) return reject('BAD_PHONE', `${path}.${i}: ${result.error}`, [path, i]);
    phones.push(result.phone);
  }
  return { ok: true, phones };
}

/**
 * Validates one household line: JSON, schema, CNICs (normalized, no member twice), phones (E.164) and
 * area (canonical spelling from the gazetteer). The value carries the normalized forms, so the
 * items written are the same whatever way the file spelled them.
 */
export function validateHouseholdLine(raw: string, areas?: AreaResolver): LineResult<HouseholdImport> {
  return fromJson(raw, (data) => validateHouseholdRecord(data, areas));
}

/** Validates a household record already decoded (from NDJSON or CSV rows, codes mapped). */
export function validateHouseholdRecord(
  data: unknown,
  areas: AreaResolver = resolveArea,
): LineResult<HouseholdImport> {
  const line = checkSchema(data, HouseholdImportSchema);
  if (!line.ok) return line;
  const household = line.value;
  const seen = new Set<string>();
  const members: HouseholdImport['members'] = [];
  for (const [i, member] of household.members.entries()) {
    const cnic = cnicAt(member.cnic, `members.${i}.cnic`);
    if (!cnic.ok) return cnic;
    if (seen.has(cnic.cnic)) {
      return reject('DUPLICATE_MEMBER', `members.${i}.cnic appears twice in this household`, [
        'members',
        i,
        'cnic',
      ]);
    }
    seen.add(cnic.cnic);
    members.push({ ...member, cnic: cnic.cnic });
  }
  const phones = phonesAt(household.phones, 'phones');
  if (!phones.ok) return phones;
  const area = areas(household.province, household.district, household.tehsil);
  if (!area.ok) return reject('UNKNOWN_AREA', area.message);
  const { province, district, tehsil } = area;
  return { ok: true, value: { ...household, province, district, tehsil, members, phones: phones.phones } };
}

/** Validates one identity line (the national ID authority's view); CNIC and SIM numbers normalized. */
export function validateIdentityLine(raw: string): LineResult<IdentityImport> {
  return fromJson(raw, validateIdentityRecord);
}

/** Validates an identity record already decoded. */
export function validateIdentityRecord(data: unknown): LineResult<IdentityImport> {
  const line = checkSchema(data, IdentityImportSchema);
  if (!line.ok) return line;
  const cnic = cnicAt(line.value.cnic, 'cnic');
  if (!cnic.ok) return cnic;
  const phones = phonesAt(line.value.simPhones, 'simPhones');
  if (!phones.ok) return phones;
  return { ok: true, value: { ...line.value, cnic: cnic.cnic, simPhones: phones.phones } };
}

/** Validates one exclusion-feed line; the CNIC is normalized. */
export function validateExclusionLine(raw: string): LineResult<ExclusionImport> {
  return fromJson(raw, validateExclusionRecord);
}

/** Validates an exclusion record already decoded. */
export function validateExclusionRecord(data: unknown): LineResult<ExclusionImport> {
  const line = checkSchema(data, ExclusionImportSchema);
  if (!line.ok) return line;
  const cnic = cnicAt(line.value.cnic, 'cnic');
  if (!cnic.ok) return cnic;
  return { ok: true, value: { ...line.value, cnic: cnic.cnic } };
}
