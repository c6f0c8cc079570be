import type { Campaign } from './campaign.js';
import type { Decision } from './decision.js';
import { type PaymentStage, renderReply } from './messages.js';
import type { StoredDecision } from './ports.js';
import type { ParsedRegistration } from './reconcile.js';
import type { OutboundSms } from './schemas.js';

/** The reply to one registration: from its decision, the stored decision (STATUS), or help. */
export function composeReply(input: {
  item: ParsedRegistration;
  reference: string;
  decision?: Decision;
  stored?: StoredDecision;
  campaigns: readonly Campaign[];
  /** A reply already written (appeals), used as is. */
  text?: string;
  /** Payment progress of an eligible household, for STATUS. */
  payment?: PaymentStage;
}): OutboundSms {
  const { item, reference, decision, stored } = input;
  const lang = item.command.lang;
  const campaignName = (id?: string) => input.campaigns.find((c) => c.campaignId === id)?.name;
  let text: string;
  if (input.text) {
    text = input.text;
  } else if (decision) {
    const name = campaignName(decision.campaignId);
    text = renderReply({
      status: decision.status,
      reasons: decision.reasons,
      lang,
      reference:
        decision.status === 'DUPLICATE' ? String(decision.inputs.firstReference ?? reference) : reference,
      ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
      ...(name ? { campaignName: name } : {}),
    });
  } else if (item.command.kind === 'status') {
    text = stored
      ? renderReply({
          status: stored.decision.status,
          reasons: stored.decision.reasons,
          lang,
          reference: stored.reference,
          ...(input.payment ? { payment: input.payment } : {}),
          ...(stored.decision.amount !== undefined && stored.decision.status === 'ELIGIBLE'
            ? { amount: stored.decision.amount }
            : {}),
        })
      : renderReply({ status: 'PENDING_VERIFICATION', reasons: ['NOT_IN_REGISTRY'], lang });
  } else {
    text = renderReply({ status: 'HELP', reasons: ['HELP_REQUESTED'], lang });
  }
  return {
    id: `reply-${item.message.messageId}`,
    to: item.phone,
    text,
    lang,
    inReplyTo: item.message.messageId,
    reference,
    // The acceptance time, not now: a redelivered message must produce the very same reply item.
    createdAt: item.message.acceptedAt,
  };
}
