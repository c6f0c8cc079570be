import { normalizePhone } from '../../intake/phone.js';
import { headOf, type QualityHousehold } from './quality-household.js';

/**
 * What a validator re-collects on a back-check visit: facts a visit can observe and targeting uses.
 * The head's name is not among them (transliteration makes equality a judgement, not a check).
 */
export const BACK_CHECK_FIELDS = [
  'memberCount',
  'headGender',
  'headBirthYear',
  'headMaritalStatus',
  'disabledMembers',
  'phone',
] as const;
export type BackCheckField = (typeof BACK_CHECK_FIELDS)[number];

/** What the registry says for each back-check field; absent when the survey left it empty. */
export function registryValues(household: QualityHousehold): Partial<Record<BackCheckField, string>> {
  const head = headOf(household);
  const values: Partial<Record<BackCheckField, string>> = {
    memberCount: String(household.members.length),
    disabledMembers: String(household.members.filter((m) => m.disabled === true).length),
  };
  if (head?.gender) values.headGender = head.gender;
  if (head?.birthYear !== undefined) values.headBirthYear = String(head.birthYear);
  if (head?.maritalStatus) values.headMaritalStatus = head.maritalStatus;
  if (household.phones.length > 0) values.phone = household.phones.join(' ');
  return values;
}

const GENDERS: Readonly<Record<string, string>> = { m: 'male', f: 'female' };

/** A value as compared: trimmed, lower-cased, `m`/`f` for gender, numbers without leading zeros. */
function canonical(field: BackCheckField, value: string): string {
  const text = value.trim().toLowerCase();
  if (field === 'headGender') return GENDERS[text] ?? text;
  if (field === 'memberCount' || field === 'headBirthYear' || field === 'disabledMembers') {
    return /^\d+$/.test(text) ? String(Number(text)) : text;
  }
  return text;
}

/**
 * Whether the registry's value disagrees with the validator's: exact after `canonical`; a phone
 * agrees when the validator's number (any accepted form) is one of the household's. A field the
 * survey left empty disagrees with any value the validator found.
 */
export function disagrees(field: BackCheckField, registry: string | undefined, validator: string): boolean {
  if (registry === undefined) return true;
  if (field === 'phone') {
    const phone = normalizePhone(validator);
    const found = phone.ok ? phone.phone : validator.trim();
    return !registry.split(' ').includes(found);
  }
  return canonical(field, registry) !== canonical(field, validator);
}
