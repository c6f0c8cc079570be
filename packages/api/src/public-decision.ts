import { type HouseholdStanding, type Language, renderReply, standingReplyInput } from '@madad/core';

/**
 * What a household may see of its standing: the stage in plain words and, word for word, the SMS
 * STATUS would send now (the same `renderReply` input); no personal data.
 */
export function publicDecision(standing: HouseholdStanding, lang: Language) {
  return {
    reference: standing.reference ?? '',
    status: standing.status,
    reasons: standing.reasons,
    ...(standing.amount !== undefined ? { amount: standing.amount } : {}),
    ...(standing.topUp ? { topUp: true } : {}),
    ...(standing.payment ? { payment: standing.payment } : {}),
    // Where the household's complaint is (`reference` is then the appeal's id).
    ...(standing.appeal ? { appeal: standing.appeal } : {}),
    ...(standing.decidedAt ? { decidedAt: standing.decidedAt } : {}),
    message: renderReply(standingReplyInput(standing, lang)),
  };
}
