import { enrollOutcome } from '../campaigns/enroll-within-caps.js';
import type { Enrollment } from '../campaigns/enrollment-ports.js';
import {
  BASELINE_RULE_SET,
  type Decision,
  type DecisionStatus,
  type ReasonCode,
} from '../eligibility/decision.js';
import { crashPoint } from '../faults/crash-point.js';
import { NO_CAMPAIGN } from '../registration/decide-registration.js';
import type { DecisionOfRecord } from '../registration/ports.js';
import { referenceFor } from '../registration/reference.js';
import { renderReply } from '../replies/render.js';
import type { OutboundSms } from '../schemas.js';
import type { HouseholdVerification, VerifiableHousehold, VerificationDeps } from './verification-ports.js';

/** The message id of a verification's enrollment and SMS: one per household, so a re-run repeats them. */
export const verificationMessageId = (householdId: string) => `verify-${householdId}`;

async function entitlement(
  deps: VerificationDeps,
  v: HouseholdVerification,
  base: Pick<Enrollment, 'householdId' | 'reference' | 'cnicHash' | 'enrolledAt'> & {
    channel: 'sms' | 'web';
    phone: string;
    lang: DecisionOfRecord['lang'];
  },
): Promise<{ status: DecisionStatus; reasons: ReasonCode[] }> {
  const campaign = v.campaignId ? await deps.campaigns.get(v.campaignId) : undefined;
  if (!campaign || v.amount === undefined) return { status: 'NOT_ELIGIBLE', reasons: [] };
  const messageId = verificationMessageId(base.householdId);
  const enrollment: Enrollment = {
    campaignId: campaign.campaignId,
    householdId: base.householdId,
    messageId,
    reference: base.reference,
    cnicHash: base.cnicHash,
    category: 'NEW_BENEFICIARY',
    amount: v.amount,
    district: v.area.district,
    tehsil: v.area.tehsil,
    ruleSetVersion: v.ruleSetVersion ?? campaign.ruleSetVersion,
    channel: base.channel,
    enrolledAt: base.enrolledAt,
    ...(base.phone ? { notify: { phone: base.phone, lang: base.lang } } : {}),
  };
  // Within the campaign's caps, like every other enrollment: past them the household is waitlisted.
  const outcome = enrollOutcome(
    await deps.enrollments.enroll(enrollment, campaign),
    messageId,
    base.reference,
  );
  if (outcome === 'enrolled') return { status: 'ELIGIBLE', reasons: [] };
  if (outcome === 'waitlisted') return { status: 'WAITLISTED', reasons: ['CAP_REACHED'] };
  return { status: 'DUPLICATE', reasons: ['ALREADY_ENROLLED'] };
}

/**
 * The counters the verified household moves in its campaign: out of `pending verification` (where the
 * reconciler counted it: the campaign covering the area it gave, or the only one open) into its outcome.
 */
function figuresDelta(decision: Decision): Record<string, number> {
  const { district, tehsil } = decision.inputs;
  const delta: Record<string, number> = {
    'status:PENDING_VERIFICATION': -1,
    [`status:${decision.status}`]: 1,
    [`district:${district}:${decision.status}`]: 1,
    [`tehsil:${district}/${tehsil}:${decision.status}`]: 1,
  };
  for (const reason of decision.reasons) delta[`reason:${reason}`] = 1;
  if (decision.status === 'ELIGIBLE' && decision.category) {
    delta[`category:${decision.category}`] = 1;
    delta.committedAmount = decision.amount ?? 0;
    delta[`district:${district}:amount`] = decision.amount ?? 0;
  }
  return delta;
}

/**
 * The steps after a verification is claimed (COMPLETING), each idempotent and taken from the claim
 * alone (its outcome, area, amount and time), so the claimant's re-run after a crash at any step, or
 * anyone's once the claim is stale, converges on the state of an uncrashed run: the enrollment (for
 * an eligible finding, within the caps), the person's decision of record (the reference they already
 * hold), the ledger entry, the SMS through the reply queue (one id per household), then the household
 * takes the verified area and leaves the provisional queue, and its members' decision views follow.
 */
