import { createHash } from 'node:crypto';
import type { Campaign } from '../campaigns/campaign.js';
import type { Decision } from '../eligibility/decision.js';
import { renderReply } from '../replies/render.js';
import type { ActivationWork, Language, OutboundSms } from '../schemas.js';

/**
 * The top-up notice's id, and so the aggregator's client reference: one per household per campaign,
 * however often its activation page is redelivered or re-run.
 */
export function topUpNoticeId(campaignId: string, householdId: string): string {
  return `topup-${campaignId}-${householdId}`;
}

/** Names one activation page's notice run (its district, tehsils and cursor), for its mark. */
export function topUpPageRun(
  work: Pick<ActivationWork, 'campaignId' | 'district' | 'tehsils' | 'cursor' | 'band'>,
): string {
  // The score band is part of a page's name: the first pages of two bands both have no cursor.
  const band = work.band ? [work.band.fromCents, work.band.toCents] : [];
  const page = createHash('sha256')
    .update(JSON.stringify([work.district, work.tehsils ?? [], work.cursor ?? '', ...band]))
    .digest('hex')
    .slice(0, 32);
  return `topups/${work.campaignId}/${page}`;
}

/**
 * What a household of the regular programme is told when a campaign's activation tops it up: the
 * STATUS answer of that moment (eligible for a top-up of the amount, or waitlisted), in its language.
 */
export function topUpNotice(input: {
  readonly campaign: Pick<Campaign, 'campaignId' | 'name' | 'nameUr'>;
  readonly householdId: string;
  readonly phone: string;
  readonly lang: Language;
  readonly reference: string;
  readonly decision: Pick<Decision, 'status' | 'reasons' | 'amount'>;
  readonly at: string;
}): OutboundSms {
  const { campaign, decision, lang, reference } = input;
  const text = renderReply({
    status: decision.status,
    reasons: decision.reasons,
    lang,
    reference,
    topUp: true,
    ...(decision.amount === undefined ? {} : { amount: decision.amount }),
    campaignName: campaign.name,
    ...(campaign.nameUr ? { campaignNameUr: campaign.nameUr } : {}),
  });
  return {
    id: topUpNoticeId(campaign.campaignId, input.householdId),
    to: input.phone,
    text,
    lang,
    reference,
    createdAt: input.at,
  };
}
