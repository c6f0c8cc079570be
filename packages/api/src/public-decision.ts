import { type Decision, renderReply } from '@madad/core';

/** What a household may see of its registration: outcome in plain words, no personal data. */
export function publicDecision(reference: string, item: Record<string, unknown>) {
  const decision = item.decision as Decision | undefined;
  const lang = item.lang === 'ur' ? 'ur' : 'en';
  if (!decision) return { reference, status: 'RECEIVED' };
  return {
    reference,
    status: decision.status,
    reasons: decision.reasons,
    ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
    ...(decision.category ? { category: decision.category } : {}),
    decidedAt: decision.decidedAt,
    message: renderReply({
      status: decision.status,
      reasons: decision.reasons,
      lang,
      reference,
      ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
    }),
  };
}
