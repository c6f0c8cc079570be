import { type Campaign, campaignCovers, isOpen } from '../campaigns/campaign.js';
import { entitlementFor } from '../eligibility/entitlement.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type { StaffActor } from '../payments/model.js';
import { builtInGazetteer } from './areas.js';
import { completeVerification } from './complete-verification.js';
import { sameStaffUserId } from './staff-user.js';
import {
  type HouseholdVerification,
  NOT_ELIGIBLE_REASONS,
  type VerifiableHousehold,
  type VerificationDeps,
  type VerificationMethod,
  type VerificationOutcome,
} from './verification-ports.js';

/** How long a claimed verification may stay COMPLETING before another officer may finish it. */
export const STALE_VERIFICATION_MS = 2 * 60_000;

export interface VerificationInput {
  readonly householdId: string;
  readonly province: string;
  readonly district: string;
  readonly tehsil: string;
  readonly method: VerificationMethod;
  readonly note: string;
  readonly outcome: VerificationOutcome;
  /** Required for NOT_ELIGIBLE and REJECTED. */
  readonly reason?: string;
  /** The rule a NOT_ELIGIBLE household fails (`NOT_ELIGIBLE_REASONS` or `EXCLUSION_<filter>`). */
  readonly reasonCode?: string;
}

async function requireHousehold(deps: VerificationDeps, householdId: string): Promise<VerifiableHousehold> {
  const household = await deps.verifications.read(householdId);
  if (!household) throw new NotFoundError(`No household ${householdId}`);
  return household;
}

/** The campaign open now whose areas cover the verified district and tehsil, if any. */
async function coveringCampaign(deps: VerificationDeps, district: string, tehsil: string, now: Date) {
  const campaigns = await deps.campaigns.list();
  return campaigns.find((c) => isOpen(c, now) && campaignCovers(c, district, tehsil));
}

function reasonCodeFor(input: VerificationInput, campaign: Campaign | undefined) {
  if (input.outcome !== 'NOT_ELIGIBLE') return undefined;
  const allowed = [
    ...NOT_ELIGIBLE_REASONS,
    ...(campaign?.rules.exclusionFilters ?? []).map((f) => `EXCLUSION_${f}` as const),
  ];
  const code = allowed.find((c) => c === input.reasonCode);
  if (!code) throw new ValidationError(`Choose the rule the household fails: ${allowed.join(', ')}`);
  return code;
}

/** The claimant of a COMPLETING verification: the confirmer of an eligible finding, else its officer. */
// A provisional household is in no regular programme: a new beneficiary's entitlement.
const NO_PROGRAMME = { programmes: [] };
const claimantOf = (v: HouseholdVerification) => v.confirmedBy ?? v.proposedBy;

/**
 * A verification already on the household: the same officer re-submitting (a double click, a re-run
 * after a crash) gets it back or finishes it; a stalled one is finished by anyone, who is then told
 * what it was; anything else is a conflict (two officers at once: one outcome).
 */
async function existingVerification(
  deps: VerificationDeps,
  household: VerifiableHousehold,
  actor: StaffActor,
  outcome?: VerificationOutcome,
): Promise<HouseholdVerification> {
  const v = household.verification;
  if (!v) throw new ConflictError(`Household ${household.householdId} has no verification`);
  const id = household.householdId;
  if (v.status === 'COMPLETING') {
    if (sameStaffUserId(claimantOf(v), actor.user)) return completeVerification(deps, household, v);
    const at = v.confirmedAt ?? v.proposedAt;
    if (deps.clock.now().getTime() - Date.parse(at) >= STALE_VERIFICATION_MS) {
      await completeVerification(deps, household, v);
      throw new ConflictError(
        `Household ${id} was verified as ${v.outcome} by ${claimantOf(v)} (finished now)`,
      );
    }
    throw new ConflictError(`Household ${id} is being verified as ${v.outcome} by ${claimantOf(v)}`);
  }
  if (v.status === 'DONE') {
    if (sameStaffUserId(claimantOf(v), actor.user) && (!outcome || outcome === v.outcome)) {
      await deps.verifications.refreshViews(id);
      return v;
    }
    throw new ConflictError(`Household ${id} was already verified: ${v.outcome} (by ${claimantOf(v)})`);
  }
  if (outcome && sameStaffUserId(v.proposedBy, actor.user) && v.outcome === outcome) {
    await appendProposal(deps, id, v);
    return v;
  }
  throw new ConflictError(
    `Household ${id} already has a verification proposed by ${v.proposedBy} (${v.outcome}), waiting for a second officer`,
  );
}

async function appendProposal(deps: VerificationDeps, householdId: string, v: HouseholdVerification) {
  await deps.audit.append({
    actor: v.proposedBy,
    role: v.proposedRole,
    action: 'household.verify',
    subject: `household/${householdId}`,
    before: { status: 'provisional' },
    after: {
      verification: 'PROPOSED',
      outcome: v.outcome,
      area: v.area,
      method: v.method,
      note: v.note,
      campaignId: v.campaignId ?? null,
      amount: v.amount ?? null,
    },
    actionId: `household.verify/${householdId}/propose`,
  });
}

/**
 * An officer records the verification of a provisional household (the area from the gazetteer, how
 * it was checked, a note) and what it concludes under the campaign covering that area. A finding of
 * eligible creates an entitlement, so it is only proposed: another officer confirms it
 * (`confirmVerification`). Not eligible and rejected take effect at once: the claim (one conditional
 * write, so of two officers at once one succeeds), then the decision, the ledger, the SMS and the
 * household, each step idempotent so a re-run after a crash converges.
 */
