import { ConflictError, ValidationError } from '../errors.js';
import { formatCnic, maskCnic, normalizeCnic } from '../intake/cnic.js';
import { hashCnic } from '../intake/cnic-hash.js';
import type { PersonDirectory } from './change-request-ports.js';
import { applyChange, type Change, type MutableHousehold } from './change-requests.js';

/** A birth adds a child (or a grandchild, `other`): never a head or spouse, who would become payee. */
const BORN_RELATIONS: readonly string[] = ['child', 'other'];

/** The household after `change`, and the CNIC hash of the member it adds (member-born only). */
export interface CheckedChange {
  readonly updated: MutableHousehold;
  readonly newMemberHash?: string;
}

/**
 * Applies `change` to `household` purely and checks what the registry must hold for it: a new
 * member is a child, known to the ID authority as alive and unblocked (with the gender and birth
 * year the request gives) and indexed to no other household. Refusals are a ValidationError (the
 * request is wrong) or a ConflictError (the registry says otherwise).
 */
export async function checkChange(
  people: PersonDirectory,
  pepper: string,
  householdId: string,
  household: MutableHousehold,
  change: Change,
): Promise<CheckedChange> {
  const hashOf = (cnic: string) => hashCnic(pepper, cnic);
  const updated = applyChange(household, change, hashOf, maskCnic, formatCnic);
  if (change.type !== 'member-born') return { updated };
  const { member } = change;
  if (!BORN_RELATIONS.includes(member.relation))
    throw new ValidationError('A newborn member is added as child or other, never as head or spouse');
  const cnic = normalizeCnic(member.cnic);
  if (!cnic.ok) throw new ValidationError('The new member needs a valid CNIC or B-form number');
  const hash = hashOf(cnic.cnic);
  const [identity, owner] = await Promise.all([people.identity(hash), people.householdOf(hash)]);
  if (!identity) throw new ValidationError('The ID authority does not know the new member’s CNIC');
  if (identity.status !== 'ALIVE')
    throw new ValidationError(`The ID authority records the new member as ${identity.status}`);
  if (
    (identity.gender !== undefined && identity.gender !== member.gender) ||
    (identity.birthYear !== undefined && identity.birthYear !== member.birthYear)
  )
    throw new ValidationError('The new member’s gender or birth year differs from the ID authority’s');
  if (owner !== undefined && owner !== householdId)
    throw new ConflictError('The new member’s CNIC belongs to another household');
  return { updated, newMemberHash: hash };
}
