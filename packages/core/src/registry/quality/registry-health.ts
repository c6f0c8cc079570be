import { maskPhone } from '../../intake/phone.js';
import { headOf, type QualityHousehold, type QualityMember } from './quality-household.js';
import { compareCodePoints } from './sample-size.js';

/** The ID authority's status of each CNIC hash it knows (the identity import), read by key. */
export interface IdentityStatuses {
  statusOf(cnicHashes: readonly string[]): Promise<ReadonlyMap<string, 'ALIVE' | 'DECEASED' | 'BLOCKED'>>;
}

export interface HealthOptions {
  readonly now: Date;
  /** A survey older than this is due for an update (the registry's cycle is 3 to 5 years). */
  readonly staleAfterYears: number;
  /** A phone listed by at least this many households is flagged. */
  readonly sharedPhoneThreshold: number;
  /** How many examples each finding keeps (the report is one item). */
  readonly examples: number;
}

export const DEFAULT_HEALTH_OPTIONS: Omit<HealthOptions, 'now'> = {
  staleAfterYears: 4,
  sharedPhoneThreshold: 5,
  examples: 20,
};

export interface FieldCompleteness {
  readonly field: string;
  readonly level: 'household' | 'member';
  readonly filled: number;
  readonly total: number;
}

export interface RegistryHealthReport {
  readonly generatedAt: string;
  readonly households: number;
  readonly members: number;
  readonly completeness: readonly FieldCompleteness[];
  readonly staleSurveys: {
    readonly olderThanYears: number;
    /** Surveys before this date are stale. */
    readonly cutoff: string;
    readonly households: number;
    readonly examples: readonly string[];
  };
  readonly sharedPhones: {
    readonly threshold: number;
    readonly phones: number;
    readonly households: number;
    /** Masked numbers, most households first. */
    readonly top: readonly { readonly phone: string; readonly households: number }[];
  };
  readonly membersInSeveralHouseholds: {
    readonly people: number;
    readonly households: number;
    readonly examples: readonly (readonly string[])[];
  };
  readonly deceasedHeads: { readonly households: number; readonly examples: readonly string[] };
}

const HOUSEHOLD_FIELDS: readonly [string, (h: QualityHousehold) => boolean][] = [
  ['province', (h) => Boolean(h.province?.trim())],
  ['district', (h) => Boolean(h.district?.trim())],
  ['tehsil', (h) => Boolean(h.tehsil?.trim())],
  ['surveyedAt', (h) => Boolean(h.surveyedAt)],
  ['pmtScore', (h) => typeof h.pmtScore === 'number' && Number.isFinite(h.pmtScore)],
  ['phones', (h) => h.phones.length > 0],
  ['enumerator', (h) => Boolean(h.enumerator?.trim())],
];
const MEMBER_FIELDS: readonly [string, (m: QualityMember) => boolean][] = [
  ['name', (m) => Boolean(m.name?.trim())],
  ['gender', (m) => Boolean(m.gender)],
  ['birthYear', (m) => typeof m.birthYear === 'number'],
  ['relation', (m) => Boolean(m.relation)],
  ['maritalStatus', (m) => Boolean(m.maritalStatus)],
  ['disabled', (m) => typeof m.disabled === 'boolean'],
];

/** The date `years` whole years before `now` (UTC), as `YYYY-MM-DD`. */
export function yearsBefore(now: Date, years: number): string {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff.toISOString().slice(0, 10);
}

/** Whether a household's survey is older than the cutoff (a household with no survey date is due too). */
export const isDueForUpdate = (household: QualityHousehold, cutoff: string) =>
  household.status !== 'provisional' && (!household.surveyedAt || household.surveyedAt.slice(0, 10) < cutoff);

/**
 * The registry's health, read page by page (a job, never a request: `npx madad quality`): how
 * complete each field is, surveys older than the update cycle, phones many households list, people
 * listed in several households, and heads the ID authority records as deceased. Memory grows with
 * the registry's distinct phones and people (two counters each).
 */
export async function computeRegistryHealth(
  deps: {
    readonly pages: AsyncIterable<readonly QualityHousehold[]>;
    readonly identities: IdentityStatuses;
    readonly onProgress?: (households: number) => void;
  },
  options: HealthOptions,
): Promise<RegistryHealthReport> {
  const cutoff = yearsBefore(options.now, options.staleAfterYears);
  const filled = new Map<string, number>();
  const phoneHouseholds = new Map<string, number>();
  const personHouseholds = new Map<string, string[]>();
  const stale: string[] = [];
  const deceased: string[] = [];
  let households = 0;
  let members = 0;
  let staleCount = 0;
  for await (const page of deps.pages) {
    const heads = new Map<string, string>();
    for (const household of page) {
      households += 1;
      members += household.members.length;
      for (const [field, has] of HOUSEHOLD_FIELDS) if (has(household)) bump(filled, field, 1);
      for (const member of household.members) {
        for (const [field, has] of MEMBER_FIELDS) if (has(member)) bump(filled, `member.${field}`, 1);
        const listed = personHouseholds.get(member.cnicHash);
        if (!listed) personHouseholds.set(member.cnicHash, [household.householdId]);
        else if (!listed.includes(household.householdId)) listed.push(household.householdId);
      }
      for (const phone of new Set(household.phones)) bump(phoneHouseholds, phone, 1);
      if (isDueForUpdate(household, cutoff)) {
        staleCount += 1;
        if (stale.length < options.examples) stale.push(household.householdId);
      }
      const head = headOf(household);
      if (head) heads.set(head.cnicHash, household.householdId);
    }
    const statuses = heads.size > 0 ? await deps.identities.statusOf([...heads.keys()]) : new Map();
    for (const [hash, householdId] of heads)
      if (statuses.get(hash) === 'DECEASED') deceased.push(householdId);
    deps.onProgress?.(households);
  }
  const shared = [...phoneHouseholds].filter(([, n]) => n >= options.sharedPhoneThreshold);
  shared.sort(([a, n], [b, m]) => m - n || compareCodePoints(a, b));
  const several = [...personHouseholds.values()].filter((ids) => ids.length > 1);
  const completeness: FieldCompleteness[] = [
    ...HOUSEHOLD_FIELDS.map(([field]) => ({
      field,
      level: 'household' as const,
      filled: filled.get(field) ?? 0,
      total: households,
    })),
    ...MEMBER_FIELDS.map(([field]) => ({
      field,
      level: 'member' as const,
      filled: filled.get(`member.${field}`) ?? 0,
      total: members,
    })),
  ];
  return {
    generatedAt: options.now.toISOString(),
    households,
    members,
    completeness,
    staleSurveys: {
      olderThanYears: options.staleAfterYears,
      cutoff,
      households: staleCount,
      examples: stale,
    },
    sharedPhones: {
      threshold: options.sharedPhoneThreshold,
      phones: shared.length,
      households: shared.reduce((sum, [, n]) => sum + n, 0),
      top: shared
        .slice(0, options.examples)
        .map(([phone, n]) => ({ phone: maskPhone(phone), households: n })),
    },
    membersInSeveralHouseholds: {
      people: several.length,
      households: new Set(several.flat()).size,
      examples: several.slice(0, options.examples).map((ids) => [...ids].sort(compareCodePoints)),
    },
    deceasedHeads: { households: deceased.length, examples: deceased.slice(0, options.examples) },
  };
}

function bump(map: Map<string, number>, key: string, by: number) {
  map.set(key, (map.get(key) ?? 0) + by);
}
