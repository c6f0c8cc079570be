import type { AuditLog } from '../audit/ports.js';
import type { Decision } from '../eligibility/decision.js';
import { crashPoint } from '../faults/crash-point.js';
import type { DecisionRecordStore, ReplyQueue, StatsSink } from '../registration/ports.js';
import { renderReply } from '../replies/index.js';
import type { OutboundSms } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import type { CampaignLimits } from './cap-shards.js';
import { reserveForClaim } from './enroll-within-caps.js';
import type { Enrollment } from './enrollment-ports.js';
import type { CapLedger, EnrollmentClaims } from './ports.js';

export interface PromoteDeps {
  readonly caps: CapLedger;
  readonly claims: EnrollmentClaims;
  readonly decisions?: Pick<DecisionRecordStore, 'put' | 'latest'>;
  readonly replies: ReplyQueue;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly stats?: StatsSink;
  readonly clock: Clock;
}

export interface PromotionActor {
  readonly user: string;
  readonly role: string;
}

const PAGE = 25;

/**
 * Promotes waitlisted households, oldest registration first, while the caps have room: each is
 * reserved for like a new enrollment (a new claim on the same item), made visible to payments, given
 * an ELIGIBLE decision of record, recorded in the ledger and told by SMS. Stops at the first household
 * no shard has room for. Re-running it after a crash finishes a half-done promotion and goes on.
 */
export async function promoteWaitlist(
  deps: PromoteDeps,
  campaign: CampaignLimits & { readonly name: string; readonly nameUr?: string },
  actor: PromotionActor,
): Promise<{ promoted: string[] }> {
  const promoted: string[] = [];
  for (;;) {
    const page = await deps.claims.waitlist(campaign.campaignId, PAGE);
    if (page.length === 0) return { promoted };
    for (const waiting of page) {
      const outcome = await promoteOne(deps, campaign, waiting, actor);
      if (outcome === 'full') return { promoted };
      if (outcome === 'promoted') promoted.push(waiting.householdId);
    }
  }
}

async function promoteOne(
  deps: PromoteDeps,
  campaign: CampaignLimits & { readonly name: string; readonly nameUr?: string },
  waiting: Enrollment,
  actor: PromotionActor,
): Promise<'promoted' | 'full' | 'skipped'> {
  let claim = waiting;
  if (waiting.capState === 'waitlisted') {
    const claimId = `${waiting.messageId}@promote-r${campaign.limitsRevision ?? 0}`;
    // Another promotion took it meanwhile: leave it to that one.
    if (!(await deps.claims.reclaim(waiting, claimId))) return 'skipped';
    claim = { ...waiting, capState: 'reserving', claimId };
  }
  crashPoint('promote.after-reclaim');
  const resumed = waiting.capState === 'reserving';
  const shard = await reserveForClaim(deps.caps, claim, campaign, resumed);
  if (shard === undefined) {
    await deps.claims.settle(claim, 'waitlisted');
    return 'full';
  }
  claim = { ...claim, capShard: shard };
  crashPoint('promote.after-reserve');
  // Told before it leaves the waitlist index: a re-run after a crash finds it there and tells again
  // (the decision, ledger entry and SMS are idempotent; the counters are not, so a resumed
  // promotion leaves them to the first run).
  await tellPromoted(deps, campaign, claim, actor, !resumed);
  crashPoint('promote.after-tell');
  await deps.claims.settle(claim, 'enrolled');
  return 'promoted';
}

/** The promoted household's decision of record, ledger entry, counters and SMS (each idempotent). */
async function tellPromoted(
  deps: PromoteDeps,
  campaign: CampaignLimits & { readonly name: string; readonly nameUr?: string },
  enrollment: Enrollment,
  actor: PromotionActor,
  count: boolean,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  const decision: Decision = {
    status: 'ELIGIBLE',
    reasons: [],
    ruleSetVersion: enrollment.ruleSetVersion,
    campaignId: campaign.campaignId,
    householdId: enrollment.householdId,
    category: enrollment.category,
    amount: enrollment.amount,
    inputs: { district: enrollment.district, tehsil: enrollment.tehsil, promotedFrom: 'WAITLISTED' },
    decidedAt: now,
  };
  // A household without a tied phone has no `notify`; its decision of record is promoted all the same.
  if (deps.decisions && enrollment.channel !== 'vertical') {
    const standing = await deps.decisions.latest(enrollment.cnicHash);
    const previous = standing?.campaignId === campaign.campaignId ? standing.decision : undefined;
    await deps.decisions.put({
      campaignId: campaign.campaignId,
      cnicHash: enrollment.cnicHash,
      messageId: standing?.campaignId === campaign.campaignId ? standing.messageId : enrollment.messageId,
      reference: enrollment.reference,
      from: enrollment.notify?.phone ?? '',
      channel: enrollment.channel,
      lang: enrollment.notify?.lang ?? standing?.lang ?? 'en',
      decision: previous ? { ...decision, inputs: { ...previous.inputs, ...decision.inputs } } : decision,
    });
  }
  await deps.audit.append({
    actor: actor.user,
    role: actor.role,
    action: 'waitlist.promote',
    subject: `enrollment/${campaign.campaignId}/${enrollment.householdId}`,
    before: { capState: 'waitlisted', registeredAt: enrollment.enrolledAt },
    after: { capState: 'enrolled', amount: enrollment.amount, category: enrollment.category },
    actionId: `waitlist.promote/${campaign.campaignId}/${enrollment.householdId}/${enrollment.claimId ?? ''}`,
  });
  if (count)
    await deps.stats?.add(campaign.campaignId, {
      'status:WAITLISTED': -1,
      'status:ELIGIBLE': 1,
      [`category:${enrollment.category}`]: 1,
      committedAmount: enrollment.amount,
    });
  if (!enrollment.notify) return;
  const notice: OutboundSms = {
    // One id per household and campaign: the sender delivers a promotion notice once, re-runs included.
    id: `promote-${campaign.campaignId}-${enrollment.householdId}`,
    to: enrollment.notify.phone,
    text: renderReply({
      status: 'ELIGIBLE',
      reasons: [],
      lang: enrollment.notify.lang,
      reference: enrollment.reference,
      amount: enrollment.amount,
      campaignName: campaign.name,
      ...(campaign.nameUr ? { campaignNameUr: campaign.nameUr } : {}),
    }),
    lang: enrollment.notify.lang,
    reference: enrollment.reference,
    createdAt: now,
  };
  await deps.replies.enqueue([notice]);
}
