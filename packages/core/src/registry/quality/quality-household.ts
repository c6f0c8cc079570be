/** A member as the quality checks read it from the registry; a field the survey left empty is absent. */
export interface QualityMember {
  readonly cnicHash: string;
  readonly name?: string;
  readonly gender?: string;
  readonly birthYear?: number;
  readonly relation?: string;
  readonly maritalStatus?: string;
  readonly disabled?: boolean;
}

/** A household as the quality checks read it from the registry (the household item, not a decision view). */
export interface QualityHousehold {
  readonly householdId: string;
  readonly province?: string;
  readonly district?: string;
  readonly tehsil?: string;
  /** Who collected it in the field (the survey's enumerator code), when the import carried one. */
  readonly enumerator?: string;
  readonly source?: string;
  readonly status?: string;
  /** ISO date of the survey visit. */
  readonly surveyedAt?: string;
  readonly pmtScore?: number;
  readonly phones: readonly string[];
  readonly members: readonly QualityMember[];
}

/** How a sample is stratified. */
export const STRATIFY_BY = ['district', 'tehsil', 'enumerator', 'source'] as const;
export type StratifyBy = (typeof STRATIFY_BY)[number];

/** Written for a household whose stratifying field is empty, so it still belongs to a stratum. */
export const UNKNOWN_STRATUM = '(unknown)';

const clean = (value: string | undefined) => {
  const trimmed = value?.trim().toUpperCase();
  return trimmed ? trimmed : UNKNOWN_STRATUM;
};

/**
 * The stratum of a household: its district, `DISTRICT/TEHSIL`, enumerator or source, trimmed and
 * upper-cased (the import maps codes case-insensitively, so `Lahore` and `LAHORE` are one stratum).
 */
export function stratumOf(household: QualityHousehold, by: StratifyBy): string {
  switch (by) {
    case 'district':
      return clean(household.district);
    case 'tehsil':
      return `${clean(household.district)}/${clean(household.tehsil)}`;
    case 'enumerator':
      return clean(household.enumerator);
    case 'source':
      return clean(household.source);
  }
}

/** The head of the household: the member whose relation is `head`, else the first member. */
export function headOf(household: QualityHousehold): QualityMember | undefined {
  return household.members.find((m) => m.relation === 'head') ?? household.members[0];
}
