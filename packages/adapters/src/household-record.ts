import type { HouseholdMember, HouseholdRecord } from '@madad/core';

type Item = Record<string, unknown>;

/** A household item as the core sees it, with each member's exclusion flags looked up by hash. */
export function toHousehold(item: Item, flagsOf: (cnicHash: string) => string[]): HouseholdRecord {
  const members = (item.members as Record<string, unknown>[]).map(
    (m): HouseholdMember => ({
      cnicHash: String(m.cnicHash),
      relation: String(m.relation),
      gender: m.gender as 'male' | 'female',
      exclusions: flagsOf(String(m.cnicHash)),
    }),
  );
  return {
    phones: Array.isArray(item.phones) ? item.phones.map(String) : [],
    householdId: String(item.householdId),
    province: String(item.province),
    district: String(item.district),
    tehsil: String(item.tehsil),
    pmtScore: Number(item.pmtScore),
    programmes: Array.isArray(item.programmes) ? item.programmes.map(String) : [],
    members,
    status: item.status === 'provisional' ? 'provisional' : 'active',
  };
}
