import type { AuditLog } from '../audit/ports.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import { sameStaffUserId } from '../registry/staff-user.js';
import { type AppealPolicy, needsSecondOfficer, overturnAmount, overturnsToday } from './appeal-policy.js';
import type { AppealProposal, AppealWorkStore } from './appeal-work.js';
import {
  type Appeal,
  type AppealClaim,
  type AppealOutcome,
  type ResolveAppealDeps,
  resolveAppeal,
} from './appeals.js';

export interface DecideAppealDeps extends ResolveAppealDeps {
  readonly appeals: ResolveAppealDeps['appeals'] & AppealWorkStore;
  /** The ledger: written as every flow writes it, and read for the officer's overturns today. */
  readonly audit: Pick<AuditLog, 'append' | 'list' | 'head'>;
}

export type AppealDecision =
  | { readonly kind: 'resolved'; readonly appeal: Appeal }
  /** The overturn is above the threshold: recorded as a proposal another officer must confirm. */
  | { readonly kind: 'proposed'; readonly appeal: Appeal; readonly proposal: AppealProposal };

interface Officer {
  readonly by: string;
  readonly role: string;
}

/**
 * An officer decides an appeal, choosing the outcome (none is assumed). Upholding, or overturning
 * below the policy's second-officer amount and count (the officer's overturns today), resolves it
 * (`resolveAppeal`: claimed, enrolled, audited, told). An overturn at or above either is proposed
 * instead (OPEN -> PROPOSED, conditional, audited) and waits for another officer, compared by stable
 * user id, to confirm it (`confirmAppealOverturn`). The proposer re-running the same decision after a
 * crash finds their proposal and completes its ledger entry.
 */
export async function decideAppeal(
  deps: DecideAppealDeps,
  policy: Pick<AppealPolicy, 'secondOfficerAmount'> & Partial<Pick<AppealPolicy, 'secondOfficerAfter'>>,
  request: Officer & { appealId: string; outcome: AppealOutcome; reason: string },
): Promise<AppealDecision> {
  const appeal = await deps.appeals.get(request.appealId);
  if (!appeal) throw new NotFoundError(`No appeal ${request.appealId}`);
  const pending = appeal.proposal;
  const mine = appeal.status === 'PROPOSED' && pending && sameStaffUserId(pending.by, request.by);
  if (request.outcome === 'OVERTURNED' && (appeal.status === 'OPEN' || mine)) {
    const campaignId = appeal.decision?.decision.campaignId;
    const campaign = campaignId ? await deps.campaigns.get(campaignId) : undefined;
    const amount = overturnAmount(appeal, campaign);
    // Below the amount, the officer's overturns today may still call for a second officer.
    const byCount = amount > 0 && amount < policy.secondOfficerAmount && (policy.secondOfficerAfter ?? 0) > 0;
    const today = byCount ? await overturnsToday(deps.audit, request.by, deps.clock.now()) : 0;
    if (mine || needsSecondOfficer(amount, policy, today)) {
      const proposal: AppealProposal =
        mine && pending
          ? pending
          : {
              by: request.by,
              role: request.role,
              reason: request.reason,
              amount,
              at: deps.clock.now().toISOString(),
            };
      if (!mine && !(await deps.appeals.propose(appeal.appealId, proposal)))
        throw new ConflictError(`Appeal ${appeal.appealId} changed while you decided it: reload it`);
      crashPoint('appeal-propose.after-write');
      await deps.audit.append({
        actor: proposal.by,
        role: proposal.role,
        action: 'appeal.propose',
        subject: `appeal/${appeal.appealId}`,
        before: { status: 'OPEN' },
        after: { status: 'PROPOSED', outcome: 'OVERTURNED', reason: proposal.reason, amount },
        actionId: `appeal.propose/${appeal.appealId}/${proposal.at}`,
      });
      return { kind: 'proposed', appeal: { ...appeal, status: 'PROPOSED', proposal }, proposal };
    }
  }
  return { kind: 'resolved', appeal: await resolveAppeal(deps, request) };
}

