import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { HouseholdMember, HouseholdRecord } from '@madad/core';
import { registryKeys } from '../keys.js';

type Item = Record<string, unknown>;

/** The filters of an EXCLUSIONS item (a string set), sorted; none when there is no item. */
export function filtersOf(item: Item | undefined): string[] {
  return setOf(item?.filters);
}

function setOf(value: unknown): string[] {
  if (value instanceof Set) return [...value].map(String).sort();
  return Array.isArray(value) ? value.map(String).sort() : [];
}

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

/**
 * The decision view's copy of a household (attribute `hh` of every member's PERSON item), so that
 * one Query of the applicant's partition reads all a decision needs. Every member's PERSON item
 * holds every member, so the copy is kept small (a PERSON item stays under the 1 KB write unit for
 * households of up to about 15): area `p`/`d`/`t`, score `s`, programmes `g`, status `st`, phones
 * `ph`, and members `m` as one string each, `<cnicHash> <relation> <m|f>`. Member i's exclusion
 * flags are a top-level string set `x<i>` beside it: DynamoDB grows sets with ADD at the top level
 * only, and ADD lets an exclusion import fold flags in without reading or rewriting the snapshot.
 */
export interface HouseholdSnapshot {
  readonly p: string;
  readonly d: string;
  readonly t: string;
  readonly s: number;
  readonly g: readonly string[];
  readonly st: 'active' | 'provisional';
  readonly ph?: readonly string[];
  readonly m: readonly string[];
}

/** A member as the snapshot lists them: `<cnicHash> <relation> <m|f>`. */
export function packMember(member: { cnicHash: string; relation: string; gender: string }): string {
  return `${member.cnicHash} ${member.relation} ${member.gender === 'female' ? 'f' : 'm'}`;
}

/** The CNIC hash a snapshot member string starts with. */
export const memberHash = (packed: string) => packed.slice(0, packed.indexOf(' '));

function unpackMember(packed: string): Omit<HouseholdMember, 'exclusions'> {
  const [cnicHash = '', relation = '', gender] = packed.split(' ');
  return { cnicHash, relation, gender: gender === 'f' ? 'female' : 'male' };
}

/** Name of the attribute holding the exclusion flags of the snapshot's member at `index`. */
export const memberFlagsName = (index: number) => `x${index}`;

export function snapshotOf(household: Item): HouseholdSnapshot {
  const phones = Array.isArray(household.phones) ? household.phones.map(String) : [];
  return {
    p: String(household.province),
    d: String(household.district),
    t: String(household.tehsil),
    s: Number(household.pmtScore),
    g: Array.isArray(household.programmes) ? household.programmes.map(String) : [],
    st: household.status === 'provisional' ? 'provisional' : 'active',
    ...(phones.length > 0 ? { ph: phones } : {}),
    m: (household.members as Item[]).map((m) =>
      packMember({ cnicHash: String(m.cnicHash), relation: String(m.relation), gender: String(m.gender) }),
    ),
  };
}

/** The PERSON item of every member of a household item, each with the snapshot and the members' flags. */
export function personItems(household: Item, flagsOf: (cnicHash: string) => readonly string[]): Item[] {
  const hh = snapshotOf(household);
  const flags = Object.fromEntries(
    hh.m.flatMap((m, i) => {
      const filters = flagsOf(memberHash(m));
      return filters.length > 0 ? [[memberFlagsName(i), new Set(filters)]] : [];
    }),
  );
  return (household.members as Item[]).map((m) => ({
    ...registryKeys.person(String(m.cnicHash)),
    type: 'PERSON',
    cnicHash: String(m.cnicHash),
    householdId: String(household.householdId),
    relation: String(m.relation),
    gender: String(m.gender),
    hh,
    ...flags,
  }));
}

/**
 * Rewrites a PERSON item's snapshot in place, growing (never shrinking) its flag sets: an exclusion
 * import folding flags in at the same moment is not undone. Member order must be the one the item
 * had (change requests append members and never reorder them).
 */
export function personSnapshotUpdate(table: string, person: Item): UpdateCommandInput {
  const names: Record<string, string> = { '#type': 'type' };
  const values: Record<string, unknown> = { ':type': person.type };
  const set = ['#type = :type'];
  for (const name of ['cnicHash', 'householdId', 'relation', 'gender', 'hh']) {
    names[`#${name}`] = name;
    values[`:${name}`] = person[name];
    set.push(`#${name} = :${name}`);
  }
  const add = Object.keys(person)
    .filter((name) => /^x\d+$/.test(name))
    .map((name) => {
      names[`#${name}`] = name;
      values[`:${name}`] = person[name];
      return `#${name} :${name}`;
    });
  return {
    TableName: table,
    Key: { pk: person.pk, sk: person.sk },
    UpdateExpression: `SET ${set.join(', ')}${add.length > 0 ? ` ADD ${add.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The household of a PERSON item from its snapshot, or undefined for a PERSON item written before
 * the decision view (read the household item then). `moreFlagsOf` adds flags read elsewhere in the
 * same request (the applicant's own EXCLUSIONS item, fresher than the copy).
 */
export function householdFromSnapshot(
  person: Item,
  moreFlagsOf: (cnicHash: string) => readonly string[],
): HouseholdRecord | undefined {
  const hh = person.hh as HouseholdSnapshot | undefined;
  if (!hh || !Array.isArray(hh.m)) return undefined;
  return {
    phones: hh.ph ? [...hh.ph] : [],
    householdId: String(person.householdId),
    province: hh.p,
    district: hh.d,
    tehsil: hh.t,
    pmtScore: Number(hh.s),
    programmes: [...hh.g],
    members: hh.m.map((packed, i) => {
      const member = unpackMember(packed);
      const flags = [...setOf(person[memberFlagsName(i)]), ...moreFlagsOf(member.cnicHash)];
      return { ...member, exclusions: [...new Set(flags)].sort() };
    }),
    status: hh.st === 'provisional' ? 'provisional' : 'active',
  };
}
