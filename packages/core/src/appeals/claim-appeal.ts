import type { Appeal, AppealClaim, AppealOutcome, AppealStore } from '../appeals.js';
import { ConflictError, NotFoundError } from '../errors.js';

export interface AppealResolutionRequest {
  readonly appealId: string;
  readonly outcome: AppealOutcome;
  readonly reason: string;
  readonly by: string;
  readonly role: string;
}

/**
 * Takes an appeal for one resolution before anything else changes: a conditional OPEN -> RESOLVING
 * write that records who resolves it and how. Of two staff resolving at once exactly one claims it;
 * the other gets a ConflictError before any enrollment or SMS. The claimant re-running the same
 * resolution (after a crash, or a double submit) gets the recorded claim back and finishes it.
 */
export async function claimAppeal(
  appeals: Pick<AppealStore, 'get' | 'claim'>,
  request: AppealResolutionRequest,
  at: string,
): Promise<{ readonly appeal: Appeal; readonly claim: AppealClaim }> {
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
    if (await appeals.claim(appeal.appealId, claim)) return { appeal, claim };
    const now = await appeals.get(request.appealId);
    if (!now) throw new NotFoundError(`No appeal ${request.appealId}`);
    return resumable(now, request);
  }
  return resumable(appeal, request);
}

function resumable(appeal: Appeal, request: AppealResolutionRequest) {
  const { claim } = appeal;
  if (claim && claim.by === request.by && claim.outcome === request.outcome) return { appeal, claim };
  if (appeal.status === 'RESOLVING' && claim)
    throw new ConflictError(`Appeal ${appeal.appealId} is already being resolved as ${claim.outcome}`);
  throw new ConflictError(`Appeal ${appeal.appealId} was already ${appeal.status}`);
}
