import {
  type AuditLog,
  type Campaign,
  type Decision,
  type DecisionOfRecord,
  type EnrollmentStore,
  enrollOutcome,
  NotFoundError,
  type OutboundSms,
  type ReplayReport,
  type ReplyQueue,
  renderReply,
  replayDecision,
  STATS_SHARDS,
  waitlistedOf,
} from '@madad/core';

export interface ReplayDeps {
  readonly campaigns: { get(id: string): Promise<Campaign | undefined> };
  readonly decisions: {
    decisionsPage(
      campaignId: string,
      shard: number,
      cursor?: Record<string, unknown>,
    ): Promise<{ items: DecisionOfRecord[]; cursor?: Record<string, unknown> }>;
    replaceDecision(record: DecisionOfRecord, decision: Decision, previous: Decision): Promise<void>;
  };
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  /** A replay with `apply` is a staff action: appended once per campaign rule-set version. */
  readonly audit: Pick<AuditLog, 'append'>;
  readonly now: () => Date;
}

/**
 * Rules replay: re-evaluates a campaign's past decisions under its current rule-set version and
 * reports what would change; with `apply`, records the new decisions, enrolls the newly eligible
 * (conditionally, never twice) and notifies only those whose outcome changed. A decision already
 * under the current version is skipped, so running it again continues where it stopped.
 */
export async function replayCampaign(
  deps: ReplayDeps,
  campaignId: string,
  options: { apply: boolean; limit: number; actor: readonly [user: string, role: string] },
): Promise<ReplayReport> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw new NotFoundError(`No campaign ${campaignId}`);
  // Recorded before any decision changes: a replay stopped midway (a crash, or `limit`) is continued
  // by the next run under the same version, the same action, so it keeps its one entry. Each decision
  // it replaces keeps the previous one beside it (`replaceDecision`).
  if (options.apply)
    await deps.audit.append({
      actor: options.actor[0],
      role: options.actor[1],
      action: 'campaign.replay-apply',
      subject: `campaign/${campaignId}`,
      before: { decisionsUnder: 'earlier rule-set versions' },
      after: { ruleSetVersion: campaign.ruleSetVersion, rules: campaign.rules },
      actionId: `campaign.replay-apply/${campaign.ruleSetVersion}`,
    });
  let examined = 0;
  let unchanged = 0;
  let notified = 0;
  let truncated = false;
  const changes: Record<string, number> = {};
  for (let shard = 0; shard < STATS_SHARDS && !truncated; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await deps.decisions.decisionsPage(campaignId, shard, cursor);
      cursor = page.cursor;
      for (const registration of page.items) {
        if (examined >= options.limit) {
          truncated = true;
          break;
        }
        examined++;
        const previous = registration.decision;
        const next = previous ? replayDecision(previous, campaign) : undefined;
        if (!previous || !next || next.status === previous.status) {
          unchanged++;
          continue;
        }
        const key = `${previous.status}->${next.status}`;
        changes[key] = (changes[key] ?? 0) + 1;
        if (options.apply) notified += await applyChange(deps, campaign, registration, previous, next);
      }
    } while (cursor && !truncated);
  }
  return {
    campaignId,
    ruleSetVersion: campaign.ruleSetVersion,
    examined,
    unchanged,
    changes,
    applied: options.apply,
    notified,
    truncated,
  };
}

async function applyChange(
  deps: ReplayDeps,
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
        notify: { phone: registration.from, lang: registration.lang },
      },
      campaign,
    );
    const outcome = enrollOutcome(result, registration.messageId);
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
  if (decision.status === 'DUPLICATE') return 0;
  const notice: OutboundSms = {
    id: `replay-${registration.messageId}-${campaign.ruleSetVersion}`,
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
