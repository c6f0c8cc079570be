import { sameName } from './name-key.js';

/** The roster fields cross-validated with the ID authority, in report order. */
export const ROSTER_FIELDS = [
  'name',
  'gender',
  'birthYear',
  'maritalStatus',
  'disabled',
  'deceased',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
export type FieldValue = string | number | boolean;

/** A registry member as the survey recorded them (what the household item holds). */
export interface RosterMember {
  readonly cnicHash: string;
  readonly cnicMasked: string;
  readonly name?: string;
  readonly gender: string;
  readonly birthYear?: number;
  readonly maritalStatus?: string;
  readonly disabled?: boolean;
  readonly deceased?: boolean;
}

/** The ID authority's record of a CNIC; fields it does not hold are not compared. */
export interface AuthorityRecord {
  readonly status: 'ALIVE' | 'DECEASED' | 'BLOCKED';
  readonly name?: string;
  readonly gender?: string;
  readonly birthYear?: number;
  readonly maritalStatus?: string;
  readonly disabled?: boolean;
}

/** One field where the survey and the ID authority disagree. */
export interface FieldMismatch {
  readonly field: RosterField;
  readonly survey: FieldValue | null;
  readonly authority: FieldValue;
}

/** What the two sides say of each field both hold: compared fields, and the mismatches among them. */
export interface MemberComparison {
  readonly compared: readonly RosterField[];
  readonly mismatches: readonly FieldMismatch[];
}

/**
 * Compares a member with the ID authority's record, field by field, comparing only what the
 * authority holds. Names are equal when their keys are (transliteration variants, either script);
 * "deceased" is the authority's DECEASED against the household's own mark (a BLOCKED CNIC is alive).
 */
export function compareMember(member: RosterMember, authority: AuthorityRecord): MemberComparison {
  const compared: RosterField[] = [];
  const mismatches: FieldMismatch[] = [];
  const check = (
    field: RosterField,
    survey: FieldValue | undefined,
    theirs: FieldValue | undefined,
    same: boolean,
  ) => {
    if (theirs === undefined) return;
    compared.push(field);
    if (!same) mismatches.push({ field, survey: survey ?? null, authority: theirs });
  };
  const { name, gender, birthYear, maritalStatus, disabled } = authority;
  check(
    'name',
    member.name,
    name,
    name !== undefined && member.name !== undefined && sameName(member.name, name),
  );
  check('gender', member.gender, gender, member.gender === gender);
  check('birthYear', member.birthYear, birthYear, member.birthYear === birthYear);
  check('maritalStatus', member.maritalStatus, maritalStatus, member.maritalStatus === maritalStatus);
  check('disabled', member.disabled ?? false, disabled, (member.disabled ?? false) === disabled);
  const dead = authority.status === 'DECEASED';
  check('deceased', member.deceased ?? false, dead, (member.deceased ?? false) === dead);
  return { compared, mismatches };
}
