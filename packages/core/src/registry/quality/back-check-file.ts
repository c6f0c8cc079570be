import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { ValidationError } from '../../errors.js';
import { BACK_CHECK_FIELDS, type BackCheckField } from './back-check-fields.js';
import type { ValidatorResult } from './back-check-report.js';
import type { Sample } from './draw-sample.js';
import { headOf, type QualityHousehold } from './quality-household.js';

/** What identifies a household for the visit; the validator fills the `BACK_CHECK_FIELDS` columns. */
export const BACK_CHECK_ID_COLUMNS = [
  'sampleId',
  'stratum',
  'householdId',
  'drawKey',
  'province',
  'district',
  'tehsil',
  'enumerator',
  'headName',
] as const;

/**
 * The sample as a CSV for the validator (RFC 4180, UTF-8, a header line): who to visit, and an
 * empty column for each fact to re-collect. The registry's own values are left out on purpose, so
 * the visit records what it finds rather than confirms what it is shown.
 */
export function backCheckCsv(sample: Sample, households: ReadonlyMap<string, QualityHousehold>): string {
  const rows = sample.households.map((drawn) => {
    const household = households.get(drawn.householdId);
    return [
      sample.sampleId,
      drawn.stratum,
      drawn.householdId,
      drawn.key,
      household?.province ?? '',
      household?.district ?? '',
      household?.tehsil ?? '',
      household?.enumerator ?? '',
      (household && headOf(household)?.name) ?? '',
      ...BACK_CHECK_FIELDS.map(() => ''),
    ];
  });
  return stringify([[...BACK_CHECK_ID_COLUMNS, ...BACK_CHECK_FIELDS], ...rows]);
}

const ResultRowSchema = z.looseObject({
  sampleId: z.string().optional(),
  householdId: z.string().trim().min(1, 'householdId is empty'),
});

export interface ParsedResults {
  readonly results: ValidatorResult[];
  readonly rejected: { readonly line: number; readonly reason: string }[];
}

/**
 * Reads a validator's results file: the exported CSV with the re-collected columns filled in (any
 * column order, a BOM and CRLF line ends accepted; an empty cell means not collected). A line of
 * another sample, outside the sample, or repeated, is rejected with its reason, never dropped.
 */
export function parseBackCheckResults(text: string, sample: Sample): ParsedResults {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new ValidationError(`The results file is not CSV: ${(error as Error).message}`);
  }
  const header = Object.keys(records[0] ?? {});
  if (records.length > 0 && !header.includes('householdId')) {
    throw new ValidationError('The results file has no householdId column');
  }
  const inSample = new Set(sample.households.map((h) => h.householdId));
  const seen = new Set<string>();
  const results: ValidatorResult[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for (const [index, record] of records.entries()) {
    const line = index + 2;
    const row = ResultRowSchema.safeParse(record);
    const householdId = row.success ? row.data.householdId : '';
    const sampleId = row.success ? row.data.sampleId : undefined;
    const reason = !row.success
      ? (row.error.issues[0]?.message ?? 'invalid')
      : sampleId && sampleId !== sample.sampleId
        ? `another sample (${sampleId})`
        : !inSample.has(householdId)
          ? `${householdId} is not in the sample`
          : seen.has(householdId)
            ? `${householdId} repeated`
            : undefined;
    if (reason) {
      rejected.push({ line, reason });
      continue;
    }
    seen.add(householdId);
    const values: Partial<Record<BackCheckField, string>> = {};
    for (const field of BACK_CHECK_FIELDS) {
      const value = record[field];
      if (typeof value === 'string' && value !== '') values[field] = value;
    }
    results.push({ householdId, values });
  }
  return { results, rejected };
}