export async function recordVerification(
  deps: VerificationDeps,
  actor: StaffActor,
  input: VerificationInput,
): Promise<HouseholdVerification> {
  const household = await requireHousehold(deps, input.householdId);
  if (household.verification) return existingVerification(deps, household, actor, input.outcome);
  if (household.status !== 'provisional')
    throw new ConflictError(`Household ${input.householdId} is in the registry, not provisional`);
  const gazetteer = deps.gazetteer ? await deps.gazetteer.current() : builtInGazetteer();
  const area = gazetteer.resolve(input.province, input.district, input.tehsil);
  if (!area.ok) throw new ValidationError(`Choose an area from the gazetteer: ${area.message}`);
  const reason = input.reason?.trim() ?? '';
  if (input.outcome !== 'ELIGIBLE' && reason.length < 5)
    throw new ValidationError('Write the reason (at least 5 characters)');
  const now = deps.clock.now();
  const campaign = await coveringCampaign(deps, area.district, area.tehsil, now);
  if (!campaign && input.outcome !== 'REJECTED')
    throw new ValidationError(
      `No open campaign covers ${area.tehsil}, ${area.district}: the household can only be rejected`,
    );
  const reasonCode = reasonCodeFor(input, campaign);
  const v: HouseholdVerification = {
    status: input.outcome === 'ELIGIBLE' ? 'PROPOSED' : 'COMPLETING',
    outcome: input.outcome,
    area: { province: area.province, district: area.district, tehsil: area.tehsil },
    method: input.method,
    note: input.note.trim(),
    ...(reason ? { reason } : {}),
    ...(reasonCode ? { reasonCode } : {}),
    ...(campaign ? { campaignId: campaign.campaignId, ruleSetVersion: campaign.ruleSetVersion } : {}),
    ...(campaign && input.outcome === 'ELIGIBLE'
      ? { amount: entitlementFor(campaign, NO_PROGRAMME).amount }
      : {}),
    proposedBy: actor.user,
    proposedRole: actor.role,
    proposedAt: now.toISOString(),
  };
  if (!(await deps.verifications.claim(input.householdId, 'NONE', v)))
    return existingVerification(deps, await requireHousehold(deps, input.householdId), actor, input.outcome);
  crashPoint('verify.after-claim');
  if (v.status === 'PROPOSED') {
    await appendProposal(deps, input.householdId, v);
    return v;
  }
  return completeVerification(deps, household, v);
}

/**
 * A second officer confirms an eligible finding (maker-checker, by stable user id: the proposer is
 * refused). The confirmation is a conditional PROPOSED -> COMPLETING write naming the confirmer, so
 * of two confirming at once one goes on; the amount is the campaign's rules at confirmation.
 */
export async function confirmVerification(
  deps: VerificationDeps,
  actor: StaffActor,
  householdId: string,
): Promise<HouseholdVerification> {
  const household = await requireHousehold(deps, householdId);
  const v = household.verification;
  if (!v) throw new ConflictError(`Household ${householdId} has no verification to confirm`);
  if (v.status !== 'PROPOSED') return existingVerification(deps, household, actor);
  if (sameStaffUserId(v.proposedBy, actor.user))
    throw new ForbiddenError(
      `You proposed the verification of ${householdId}; another officer must confirm it (maker-checker)`,
    );
  const now = deps.clock.now();
  const campaign = v.campaignId ? await deps.campaigns.get(v.campaignId) : undefined;
  if (!campaign || !isOpen(campaign, now))
    throw new ConflictError(`Campaign ${v.campaignId ?? ''} is no longer open: reject the household instead`);
  const next: HouseholdVerification = {
    ...v,
    status: 'COMPLETING',
    ruleSetVersion: campaign.ruleSetVersion,
    amount: entitlementFor(campaign, NO_PROGRAMME).amount,
    confirmedBy: actor.user,
    confirmedRole: actor.role,
    confirmedAt: now.toISOString(),
  };
  if (!(await deps.verifications.claim(householdId, 'PROPOSED', next, v.proposedAt)))
    return existingVerification(deps, await requireHousehold(deps, householdId), actor);
  crashPoint('verify.after-claim');
  await appendProposal(deps, householdId, v);
  return completeVerification(deps, household, next);
}

/**
 * A second officer declines an eligible finding (or its proposer withdraws it) with a reason: the
 * proposal is removed (conditional on it being the one proposed, so it never undoes a confirmation
 * made meanwhile) and the household waits to be verified again. Nothing is decided or sent.
 */
export async function declineVerification(
  deps: VerificationDeps,
  actor: StaffActor,
  input: { readonly householdId: string; readonly reason: string },
): Promise<void> {
  const household = await requireHousehold(deps, input.householdId);
  const v = household.verification;
  if (v?.status !== 'PROPOSED')
    throw new ConflictError(
      `Household ${input.householdId} has no verification waiting for a second officer`,
    );
  if (input.reason.trim().length < 5) throw new ValidationError('Write the reason (at least 5 characters)');
  if (!(await deps.verifications.release(input.householdId, v.proposedAt)))
    throw new ConflictError(`The verification of ${input.householdId} was confirmed or declined meanwhile`);
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'household.verify',
    subject: `household/${input.householdId}`,
    before: { verification: 'PROPOSED', outcome: v.outcome, proposedBy: v.proposedBy },
    after: { verification: 'DECLINED', reason: input.reason.trim() },
    actionId: `household.verify/${input.householdId}/decline/${v.proposedAt}`,
  });
}
