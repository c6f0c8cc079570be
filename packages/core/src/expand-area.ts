import type { CampaignRepository } from './campaign-service.js';
import { isWaitlisted } from './campaigns/enroll-within-caps.js';
import { waitlistedOf } from './campaigns/waitlist-decision.js';
import type { Decision } from './decision.js';
import { topUpPayeeOf } from './expansion/vertical-candidate.js';
import type {
  Clock,
  EnrollmentStore,
  HouseholdMember,
  HouseholdRecord,
  ReplyQueue,
  StatsSink,
} from './ports.js';
import { referenceFor } from './reference.js';
import { renderReply } from './replies/index.js';
import type { ActivationWork, OutboundSms } from './schemas.js';
import { StatsBatch } from './stats-batch.js';

/** The registry's area-and-score index, page by page. */
export interface AreaIndex {
  page(query: {
    district: string;
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
  readonly stats: StatsSink;
  readonly replies: ReplyQueue;
  readonly next: { enqueueAll(items: readonly ActivationWork[]): Promise<void> };
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
 * the campaign's rules is enrolled for a top-up. The next page is queued as its own work item, so no
 * invocation runs long, and a retried page enrolls no one twice.
 */
export async function expandArea(
  deps: ExpandDeps,
  work: ActivationWork,
): Promise<{
  enrolled: number;
  waitlisted: number;
  alreadyEnrolled: number;
  skipped: number;
  nextPage: boolean;
}> {
  const campaign = await deps.campaigns.get(work.campaignId);
  if (campaign?.status !== 'active')
    return { enrolled: 0, waitlisted: 0, alreadyEnrolled: 0, skipped: 0, nextPage: false };
  const { households, cursor } = await deps.areaIndex.page({
    district: work.district,
    maxScore: campaign.rules.pmtThreshold,
    programme: campaign.rules.regularProgramme,
    limit: deps.pageSize,
    ...(work.cursor ? { cursor: work.cursor } : {}),
  });
  const stats = new StatsBatch();
  const notices: OutboundSms[] = [];
  let enrolled = 0;
  let waitlisted = 0;
  let alreadyEnrolled = 0;
  let skipped = 0;
  const now = deps.clock.now().toISOString();
  for (const household of households) {
    // The same test as the campaign's impact preview, so the preview's figures are the activation's.
    const payee = topUpPayeeOf(campaign, work, household);
    if (!payee) {
      skipped++;
      continue;
    }
    const messageId = `vertical:${campaign.campaignId}:${household.householdId}`;
    const reference = referenceFor(messageId);
    const amount = campaign.rules.amounts.topUp;
    const phone = household.phones?.[0];
    const result = await deps.enrollments.enroll(
      {
        campaignId: campaign.campaignId,
        householdId: household.householdId,
        messageId,
        reference,
        cnicHash: payee,
        category: 'TOP_UP',
        amount,
        district: household.district,
        tehsil: household.tehsil,
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'vertical',
        enrolledAt: now,
        ...(campaign.notifyTopUps && phone ? { notify: { phone, lang: 'ur' as const } } : {}),
      },
      campaign,
    );
    if (!result.created) {
      alreadyEnrolled++;
      continue;
    }
    const eligible: Decision = {
      status: 'ELIGIBLE',
      reasons: [],
      category: 'TOP_UP',
      amount,
      campaignId: campaign.campaignId,
      householdId: household.householdId,
      ruleSetVersion: campaign.ruleSetVersion,
      inputs: { district: household.district, tehsil: household.tehsil, pmtScore: household.pmtScore },
      decidedAt: now,
    };
    // Past the household maximum or the budget: waitlisted, never paid unless a raise promotes it.
    const decision = isWaitlisted(result) ? waitlistedOf(eligible) : eligible;
    if (decision.status === 'WAITLISTED') waitlisted++;
    else enrolled++;
    stats.count(decision, 'vertical');
    if (campaign.notifyTopUps && phone) {
      const text = renderReply({
        status: decision.status,
        reasons: decision.reasons,
        lang: 'ur',
        reference,
        ...(decision.amount === undefined ? {} : { amount: decision.amount }),
        campaignName: campaign.name,
      });
      notices.push({ id: `notice-${messageId}`, to: phone, text, lang: 'ur', reference, createdAt: now });
    }
  }
  for (const [id, counters] of stats.drain()) await deps.stats.add(id, counters);
  if (notices.length > 0) await deps.replies.enqueue(notices);
  if (cursor) await deps.next.enqueueAll([{ ...work, cursor, page: work.page + 1 }]);
  return { enrolled, waitlisted, alreadyEnrolled, skipped, nextPage: Boolean(cursor) };
}
