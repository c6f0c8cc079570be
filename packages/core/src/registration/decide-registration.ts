import { enrollOutcome } from '../campaigns/enroll-within-caps.js';
import type { Enrollment } from '../campaigns/enrollment-ports.js';
import { waitlistedOf } from '../campaigns/waitlist-decision.js';
import type { Decision } from '../eligibility/decision.js';
import { decideEligibility } from '../eligibility/eligibility.js';
import { referenceOfRecord } from './household-standing.js';
import type { ParsedRegistration } from './parse-registration.js';
import { phonesPerCnicDecision } from './phones-per-cnic.js';
import type { DecisionOfRecord } from './ports.js';
import type { BatchContext, ReconcileDeps } from './reconcile-deps.js';

/** The latest of a person's decisions of record (STATUS, appeals). */
export function latestOf(records: readonly DecisionOfRecord[] | undefined): DecisionOfRecord | undefined {
  return (records ?? [])
    .filter((r) => r.decision)
    .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))[0];
}

/**
 * Decides a registration of a CNIC: the person's standing decision when this message already made
 * it or a repeat needs nothing new, else a fresh decision, enrolled within the caps and recorded.
 */
export async function decideRegistration(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  notifyPhone: string | undefined,
): Promise<{ decision: Decision; ofRecord: boolean; reference: string }> {
  const hash = item.cnicHash as string;
  const { messageId } = item.message;
  const now = deps.clock.now();
  const match = ctx.matches.get(hash) ?? { exclusions: [] };
  const cnicsFromPhone = ctx.cnicsFromPhone.get(messageId) ?? 1;
  const fresh = decideEligibility({ match, campaigns: ctx.campaigns, cnicsFromPhone, now });
  const campaignKey = fresh.campaignId ?? NO_CAMPAIGN;
  const standing = match.decisionsOfRecord?.find((d) => d.campaignId === campaignKey);

  if (standing?.messageId === messageId && standing.reference === reference) {
    // This very message decided before a crash: the same decision, and its enrollment made sure of.
    if (standing.decision.status === 'ELIGIBLE')
      await enroll(deps, item, standing.decision, reference, ctx, notifyPhone);
    return { decision: standing.decision, ofRecord: false, reference: referenceOfRecord(standing) };
  }
  // Past the campaign's phonesPerCnic: flagged for review and told so; nothing enrolled or recorded.
  const tooManyPhones = await phonesPerCnicDecision(deps.cnicPhones, {
    cnicHash: hash,
    phone: item.phone,
    campaign: ctx.campaigns.find((c) => c.campaignId === fresh.campaignId),
    knownPhone: standing?.from === item.phone,
    now,
  });
  // Told to the sender whoever it is, about this message only: its own reference.
  if (tooManyPhones) return { decision: tooManyPhones, ofRecord: true, reference };
  // Every later message of the person in the campaign answers with the household's one reference.
  const ofHousehold = standing ? referenceOfRecord(standing) : reference;
  // On the waitlist already: a repeat is told so again, and touches neither enrollment nor caps.
  if (standing?.decision.status === 'WAITLISTED' && fresh.status === 'ELIGIBLE')
    return { decision: standing.decision, ofRecord: false, reference: ofHousehold };
  // The household is enrolled already (by this person, or another member first): a duplicate of it.
  if (standing?.decision.status === 'ELIGIBLE')
    return { decision: duplicateOf(fresh, standing.reference), ofRecord: false, reference: ofHousehold };
  if (standing?.decision.status === 'DUPLICATE' && fresh.status === 'ELIGIBLE')
    return { decision: duplicateOf(fresh, ofHousehold), ofRecord: false, reference: ofHousehold };
  // A repeat with the same outcome: answered again, nothing written but its own record.
  if (standing && standing.decision.status === fresh.status)
    return { decision: fresh, ofRecord: false, reference: ofHousehold };

  if (
    fresh.status === 'PENDING_VERIFICATION' &&
    !match.person &&
    item.command.kind === 'register' &&
    !standing
  ) {
    // Dynamic inclusion: whoever registers becomes a provisional household, verified by staff later.
    const web = item.message.channel === 'web' ? item.message : undefined;
    await deps.registry.addProvisional({
      cnic: item.command.cnic,
      cnicHash: hash,
      // The person's own SIM when someone else registers them (none known: no phone, ask in person).
      phone: notifyPhone ?? '',
      registeredAt: fresh.decidedAt,
      ...(web
        ? { district: web.district, tehsil: web.tehsil, ...(web.household ? { answers: web.household } : {}) }
        : {}),
    });
  }
  let decision = fresh;
  // A person's first decision in the campaign takes the household's reference when it has one.
  let ofRecordReference = standing ? ofHousehold : reference;
  if (fresh.status === 'ELIGIBLE') {
    const outcome = await enroll(deps, item, fresh, ofRecordReference, ctx, notifyPhone);
    // Another member of the household enrolled first (or a top-up): one payment per household.
    if (typeof outcome === 'object') {
      decision = duplicateOf(fresh, outcome.firstReference);
      ofRecordReference = outcome.firstReference;
    }
    // Eligible, but no cap had room: told so, and promoted in order if a cap is raised.
    else if (outcome === 'waitlisted') decision = waitlistedOf(fresh);
  }
  const record: DecisionOfRecord = {
    campaignId: campaignKey,
    cnicHash: hash,
    messageId,
    reference: ofRecordReference,
    // The household's notices (replays, appeals, web status) go to a tied phone, never a stranger's.
    from: notifyPhone ?? '',
    channel: item.message.channel,
    lang: item.command.lang,
    decision,
  };
  await deps.decisions.put(record);
  ctx.matches.set(hash, {
    ...match,
    decisionsOfRecord: [
      ...(match.decisionsOfRecord ?? []).filter((d) => d.campaignId !== campaignKey),
      record,
    ],
  });
  return { decision, ofRecord: true, reference: ofRecordReference };
}

/** A decision without a campaign (none in force, identity not confirmed) is recorded under this id. */
export const NO_CAMPAIGN = '-';

function duplicateOf(decision: Decision, firstReference: string): Decision {
  return {
    ...decision,
    status: 'DUPLICATE',
    reasons: ['ALREADY_ENROLLED'],
    inputs: { ...decision.inputs, firstReference },
  };
}

/**
 * Enrolls the household (conditionally, within the campaign's caps); says whether it was enrolled or
 * waitlisted, or gives the first reference when someone else enrolled it.
 */
async function enroll(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  decision: Decision,
  reference: string,
  ctx: BatchContext,
  notifyPhone: string | undefined,
): Promise<'enrolled' | 'waitlisted' | { readonly firstReference: string }> {
  const campaign = ctx.campaigns.find((c) => c.campaignId === decision.campaignId);
  if (!campaign || !decision.householdId) return 'enrolled';
  const enrollment: Enrollment = {
    campaignId: campaign.campaignId,
    householdId: decision.householdId,
    messageId: item.message.messageId,
    reference,
    cnicHash: item.cnicHash as string,
    category: decision.category ?? 'NEW_BENEFICIARY',
    amount: decision.amount ?? 0,
    district: String(decision.inputs.district ?? ''),
    tehsil: String(decision.inputs.tehsil ?? ''),
    ruleSetVersion: decision.ruleSetVersion,
    channel: item.message.channel,
    enrolledAt: decision.decidedAt,
    ...(notifyPhone ? { notify: { phone: notifyPhone, lang: item.command.lang } } : {}),
  };
  return enrollOutcome(
    await deps.enrollments.enroll(enrollment, campaign),
    item.message.messageId,
    reference,
  );
}
