import { ConflictError, NotFoundError } from '../errors.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import type { Appeal, AppealClaim, AppealOutcome, AppealStore } from './appeals.js';

export interface AppealResolutionRequest {
  readonly appealId: string;
  readonly outcome: AppealOutcome;
  readonly reason: string;
  readonly by: string;
  readonly role: string;
}

/**
 * How long a claim may stay RESOLVING before anyone resolving the appeal finishes it: long enough
 * for the claimant's own request to complete, short enough that a crashed claim does not strand it.
 */
export const STALE_APPEAL_CLAIM_MS = 2 * 60_000;

/**
 * Takes an appeal for one resolution before anything else changes: a conditional OPEN -> RESOLVING
 * write that records who resolves it and how. Of two staff resolving at once exactly one claims it;
 * the other gets a ConflictError before any enrollment or SMS. The claimant re-running the same
 * resolution (after a crash, or a double submit) gets the recorded claim back and finishes it; so does
 * anyone else once the claim is stale (`mine: false`: they finish the recorded outcome, then get a
 * ConflictError saying what it was).
 */
export async function claimAppeal(
  appeals: Pick<AppealStore, 'get' | 'claim'>,
  request: AppealResolutionRequest,
  at: string,
): Promise<{ readonly appeal: Appeal; readonly claim: AppealClaim; readonly mine: boolean }> {
  const appeal = await appeals.get(request.appealId);
  if (!appeal) throw new NotFoundError(`No appeal ${request.appealId}`);
  if (appeal.status === 'OPEN') {
    const claim: AppealClaim = {
      by: request.by,
      role: request.role,
      outcome: request.outcome,
      reason: request.reason,
      at,
    };
    if (await appeals.claim(appeal.appealId, claim)) return { appeal, claim, mine: true };
    const current = await appeals.get(request.appealId);
    if (!current) throw new NotFoundError(`No appeal ${request.appealId}`);
    return resumable(current, request, at);
  }
  return resumable(appeal, request, at);
}

function resumable(appeal: Appeal, request: AppealResolutionRequest, at: string) {
  const { claim } = appeal;
  // The claimant is recognised by stable user id, compared as the maker-checker rules compare it.
  if (claim && sameStaffUserId(claim.by, request.by) && claim.outcome === request.outcome)
    return { appeal, claim, mine: true };
  if (appeal.status === 'RESOLVING' && claim) {
    if (Date.parse(at) - Date.parse(claim.at) >= STALE_APPEAL_CLAIM_MS) return { appeal, claim, mine: false };
    throw new ConflictError(`Appeal ${appeal.appealId} is already being resolved as ${claim.outcome}`);
  }
  throw new ConflictError(`Appeal ${appeal.appealId} was already ${appeal.status}`);
}
