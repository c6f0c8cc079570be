import { type Decision, hashCnic } from '@madad/core';
import type { ApiDeps } from './deps.js';
import { publicDecision } from './public-decision.js';

export type PublicStatus = ReturnType<typeof publicDecision> | { reference: string; status: 'QUEUED' };

/**
 * A web registration by its reference: queued until the reconciler has recorded it, and the same
 * answer when the reference is unknown or is not yours: a reference reveals the outcome only when
 * the registration came from a phone tied to the household (`tied`), the phone its outcome went to.
 * Anyone else who holds it (a helper, a stranger who typed someone's CNIC) sees it queued. A decision taken
 * later for the same registration (a waitlisted household promoted, an appeal overturned) is shown
 * instead of the one first recorded: the person's decision of record under that reference.
 */
export async function statusByReference(
  deps: Pick<ApiDeps, 'registrations' | 'decisions'>,
  reference: string,
): Promise<PublicStatus> {
  const item = await deps.registrations.get(`web-${reference}`);
  if (item?.tied !== true) return { reference, status: 'QUEUED' };
  const first = item.decision as Decision | undefined;
  const standing =
    typeof item.cnicHash === 'string' && first ? await deps.decisions.latest(item.cnicHash) : undefined;
  if (standing?.reference === reference && standing.decision.decidedAt > (first?.decidedAt ?? ''))
    return publicDecision(reference, { ...item, decision: standing.decision });
  return publicDecision(reference, item);
}

/**
 * The latest decision for a normalized CNIC, shown only to the phone it was registered from.
 * Undefined whether the CNIC is unknown or the phone does not match: no enumeration.
 */
export async function statusByCnicAndPhone(
  deps: Pick<ApiDeps, 'decisions' | 'cnicPepper'>,
  cnic: string,
  phone: string,
): Promise<ReturnType<typeof publicDecision> | undefined> {
  const latest = await deps.decisions.latest(hashCnic(await deps.cnicPepper(), cnic));
  if (!latest || latest.from !== phone) return undefined;
  return publicDecision(latest.reference, { decision: latest.decision, lang: latest.lang });
}