async function proposed(deps: DecideAppealDeps, appealId: string, by: string) {
  const appeal = await deps.appeals.get(appealId);
  if (!appeal) throw new NotFoundError(`No appeal ${appealId}`);
  const proposal = appeal.proposal;
  if (!proposal) throw new ConflictError(`Appeal ${appealId} has no overturn waiting for confirmation`);
  if (sameStaffUserId(proposal.by, by))
    throw new ForbiddenError('You proposed this overturn; another officer must confirm or decline it', {
      proposedBy: proposal.by,
    });
  return { appeal, proposal };
}

/**
 * A second officer (never the proposer) confirms a proposed overturn: PROPOSED -> RESOLVING with
 * their claim (conditional on that very proposal, so of two confirming at once one does), then the
 * ledger entry, then `resolveAppeal` finishes it as theirs (enrollment, decision, ledger, SMS). Their
 * re-run after a crash at any step finds their claim and converges on the same final state.
 */
export async function confirmAppealOverturn(
  deps: DecideAppealDeps,
  request: Officer & { appealId: string },
): Promise<Appeal> {
  const { appeal, proposal } = await proposed(deps, request.appealId, request.by);
  // Already claimed by this officer (a re-run after a crash, even one after the case was closed): finish it.
  const claimed =
    (appeal.status === 'RESOLVING' || appeal.status === 'OVERTURNED') &&
    appeal.claim?.outcome === 'OVERTURNED' &&
    sameStaffUserId(appeal.claim.by, request.by);
  if (!claimed) {
    if (appeal.status !== 'PROPOSED')
      throw new ConflictError(`Appeal ${appeal.appealId} is ${appeal.status}`);
    const claim: AppealClaim = {
      by: request.by,
      role: request.role,
      outcome: 'OVERTURNED',
      reason: proposal.reason,
      at: deps.clock.now().toISOString(),
    };
    if (!(await deps.appeals.confirm(appeal.appealId, proposal.at, claim)))
      throw new ConflictError(
        `Appeal ${appeal.appealId} was confirmed or declined by someone else meanwhile`,
      );
  }
  crashPoint('appeal-confirm.after-claim');
  await deps.audit.append({
    actor: request.by,
    role: request.role,
    action: 'appeal.confirm',
    subject: `appeal/${appeal.appealId}`,
    before: { status: 'PROPOSED', proposedBy: proposal.by },
    after: { status: 'RESOLVING', outcome: 'OVERTURNED', amount: proposal.amount },
    actionId: `appeal.confirm/${appeal.appealId}/${proposal.at}`,
  });
  crashPoint('appeal-confirm.after-audit');
  return resolveAppeal(deps, {
    appealId: appeal.appealId,
    outcome: 'OVERTURNED',
    reason: proposal.reason,
    by: request.by,
    role: request.role,
  });
}

/**
 * A second officer declines a proposed overturn: back to OPEN for a decision (the proposal is kept
 * with who declined it), with their reason in the ledger. Nothing is enrolled and nobody is told.
 */
export async function declineAppealOverturn(
  deps: DecideAppealDeps,
  request: Officer & { appealId: string; reason: string },
): Promise<Appeal> {
  const { appeal, proposal } = await proposed(deps, request.appealId, request.by);
  if (appeal.status === 'PROPOSED' && !(await deps.appeals.decline(appeal.appealId, proposal.at, request.by)))
    throw new ConflictError(`Appeal ${appeal.appealId} was confirmed or declined by someone else meanwhile`);
  if (appeal.status !== 'PROPOSED' && appeal.status !== 'OPEN')
    throw new ConflictError(`Appeal ${appeal.appealId} is ${appeal.status}`);
  crashPoint('appeal-decline.after-write');
  await deps.audit.append({
    actor: request.by,
    role: request.role,
    action: 'appeal.decline',
    subject: `appeal/${appeal.appealId}`,
    before: { status: 'PROPOSED', proposedBy: proposal.by },
    after: { status: 'OPEN', reason: request.reason },
    actionId: `appeal.decline/${appeal.appealId}/${proposal.at}`,
  });
  return { ...appeal, status: 'OPEN' };
}
