import { payeeOf } from '../expansion/expand-area.js';
import type { HeldHousehold } from './model.js';
import type { PayeeCandidate } from './ports.js';

/** Why a member may not be paid, or undefined when they may. */
export function payeeRefusal(member: PayeeCandidate): string | undefined {
  if (member.deceased) return 'MARKED_DECEASED';
  if (member.identityStatus === undefined) return 'UNKNOWN_TO_ID_AUTHORITY';
  if (member.identityStatus !== 'ALIVE') return member.identityStatus;
  return undefined;
}

export type PayeeChoice =
  | { readonly payee: PayeeCandidate }
  | { readonly held: Omit<HeldHousehold, 'householdId'> };

/**
 * The household's payee: by the designated-recipient rule (the woman head, else the woman spouse,
 * else the head, else the first member) among the members who may be paid, a living, unblocked
 * member known to the ID authority and not marked deceased in the household. When the preferred
 * member may not be paid, the same rule picks among the others; when none may, the household is
 * held with the reasons.
 */
export function choosePayee(members: readonly PayeeCandidate[] | undefined): PayeeChoice {
  if (!members || members.length === 0) return { held: { reason: 'NO_MEMBERS', refused: {} } };
  const refused: Record<string, number> = {};
  const valid = members.filter((m) => {
    const why = payeeRefusal(m);
    if (why) refused[why] = (refused[why] ?? 0) + 1;
    return !why;
  });
  const hash = payeeOf({ members: valid });
  const payee = valid.find((m) => m.cnicHash === hash);
  return payee ? { payee } : { held: { reason: 'NO_VALID_PAYEE', refused } };
}
