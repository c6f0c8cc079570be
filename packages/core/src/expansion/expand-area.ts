import type { CampaignRepository } from '../campaigns/campaign-service.js';
import type { CampaignLimits } from '../campaigns/cap-shards.js';
import {
  type EnrollPageDeps,
  enrollPageWithinCaps,
  pageHolderOf,
} from '../campaigns/enroll-page-within-caps.js';
import { isWaitlisted } from '../campaigns/enroll-within-caps.js';
import {
  type Enrollment,
  type EnrollmentStore,
  type EnrollResult,
  enrollmentKey,
} from '../campaigns/enrollment-ports.js';
import { waitlistedOf } from '../campaigns/waitlist-decision.js';
import type { Decision } from '../eligibility/decision.js';
import { entitlementFor } from '../eligibility/entitlement.js';
import { crashPoint } from '../faults/index.js';
import { DEFAULT_NOTICE_LANGUAGE, noticeLanguages } from '../notifications/notice-language.js';
import type { NoticeMarks, PhoneLanguages } from '../notifications/ports.js';
import { topUpNotice, topUpPageRun } from '../notifications/top-up-notice.js';
import type { ReplyQueue, StatsSink } from '../registration/ports.js';
import { referenceFor } from '../registration/reference.js';
import { StatsBatch } from '../registration/stats-batch.js';
import type { HouseholdMember, HouseholdRecord } from '../registry/registry-ports.js';
import type { ActivationWork, OutboundSms } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import { scoreRangeOf } from './activation-plan.js';
import type { ActivationProgressStore } from './activation-progress.js';
import { topUpPayeeOf } from './vertical-candidate.js';

/** The registry's area-and-score index, page by page. */
export interface AreaIndex {
  page(query: {
    district: string;
    /** Scores at or above this only; absent: from 0. */
    minScore?: number;
    maxScore: number;
    /** Only households of this programme; absent: every household (the impact preview's). */
    programme?: string;
    cursor?: string;
    limit: number;
  }): Promise<{ households: HouseholdRecord[]; cursor?: string }>;
}

export interface ExpandDeps {
  readonly campaigns: Pick<CampaignRepository, 'get'>;
  readonly areaIndex: AreaIndex;
  readonly enrollments: EnrollmentStore;
  /**
   * A page's households enrolled together: one batched lookup, one cap reservation for the page,
   * the creations concurrent (`enrollPageWithinCaps`). Absent: one household after another.
   */
  readonly pageEnrollments?: EnrollPageDeps;
  readonly stats: StatsSink;
  readonly replies: ReplyQueue;
  /** The language each phone last wrote in, for the top-up notices; absent: Urdu script for all. */
  readonly phoneLanguages?: PhoneLanguages;
  /**
   * Pages whose top-up notices are all queued: activating the campaign again does not queue its
   * households' notices a second time. Absent: a re-run queues them again (the aggregator refuses them).
   */
  readonly marks?: NoticeMarks;
  readonly next: { enqueueAll(items: readonly ActivationWork[]): Promise<void> };
  /** Where each finished page is recorded, for the activation's progress; absent: not recorded. */
  readonly progress?: ActivationProgressStore;
  readonly clock: Clock;
  readonly pageSize: number;
}

/** The household's designated recipient: the woman head or spouse where there is one. */
export function payeeOf(household: {
  readonly members: readonly Pick<HouseholdMember, 'cnicHash' | 'relation' | 'gender'>[];
}): string | undefined {
  const byRole = (relation: string, gender?: string) =>
    household.members.find((m) => m.relation === relation && (!gender || m.gender === gender));
  return (byRole('head', 'female') ?? byRole('spouse', 'female') ?? byRole('head') ?? household.members[0])
    ?.cnicHash;
}

/**
 * Vertical expansion of one page: every household of the regular programme in the area that passes
 * the campaign's rules is enrolled for a top-up. The next page is queued as its own work item (or kept
 * for the caller when `carryOn` says so), so no invocation runs long; a retried page enrolls no one twice.
 */
