import type { AuditLog } from '../audit/ports.js';
import type { Campaign } from '../campaigns/campaign.js';
import { enrollOutcome } from '../campaigns/enroll-within-caps.js';
import type { Enrollment, EnrollmentStore } from '../campaigns/enrollment-ports.js';
import { entitlementOfRecorded } from '../eligibility/entitlement.js';
import { ConflictError } from '../errors.js';
import { crashPoint } from '../faults/crash-point.js';
import type { DecisionRecordStore, ReplyQueue, StoredDecision } from '../registration/ports.js';
import { renderReply } from '../replies/render.js';
import type { Language, OutboundSms } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import type { AppealWorkFields } from './appeal-work.js';
import { claimAppeal } from './claim-appeal.js';

/** PROPOSED: an overturn above the second-officer amount, waiting for another officer (appeals/decide-appeal). */
export type AppealStatus = 'OPEN' | 'PROPOSED' | 'RESOLVING' | 'UPHELD' | 'OVERTURNED';
export type AppealOutcome = 'UPHELD' | 'OVERTURNED';

/** Who took the case and for which outcome: written (OPEN -> RESOLVING) before anything else changes. */
export interface AppealClaim {
  readonly by: string;
  readonly role: string;
  readonly outcome: AppealOutcome;
  readonly reason: string;
  readonly at: string;
}

/** A grievance against a decision, opened by SMS (`APPEAL <cnic> <text>`) or the web. */
export interface Appeal extends AppealWorkFields {
  readonly appealId: string;
  readonly messageId: string;
  readonly cnicHash: string;
  readonly phone: string;
  readonly lang: Language;
  readonly note: string;
  readonly status: AppealStatus;
  readonly openedAt: string;
  /** The decision appealed against, when there was one. */
  readonly decision?: StoredDecision;
  /** Set when a staff member takes the case; kept after it is resolved. */
  readonly claim?: AppealClaim;
  readonly resolution?: {
    readonly by: string;
    readonly at: string;
    readonly reason: string;
    readonly enrolled: boolean;
  };
}

