import * as z from 'zod';
import { ValidationError } from '../errors.js';
import { normalizeCnic } from '../intake/cnic.js';
import { normalizePhone } from '../intake/phone.js';
import { MemberSchema } from './registry-schemas.js';

/** What a household may ask to change; staff approve or reject each request. */
export const ChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('new-phone'), phone: z.string().min(3).max(40) }),
  z.object({
    type: z.literal('new-address'),
    district: z.string().min(1).max(60),
    tehsil: z.string().min(1).max(60),
  }),
  z.object({ type: z.literal('member-born'), member: MemberSchema }),
  z.object({ type: z.literal('member-deceased'), cnic: z.string().min(13).max(20) }),
]);
export type Change = z.infer<typeof ChangeSchema>;

/** `POST /api/v1/change-requests`: the household proves itself with a member's CNIC and a known phone. */
export const ChangeRequestInputSchema = z.object({
  cnic: z.string().min(1).max(40),
  phone: z.string().min(1).max(40),
  change: ChangeSchema,
  note: z.string().max(500).optional(),
});

/**
 * A change request's life: a household's own request is SUBMITTED and needs a staff member to
 * propose it (staff may also file one directly, PROPOSED at once); another staff member approves
 * (APPLYING while the registry is written, then APPROVED) or anyone of them rejects it. `PENDING` is
 * how requests stored before maker-checker were SUBMITTED.
 */
export type ChangeRequestStatus = 'SUBMITTED' | 'PROPOSED' | 'APPLYING' | 'APPROVED' | 'REJECTED';

export interface ChangeRequest {
  readonly requestId: string;
  readonly householdId: string;
  readonly change: Change;
  readonly note?: string;
  readonly status: ChangeRequestStatus;
  readonly requestedAt: string;
  /** The household's phone for a public request; the staff user id (JWT `sub`) for one filed by staff. */
  readonly requestedBy: string;
  readonly channel?: 'household' | 'staff';
  /** The maker: the staff user id who proposed it, never the one who approves it. */
  readonly proposedBy?: string;
  readonly proposedRole?: string;
  readonly proposedAt?: string;
  /** The checker (or whoever rejected it), its role, when, and why. */
  readonly decidedBy?: string;
  readonly decidedRole?: string;
  readonly decidedAt?: string;
  readonly reason?: string;
}

export interface HouseholdMemberItem {
  readonly cnic: string;
  readonly cnicMasked: string;
  readonly cnicHash: string;
  readonly name?: string;
  readonly relation: string;
  readonly gender: string;
  readonly birthYear?: number;
  readonly deceased?: boolean;
}

/** The household fields a change may touch. */
export interface MutableHousehold {
  readonly district: string;
  readonly tehsil: string;
  readonly phones: readonly string[];
  readonly members: readonly HouseholdMemberItem[];
}

/**
 * Applies an approved change to a household, purely: the adapter writes the result. Phones and CNICs
 * are normalized; a change that no longer fits (member unknown, already there) is refused.
 */
export function applyChange(
  household: MutableHousehold,
  change: Change,
  hashOf: (cnic: string) => string,
  maskOf: (cnic: string) => string,
  formatOf: (cnic: string) => string,
): MutableHousehold {
  switch (change.type) {
    case 'new-phone': {
      const phone = normalizePhone(change.phone);
      if (!phone.ok) throw new ValidationError('The new phone is not a valid number');
      return { ...household, phones: [...new Set([phone.phone, ...household.phones])] };
    }
    case 'new-address':
      return { ...household, district: change.district, tehsil: change.tehsil };
    case 'member-born': {
      const cnic = normalizeCnic(change.member.cnic);
      if (!cnic.ok) throw new ValidationError('The new member needs a valid CNIC or B-form number');
      const hash = hashOf(cnic.cnic);
      if (household.members.some((m) => m.cnicHash === hash))
        throw new ValidationError('That member is already listed');
      const member: HouseholdMemberItem = {
        cnic: formatOf(cnic.cnic),
        cnicMasked: maskOf(cnic.cnic),
        cnicHash: hash,
        name: change.member.name,
        relation: change.member.relation,
        gender: change.member.gender,
        birthYear: change.member.birthYear,
      };
      return { ...household, members: [...household.members, member] };
    }
    case 'member-deceased': {
      const cnic = normalizeCnic(change.cnic);
      const hash = cnic.ok ? hashOf(cnic.cnic) : '';
      if (!household.members.some((m) => m.cnicHash === hash))
        throw new ValidationError('No such member in this household');
      return {
        ...household,
        members: household.members.map((m) => (m.cnicHash === hash ? { ...m, deceased: true } : m)),
      };
    }
  }
}

/** Staff roles that may see raw CNICs; everyone else sees them masked. */
export const RAW_CNIC_ROLES = ['admin', 'program-officer'] as const;
