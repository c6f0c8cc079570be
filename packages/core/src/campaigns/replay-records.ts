import type { Decision } from '../eligibility/decision.js';
import type { DecisionOfRecord, ReplyQueue } from '../registration/ports.js';
import { renderReply } from '../replies/index.js';
import type { OutboundSms } from '../schemas.js';
import type { Campaign } from './campaign.js';
import { enrollOutcome } from './enroll-within-caps.js';
import type { EnrollmentStore } from './enrollment-ports.js';
import { replayDecision } from './replay.js';
import { waitlistedOf } from './waitlist-decision.js';

/** What a replay reads and, with `apply`, changes: a campaign's decisions of record, by key or index. */
export interface ReplayDecisionsPort {
  /**
   * One page of a campaign's decisions of record in one of `shards` partitions of an index, from a
   * cursor; `cursor` is absent on the last page.
   */
  decisionsPage(
    campaignId: string,
    shard: number,
    cursor?: Record<string, unknown>,
    limit?: number,
  ): Promise<{ items: DecisionOfRecord[]; cursor?: Record<string, unknown> }>;
  replaceDecision(record: DecisionOfRecord, decision: Decision, previous: Decision): Promise<void>;
}

export interface ReplayApplyDeps {
  readonly decisions: Pick<ReplayDecisionsPort, 'replaceDecision'>;
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  readonly now: () => Date;
}

/** Counts of one page (or a whole replay): changes keyed `FROM->TO`. */
export interface ReplayTally {
  readonly examined: number;
  readonly unchanged: number;
  readonly changes: Readonly<Record<string, number>>;
  readonly notified: number;
}

export const EMPTY_TALLY: ReplayTally = { examined: 0, unchanged: 0, changes: {}, notified: 0 };

export function addTallies(a: ReplayTally, b: ReplayTally): ReplayTally {
  const changes: Record<string, number> = { ...a.changes };
  for (const [key, n] of Object.entries(b.changes)) changes[key] = (changes[key] ?? 0) + n;
  return {
    examined: a.examined + b.examined,
    unchanged: a.unchanged + b.unchanged,
    changes,
    notified: a.notified + b.notified,
  };
}

/**
 * Re-decides `records` under the campaign's current rule-set version; with `applyWith`, records each new
 * decision, enrolls the newly eligible within the campaign's caps (past them: waitlisted, and told so),
 * withdraws enrollments the rules no longer support, and notifies only those whose outcome changed.
 * A decision already under the current version is skipped, so a page run twice changes nothing twice.
 */
export async function replayRecords(
  campaign: Campaign,
  records: readonly DecisionOfRecord[],
  applyWith?: ReplayApplyDeps,
): Promise<ReplayTally> {
  let unchanged = 0;
  let notified = 0;
  const changes: Record<string, number> = {};
  for (const registration of records) {
    const previous = registration.decision;
    const next = previous ? replayDecision(previous, campaign) : undefined;
    if (!previous || !next || next.status === previous.status) {
      unchanged++;
      continue;
    }
    const key = `${previous.status}->${next.status}`;
    changes[key] = (changes[key] ?? 0) + 1;
    if (applyWith) notified += await applyChange(applyWith, campaign, registration, previous, next);
  }
  return { examined: records.length, unchanged, changes, notified };
}

async function applyChange(
  deps: ReplayApplyDeps,
  campaign: Campaign,
  registration: DecisionOfRecord,
  previous: Decision,
  next: Decision,
): Promise<number> {
  let decision = next;
  if (next.status === 'ELIGIBLE' && next.householdId && registration.cnicHash) {
    const result = await deps.enrollments.enroll(
      {
        campaignId: campaign.campaignId,
        householdId: next.householdId,
        messageId: registration.messageId,
        reference: registration.reference,
        cnicHash: registration.cnicHash,
        category: next.category ?? 'NEW_BENEFICIARY',
        amount: next.amount ?? 0,
        district: String(next.inputs.district ?? ''),
        tehsil: String(next.inputs.tehsil ?? ''),
        ruleSetVersion: campaign.ruleSetVersion,
        channel: registration.channel,
        enrolledAt: deps.now().toISOString(),
        // The decision of record's phone is tied to the household (empty when it has none).
        ...(registration.from ? { notify: { phone: registration.from, lang: registration.lang } } : {}),
      },
      campaign,
    );
    const outcome = enrollOutcome(result, registration.messageId, registration.reference);
    if (typeof outcome === 'object') {
      decision = { ...next, status: 'DUPLICATE', reasons: ['ALREADY_ENROLLED'] };
    } else if (outcome === 'waitlisted') {
      // Newly eligible past the campaign's caps: waitlisted, and told so (no amount).
      decision = waitlistedOf(next);
    }
  }
  if (
    previous.status === 'ELIGIBLE' &&
    next.status === 'NOT_ELIGIBLE' &&
    next.householdId &&
    deps.enrollments.revoke
  ) {
    const revoked = await deps.enrollments.revoke(
      campaign.campaignId,
      next.householdId,
      registration.messageId,
      deps.now().toISOString(),
    );
    // Already in a payment batch: the money is on its way; keep the old decision for staff to settle.
    if (!revoked) return 0;
  }
  await deps.decisions.replaceDecision(registration, decision, previous);
  // No tied phone: the household learns its outcome in person, never on a stranger's phone.
  if (decision.status === 'DUPLICATE' || !registration.from) return 0;
  const notice: OutboundSms = {
    // From the phone and the message id (the reference is keyed over both), as every reply id.
    id: `replay-${registration.messageId}-${registration.reference}-${campaign.ruleSetVersion}`,
    to: registration.from,
    text: renderReply({
      status: decision.status,
      reasons: decision.reasons,
      lang: registration.lang,
      reference: registration.reference,
      ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
    }),
    lang: registration.lang,
    reference: registration.reference,
    createdAt: deps.now().toISOString(),
  };
  await deps.replies.enqueue([notice]);
  return 1;
}
