import {
  formatCnic,
  type HouseholdImport,
  hashCnic,
  type IdentityImport,
  maskCnic,
  normalizeCnic,
  normalizePhone,
  registryKeys,
} from '@madad/core';

type Item = Record<string, unknown>;

function cnicOf(raw: string): string {
  const result = normalizeCnic(raw);
  if (!result.ok) throw new Error(`Invalid CNIC (${result.error})`);
  return result.cnic;
}

/**
 * The DynamoDB items of one household: the household (with its members' CNIC hashes, so their
 * exclusion flags can be read in the same round trip) and one person item per member (the CNIC index).
 * The raw CNIC is kept only on the household item, where a payment file needs it.
 */
export function householdItems(pepper: string, household: HouseholdImport): Item[] {
  const members = household.members.map((m) => {
    const cnic = cnicOf(m.cnic);
    return { ...m, cnic: formatCnic(cnic), cnicMasked: maskCnic(cnic), cnicHash: hashCnic(pepper, cnic) };
  });
  const phones = household.phones.flatMap((p) => {
    const phone = normalizePhone(p);
    return phone.ok ? [phone.phone] : [];
  });
  const householdItem: Item = {
    ...registryKeys.household(household.householdId),
    type: 'HOUSEHOLD',
    householdId: household.householdId,
    province: household.province,
    district: household.district,
    tehsil: household.tehsil,
    pmtScore: household.pmtScore,
    surveyedAt: household.surveyedAt,
    programmes: household.programmes,
    source: household.source,
    status: 'active',
    phones,
    members,
    gsi1pk: registryKeys.districtIndex(household.district),
    gsi1sk: registryKeys.scoreSortKey(household.pmtScore, household.householdId),
    gsi2pk: registryKeys.tehsilIndex(household.district, household.tehsil),
    gsi2sk: registryKeys.scoreSortKey(household.pmtScore, household.householdId),
  };
  const people = members.map((m) => ({
    ...registryKeys.person(m.cnicHash),
    type: 'PERSON',
    cnicHash: m.cnicHash,
    householdId: household.householdId,
    relation: m.relation,
    gender: m.gender,
  }));
  return [householdItem, ...people];
}

export function identityItem(pepper: string, identity: IdentityImport): Item {
  const cnicHash = hashCnic(pepper, cnicOf(identity.cnic));
  return {
    ...registryKeys.identity(cnicHash),
    type: 'IDENTITY',
    cnicHash,
    status: identity.status,
    gender: identity.gender,
    birthYear: identity.birthYear,
    simPhones: identity.simPhones.flatMap((p) => {
      const phone = normalizePhone(p);
      return phone.ok ? [phone.phone] : [];
    }),
  };
}