export async function expandArea(
  deps: ExpandDeps,
  work: ActivationWork,
  /** Asked once the page is recorded: true keeps the next page for the caller (`next`), not queued. */
  carryOn?: () => boolean,
): Promise<{
  enrolled: number;
  waitlisted: number;
  alreadyEnrolled: number;
  skipped: number;
  nextPage: boolean;
  next?: ActivationWork;
}> {
  const campaign = await deps.campaigns.get(work.campaignId);
  if (campaign?.status !== 'active')
    return { enrolled: 0, waitlisted: 0, alreadyEnrolled: 0, skipped: 0, nextPage: false };
  const { households, cursor } = await deps.areaIndex.page({
    district: work.district,
    ...scoreRangeOf(work, campaign.rules.pmtThreshold),
    programme: campaign.rules.regularProgramme,
    limit: deps.pageSize,
    ...(work.cursor ? { cursor: work.cursor } : {}),
  });
  const stats = new StatsBatch();
  // Each household to tell, with what; rendered once the page's phones' languages are read.
  const toTell: { householdId: string; phone: string; reference: string; decision: Decision }[] = [];
  // Households this page enrolled before, told again unless the page's notices are known queued.
  const toTellAgain: typeof toTell = [];
  let enrolled = 0;
  let waitlisted = 0;
  let alreadyEnrolled = 0;
  let skipped = 0;
  const now = deps.clock.now().toISOString();
  const candidates: { household: HouseholdRecord; enrollment: Enrollment; phone?: string }[] = [];
  for (const household of households) {
    // The same test as the campaign's impact preview, so the preview's figures are the activation's.
    const payee = topUpPayeeOf(campaign, work, household);
    if (!payee) {
      skipped++;
      continue;
    }
    const messageId = `vertical:${campaign.campaignId}:${household.householdId}`;
    // A payee of vertical expansion is in the regular programme: a top-up.
    const { category, amount } = entitlementFor(campaign, household);
    const phone = household.phones?.[0];
    candidates.push({
      household,
      ...(phone ? { phone } : {}),
      enrollment: {
        campaignId: campaign.campaignId,
        householdId: household.householdId,
        messageId,
        reference: referenceFor(messageId),
        cnicHash: payee,
        category,
        amount,
        district: household.district,
        tehsil: household.tehsil,
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'vertical',
        enrolledAt: now,
        // Where its payment notices go, whether or not the campaign tells top-ups at activation.
        ...(phone ? { notify: { phone, lang: 'ur' as const } } : {}),
      },
    });
  }
  const results = await enrollCandidates(
    deps,
    candidates.map((c) => c.enrollment),
    campaign,
    pageHolderOf([campaign.campaignId, work.district, work.item, work.page, work.cursor]),
  );
  for (const { household, phone, enrollment } of candidates) {
    const { messageId, reference, amount } = enrollment;
    const result = results.get(enrollmentKey(enrollment.campaignId, enrollment.householdId));
    if (!result) throw new Error(`No enrollment result for ${enrollment.householdId}`);
    if (!result.created) {
      alreadyEnrolled++;
      // This page enrolled it before (a redelivery after a crash, perhaps before its notices were
      // queued): queued again under the same id, which the aggregator refuses if it took it already.
      if (campaign.notifyTopUps && phone && result.existing.messageId === messageId) {
        const decision = isWaitlisted(result)
          ? waitlistedOf(topUpDecision(campaign, household, amount, result.existing.enrolledAt))
          : topUpDecision(campaign, household, amount, result.existing.enrolledAt);
        toTellAgain.push({ householdId: household.householdId, phone, reference, decision });
      }
      continue;
    }
    const eligible = topUpDecision(campaign, household, amount, now);
    // Past the household maximum or the budget: waitlisted, never paid unless a raise promotes it.
    const decision = isWaitlisted(result) ? waitlistedOf(eligible) : eligible;
    if (decision.status === 'WAITLISTED') waitlisted++;
    else enrolled++;
    stats.count(decision, 'vertical');
    if (campaign.notifyTopUps && phone)
      toTell.push({ householdId: household.householdId, phone, reference, decision });
  }
  for (const [id, counters] of stats.drain()) await deps.stats.add(id, counters);
  crashPoint('expand.after-enroll');
  const pageRun = topUpPageRun(work);
  const told = toTellAgain.length > 0 && (await deps.marks?.isDone(pageRun)) === true;
  const tell = told ? toTell : [...toTell, ...toTellAgain];
  const languages = await noticeLanguages(deps.phoneLanguages, tell);
  const notices: OutboundSms[] = tell.map((t) =>
    topUpNotice({ campaign, ...t, lang: languages.get(t.phone) ?? DEFAULT_NOTICE_LANGUAGE, at: now }),
  );
  if (notices.length > 0) {
    await deps.replies.enqueue(notices);
    crashPoint('expand.after-notices');
    await deps.marks?.markDone(pageRun, now);
  }
  if (work.item !== undefined && work.items !== undefined) {
    // Recorded once per page (a redelivery finds it), before the next page exists: progress never
    // shows an item done while a page of it is still to come.
    await deps.progress?.recordPage(work.campaignId, {
      item: work.item,
      items: work.items,
      page: work.page,
      households: households.length,
      last: !cursor,
      at: now,
    });
    crashPoint('expand.after-progress');
  }
  const next = cursor ? { ...work, cursor, page: work.page + 1 } : undefined;
  const kept = next && carryOn?.() === true;
  if (next && !kept) await deps.next.enqueueAll([next]);
  return {
    enrolled,
    waitlisted,
    alreadyEnrolled,
    skipped,
    nextPage: Boolean(next),
    ...(kept ? { next } : {}),
  };
}

/** The page's enrollments: with one reservation for the page when the store offers it, else one by one. */
async function enrollCandidates(
  deps: ExpandDeps,
  enrollments: readonly Enrollment[],
  limits: CampaignLimits,
  holder: string,
): Promise<Map<string, EnrollResult>> {
  if (deps.pageEnrollments) return enrollPageWithinCaps(deps.pageEnrollments, enrollments, limits, holder);
  const results = new Map<string, EnrollResult>();
  for (const e of enrollments)
    results.set(enrollmentKey(e.campaignId, e.householdId), await deps.enrollments.enroll(e, limits));
  return results;
}

function topUpDecision(
  campaign: { campaignId: string; ruleSetVersion: string },
  household: HouseholdRecord,
  amount: number,
  decidedAt: string,
): Decision {
  return {
    status: 'ELIGIBLE',
    reasons: [],
    category: 'TOP_UP',
    amount,
    campaignId: campaign.campaignId,
    householdId: household.householdId,
    ruleSetVersion: campaign.ruleSetVersion,
    inputs: { district: household.district, tehsil: household.tehsil, pmtScore: household.pmtScore },
    decidedAt,
  };
}