export async function completeVerification(
  deps: VerificationDeps,
  household: VerifiableHousehold,
  v: HouseholdVerification,
): Promise<HouseholdVerification> {
  const householdId = household.householdId;
  const head = household.members[0];
  if (!head) throw new Error(`Household ${householdId} has no member`);
  // The registration that made the household: its reference, channel and language are the household's.
  const standing = await deps.decisions.latest(head.cnicHash);
  const reference = standing?.reference ?? referenceFor(verificationMessageId(householdId));
  const phone = household.phones[0] ?? standing?.from ?? '';
  const lang = standing?.lang ?? 'en';
  const channel = standing?.channel ?? 'web';
  const decidedAt = v.confirmedAt ?? v.proposedAt;
  const { status, reasons } =
    v.outcome === 'ELIGIBLE'
      ? await entitlement(deps, v, {
          householdId,
          reference,
          cnicHash: head.cnicHash,
          enrolledAt: decidedAt,
          channel,
          phone,
          lang,
        })
      : { status: 'NOT_ELIGIBLE' as const, reasons: v.reasonCode ? [v.reasonCode] : [] };
  crashPoint('verify.after-enroll');
  const decision: Decision = {
    status,
    reasons,
    ruleSetVersion: v.ruleSetVersion ?? BASELINE_RULE_SET,
    ...(v.campaignId ? { campaignId: v.campaignId } : {}),
    householdId,
    ...(v.outcome === 'ELIGIBLE' ? { category: 'NEW_BENEFICIARY' as const, amount: v.amount } : {}),
    inputs: {
      householdId,
      district: v.area.district,
      tehsil: v.area.tehsil,
      inRegistry: false,
      verification: v.method,
      verifiedBy: v.proposedBy,
      confirmedBy: v.confirmedBy ?? null,
      ...(v.outcome === 'REJECTED' ? { rejected: v.reason ?? '' } : {}),
    },
    decidedAt,
  };
  const record: DecisionOfRecord = {
    campaignId: v.campaignId ?? NO_CAMPAIGN,
    cnicHash: head.cnicHash,
    messageId: standing?.messageId ?? verificationMessageId(householdId),
    reference,
    from: phone,
    channel,
    lang,
    decision,
  };
  await deps.decisions.put(record);
  crashPoint('verify.after-decision');
  const claimant = v.confirmedBy ?? v.proposedBy;
  await deps.audit.append({
    actor: claimant,
    role: v.confirmedRole ?? v.proposedRole,
    action: 'household.verify',
    subject: `household/${householdId}`,
    before: { status: 'provisional' },
    after: {
      outcome: v.outcome,
      decision: status,
      reasons,
      area: v.area,
      method: v.method,
      note: v.note,
      reason: v.reason ?? null,
      campaignId: v.campaignId ?? null,
      ruleSetVersion: decision.ruleSetVersion,
      amount: status === 'ELIGIBLE' ? (v.amount ?? null) : null,
      proposedBy: v.proposedBy,
      confirmedBy: v.confirmedBy ?? null,
    },
    actionId: `household.verify/${householdId}`,
  });
  crashPoint('verify.after-audit');
  const campaign = v.campaignId ? await deps.campaigns.get(v.campaignId) : undefined;
  const text = renderReply({
    status,
    reasons,
    lang,
    reference,
    ...(status === 'ELIGIBLE' && v.amount !== undefined ? { amount: v.amount } : {}),
    ...(campaign ? { campaignName: campaign.name } : {}),
    ...(campaign?.nameUr ? { campaignNameUr: campaign.nameUr } : {}),
    // The household's own CNIC in the reply's examples (STATUS 35202-1234567-1), never a placeholder.
    ...(head.cnic ? { cnic: head.cnic } : {}),
  });
  const notice: OutboundSms = {
    id: verificationMessageId(householdId),
    to: phone,
    text,
    lang,
    reference,
    createdAt: decidedAt,
  };
  // No phone tied to the household: it learns the outcome at the desk (the profile says so).
  if (phone) await deps.replies.enqueue([notice]);
  crashPoint('verify.after-notice');
  const result = {
    status,
    reference,
    ...(phone ? { notice: { to: phone, text, id: notice.id } } : {}),
  };
  const made = await deps.verifications.complete(householdId, v.area, result);
  // Counted by the call that made the change, so never twice (a kill right here loses the count).
  if (made && v.campaignId) await deps.stats?.add(v.campaignId, figuresDelta(decision));
  crashPoint('verify.after-complete');
  await deps.verifications.refreshViews(householdId);
  return { ...v, status: 'DONE', result };
}