export interface AppealStore {
  /** Idempotent by message id: a redelivered APPEAL opens one case. */
  open(appeal: Appeal): Promise<Appeal>;
  get(appealId: string): Promise<Appeal | undefined>;
  /** The person's latest appeal, by key (appeals/appeal-standing); a store without it leaves standings as they are. */
  latestOf?(cnicHash: string): Promise<Appeal | undefined>;
  list(status: AppealStatus, limit: number): Promise<Appeal[]>;
  /**
   * OPEN -> RESOLVING with the claim, conditional on the case being OPEN: of two staff members
   * resolving at once, one gets true. False when the case was not OPEN.
   */
  claim(appealId: string, claim: AppealClaim): Promise<boolean>;
  /** RESOLVING -> the claimed outcome with the resolution; a case already at that outcome is left as it is. */
  complete(
    appealId: string,
    outcome: AppealOutcome,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void>;
}

/** The household is told its complaint is registered (the appeal's id as its reference). */
export function appealReceivedText(appealId: string, lang: Language, cnic?: string): string {
  return renderReply({
    status: 'HELP',
    reasons: [],
    lang,
    appeal: 'RECEIVED',
    reference: appealId,
    ...(cnic ? { cnic } : {}),
  });
}

/** The household is told how its complaint was resolved, with what to send next. */
export function appealOutcomeText(
  outcome: AppealOutcome,
  appealId: string,
  lang: Language,
  cnic?: string,
): string {
  return renderReply({
    status: 'HELP',
    reasons: [],
    lang,
    appeal: outcome,
    reference: appealId,
    ...(cnic ? { cnic } : {}),
  });
}

export interface ResolveAppealDeps {
  readonly appeals: AppealStore;
  /** The person's decision of record, replaced when an appeal is overturned (STATUS then says so). */
  readonly decisions?: Pick<DecisionRecordStore, 'put'>;
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
}

/**
 * Staff uphold or overturn an appeal with a written reason. The case is claimed first (OPEN ->
 * RESOLVING, conditional), so of two staff resolving at once one outcome takes effect and the other
 * gets a ConflictError before anything changes. Overturning a refusal taken under a campaign enrolls
 * the household (conditionally, so never twice); the ledger records the resolution (by actionId), the
 * case is closed, and the household is told by SMS. Every step after the claim is idempotent and uses
 * the claim's outcome and time, so the claimant re-running it after a crash at any step converges.
 */
export async function resolveAppeal(
  deps: ResolveAppealDeps,
  request: { appealId: string; outcome: AppealOutcome; reason: string; by: string; role?: string },
): Promise<Appeal> {
  const { appeal, claim, mine } = await claimAppeal(
    deps.appeals,
    { ...request, role: request.role ?? 'program-officer' },
    deps.clock.now().toISOString(),
  );
  crashPoint('appeal.after-claim');
  // From here on the claim decides: a re-run resolves as first claimed, with the same timestamps.
  const input = claim;
  const now = claim.at;
  let enrolled = false;
  const decision = appeal.decision?.decision;
  if (
    input.outcome === 'OVERTURNED' &&
    decision?.campaignId &&
    decision.householdId &&
    decision.status !== 'ELIGIBLE'
  ) {
    const campaign = await deps.campaigns.get(decision.campaignId);
    if (campaign) {
      const enrollment: Enrollment = {
        campaignId: campaign.campaignId,
        householdId: decision.householdId,
        messageId: appeal.messageId,
        reference: appeal.appealId,
        cnicHash: appeal.cnicHash,
        ...entitlementOfRecorded(campaign, decision.inputs),
        district: String(decision.inputs.district ?? ''),
        tehsil: String(decision.inputs.tehsil ?? ''),
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'sms',
        enrolledAt: now,
        // An appeal's phone is a tied one (empty when the household has none): notices never go elsewhere.
        ...(appeal.phone ? { notify: { phone: appeal.phone, lang: appeal.lang } } : {}),
      };
      // Past the campaign's caps the overturn waitlists the household (eligible, funds exhausted).
      const outcome = enrollOutcome(
        await deps.enrollments.enroll(enrollment, campaign),
        appeal.messageId,
        appeal.appealId,
      );
      enrolled = outcome === 'enrolled';
      // The household's standing decision is now the appeal's: STATUS and repeats answer from it.
      if (deps.decisions && appeal.decision) {
        await deps.decisions.put({
          campaignId: campaign.campaignId,
          cnicHash: appeal.cnicHash,
          messageId: appeal.decision.messageId,
          reference: appeal.decision.reference,
          from: appeal.phone,
          channel: 'sms',
          lang: appeal.lang,
          decision: {
            ...decision,
            ...(outcome === 'waitlisted'
              ? { status: 'WAITLISTED' as const, reasons: ['CAP_REACHED' as const] }
              : { status: 'ELIGIBLE' as const, reasons: [], amount: enrollment.amount }),
            category: enrollment.category,
            ruleSetVersion: campaign.ruleSetVersion,
            inputs: { ...decision.inputs, overturnedBy: input.by, appealId: appeal.appealId },
            decidedAt: now,
          },
        });
      }
    }
  }
  crashPoint('appeal.after-enroll');
  const resolution = { by: input.by, at: now, reason: input.reason, enrolled };
  await deps.audit.append({
    actor: claim.by,
    role: claim.role,
    action: 'appeal.resolve',
    subject: `appeal/${appeal.appealId}`,
    before: { status: 'OPEN', decision: decision?.status ?? null },
    after: { status: claim.outcome, reason: claim.reason, enrolled },
    actionId: `appeal.resolve/${appeal.appealId}`,
  });
  crashPoint('appeal.after-audit');
  await deps.appeals.complete(appeal.appealId, claim.outcome, resolution);
  crashPoint('appeal.after-complete');
  const notice: OutboundSms = {
    id: `appeal-${appeal.appealId}-${input.outcome}`,
    to: appeal.phone,
    text: appealOutcomeText(input.outcome, appeal.appealId, appeal.lang),
    lang: appeal.lang,
    reference: appeal.appealId,
    createdAt: now,
  };
  if (notice.to) await deps.replies.enqueue([notice]);
  if (!mine)
    throw new ConflictError(
      `Appeal ${appeal.appealId} was resolved as ${claim.outcome} by ${claim.by} (a stalled resolution, now finished)`,
    );
  return { ...appeal, status: input.outcome, resolution };
}
