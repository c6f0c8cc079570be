import {
  formatCnic,
  type HouseholdImport,
  hashCnic,
  type IdentityImport,
  maskCnic,
  normalizeCnic,
  normalizePhone,
  type ProvisionalHousehold,
} from '@madad/core';
import { registryKeys } from '../keys.js';
import { personItems } from './household-record.js';

type Item = Record<string, unknown>;

function cnicOf(raw: string): string {
  const result = normalizeCnic(raw);
  if (!result.ok) throw new Error(`Invalid CNIC (${result.error})`);
  return result.cnic;
}

/**
 * The DynamoDB items of one household: the household item first (staff views, area indexes, payment
 * files: the raw CNIC is kept only there), then one PERSON item per member, in member order, each
 * carrying the household's decision view without exclusion flags (see `personItems`, which the
 * checked import calls again with the flags it read; an exclusion import afterwards folds them in).
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
    ...(household.enumerator ? { enumerator: household.enumerator } : {}),
    status: 'active',
    phones,
    members,
    gsi1pk: registryKeys.districtIndex(household.district),
    gsi1sk: registryKeys.scoreSortKey(household.pmtScore, household.householdId),
  };
  return [householdItem, ...personItems(householdItem, () => [])];
}

/** Provisional households are named after the CNIC hash, so a repeat finds the same one. */
export function provisionalHouseholdId(cnicHash: string): string {
  return `P-${cnicHash.slice(0, 16).toUpperCase()}`;
}

/** The household item of someone the registry did not know, and their PERSON item with its view. */
export function provisionalItems(input: ProvisionalHousehold): [household: Item, person: Item] {
  const householdId = provisionalHouseholdId(input.cnicHash);
  const household: Item = {
    ...registryKeys.household(householdId),
    type: 'HOUSEHOLD',
    householdId,
    province: '',
    district: input.district ?? '',
    tehsil: input.tehsil ?? '',
    pmtScore: 100,
    programmes: [],
    source: 'self-registered',
    status: 'provisional',
    // Empty when the registrant's phone is not the person's and the ID authority knows no SIM of theirs.
    phones: input.phone ? [input.phone] : [],
    registeredAt: input.registeredAt,
    ...(input.answers ? { answers: input.answers } : {}),
    members: [
      {
        cnic: formatCnic(input.cnic),
        cnicMasked: maskCnic(input.cnic),
        cnicHash: input.cnicHash,
        relation: 'head',
        gender: Number(input.cnic.at(-1)) % 2 === 0 ? 'female' : 'male',
      },
    ],
    // The staff review queue lists provisional households, oldest first.
    gsi1pk: registryKeys.provisionalIndex,
    gsi1sk: `${input.registeredAt}#${householdId}`,
  };
  // The applicant's own flags are read from their EXCLUSIONS item, in the same partition.
  const [person] = personItems(household, () => []);
  if (!person) throw new Error('A provisional household has its applicant as member');
  return [household, person];
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
    // The roster fields cross-validation compares (issue 18); the name is not kept raw elsewhere.
    name: identity.name,
    ...(identity.maritalStatus ? { maritalStatus: identity.maritalStatus } : {}),
    ...(identity.disabled === undefined ? {} : { disabled: identity.disabled }),
    simPhones: identity.simPhones.flatMap((p) => {
      const phone = normalizePhone(p);
      return phone.ok ? [phone.phone] : [];
    }),
  };
}
