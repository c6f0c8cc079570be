import { createHash } from 'node:crypto';
import type { Campaign } from '../campaigns/campaign.js';
import type { Decision } from '../eligibility/decision.js';
import type { PhoneTie } from '../replies/household-phones.js';
import { renderForwardedReply, renderReply } from '../replies/index.js';
import type { OutboundSms } from '../schemas.js';
import { type HouseholdStanding, standingReplyInput } from './household-standing.js';
import type { ParsedRegistration } from './parse-registration.js';

/** The reply to one registration: from its decision, the household's state (STATUS), or help. */
export function composeReply(input: {
  item: ParsedRegistration;
  /** The message's own reference: names the reply, whatever reference its text quotes. */
  reference: string;
  /** The reference the text quotes: the household's one reference in the campaign (default: own). */
  shown?: string;
  decision?: Decision;
  /** The household's state now (STATUS, a top-up's repeat): the input the web status page renders. */
  state?: HouseholdStanding | undefined;
  campaigns: readonly Campaign[];
  /** A reply already written (appeals), used as is. */
  text?: string;
}): OutboundSms {
  const { item, reference, decision, state } = input;
  const shown = input.shown ?? reference;
  const lang = item.command.lang;
  // The CNIC the household just sent, for concrete instructions ("STATUS 35202-1234567-1"). Not on
  // STATUS answers: they are word for word the web status page's, which never shows a CNIC.
  const cnic = 'cnic' in item.command ? item.command.cnic : undefined;
  const campaignOf = (id?: string) => input.campaigns.find((c) => c.campaignId === id);
  let text: string;
  if (input.text) {
    text = input.text;
  } else if (state) {
    // The very input the web status page renders, so both say the same words.
    text = renderReply(standingReplyInput(state, lang));
  } else if (decision) {
    const campaign = campaignOf(decision.campaignId);
    text = renderReply({
      status: decision.status,
      reasons: decision.reasons,
      lang,
      // The household's one reference: a duplicate's is the first registration's (told only to tied phones).
      reference: shown,
      ...(cnic ? { cnic } : {}),
      ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
      ...(campaign ? { campaignName: campaign.name } : {}),
      // Absent on campaigns declared before issue 15: the Urdu reply then names no campaign.
      ...(campaign?.nameUr ? { campaignNameUr: campaign.nameUr } : {}),
    });
  } else {
    text = renderReply({ status: 'HELP', reasons: ['HELP_REQUESTED'], lang });
  }
  return {
    // From the phone and the message id (in the reference): two phones' equal message ids get two replies.
    id: `reply-${item.message.messageId}-${reference}`,
    to: item.phone,
    text,
    lang,
    inReplyTo: item.message.messageId,
    reference: shown,
    // The acceptance time, not now: a redelivered message must produce the very same reply item.
    createdAt: item.message.acceptedAt,
  };
}

/**
 * What each phone is sent: a tied phone gets the outcome; any other phone only that the message was
 * received and where the answer goes, and the outcome goes to the household's first tied phone as a
 * notice. The notice's id names the phone, the person, the kind of request, the outcome and the hour
 * of receipt, not the message: a redelivery sends it once, and however many other phones ask about
 * one CNIC in an hour, the household gets one SMS of each outcome (no flooding a household through
 * its CNIC, no SMS bill). Flood notices and help carry nothing of a household and go to the sender.
 */
export function privateReplies(
  item: ParsedRegistration,
  outcome: OutboundSms,
  tie: PhoneTie,
  /** The outcome's status (decision, stored decision or appeal), for the notice's id. */
  status: string,
): { reply: OutboundSms; notice?: OutboundSms } {
  if (tie.tied) return { reply: outcome };
  const to = tie.phones[0];
  const reply = { ...outcome, text: renderForwardedReply(item.command.lang, to !== undefined) };
  if (to === undefined) return { reply };
  // A notice answers no message of the phone it goes to: no `inReplyTo` (counted apart from replies).
  const { inReplyTo: _answers, ...notice } = outcome;
  const hour =
    (item.message.channel === 'sms' ? item.message.receivedAt : undefined) ?? item.message.acceptedAt;
  const key = [to, item.cnicHash, item.command.kind, status, hour.slice(0, 13)].join('#');
  const id = `notice-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
  return { reply, notice: { ...notice, id, to } };
}
