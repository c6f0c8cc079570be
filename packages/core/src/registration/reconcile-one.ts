import { appealReceivedText } from '../appeals/appeals.js';
import { BASELINE_RULE_SET, type Decision } from '../eligibility/decision.js';
import { invalidRequestDecision } from '../eligibility/eligibility.js';
import { hashCnic } from '../intake/cnic-hash.js';
import { type PhoneTie, tieOf } from '../replies/household-phones.js';
import { decideRegistration, latestOf, NO_CAMPAIGN } from './decide-registration.js';
import { readHouseholdStanding, referenceOfRecord } from './household-standing.js';
import { type ParsedRegistration, receivedAtOf } from './parse-registration.js';
import type { DecisionOfRecord } from './ports.js';
import {
  type BatchContext,
  DEFAULT_MESSAGES_PER_PHONE_HOUR,
  type ReconcileDeps,
  type ReconcileOutcome,
} from './reconcile-deps.js';
import { recordAndReply } from './record-reply.js';
import { smsReferenceFor } from './reference.js';
import type { ReferenceEntry } from './reference-index.js';
import { composeReply, privateReplies } from './reply-for.js';

/**
 * Handles one registration: decide, enroll (conditionally), record it keyed by message id, and queue
 * the reply. A redelivered message finds its record and only queues the same reply again, which the
 * sender then recognises and does not send twice.
 */
export async function reconcileOne(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
): Promise<ReconcileOutcome> {
  const { message, command, cnicHash } = item;
  const reference =
    message.channel === 'web'
      ? message.reference
      : smsReferenceFor(deps.pepper, item.phone, message.messageId);
  let decision: Decision | undefined;
  let outcome: ReconcileOutcome = 'DECIDED';
  const limit = deps.messagesPerPhoneHour ?? DEFAULT_MESSAGES_PER_PHONE_HOUR;
  const rank = ctx.messageRank.get(message.messageId) ?? 1;
  if (rank > limit) return floodedOne(deps, item, ctx, reference, rank, limit);
  let ofRecord = false;
  const tie: PhoneTie =
    cnicHash && command.kind !== 'invalid'
      ? await tieOf(deps.members, ctx.matches.get(cnicHash), item.phone)
      : { tied: true, phones: [] };
  const notifyPhone = tie.tied ? item.phone : tie.phones[0];
  // The reference the reply quotes: the household's one reference in the campaign, once known.
  let shown = reference;
  const before = cnicHash ? ctx.matches.get(cnicHash)?.decisionsOfRecord : undefined;
  if (command.kind === 'register' && cnicHash) {
    // A stranger's reference never becomes the household's: it would open the household's status.
    const mine = tie.tied
      ? reference
      : smsReferenceFor(deps.pepper, `household#${item.phone}`, message.messageId);
    ({ decision, ofRecord, reference: shown } = await decideRegistration(deps, item, ctx, mine, notifyPhone));
  } else if (
    command.kind === 'invalid' &&
    (command.reason === 'INVALID_CNIC' || command.reason === 'TOO_LONG')
  ) {
    decision = invalidRequestDecision(
      command.reason === 'INVALID_CNIC' ? 'INVALID_CNIC' : 'UNRECOGNISED_MESSAGE',
      deps.clock.now(),
    );
  } else {
    outcome =
      command.kind === 'status'
        ? 'STATUS_ANSWERED'
        : command.kind === 'appeal'
          ? 'APPEAL_OPENED'
          : 'HELP_SENT';
  }
  // The decision an appeal is against (STATUS reads the household's standing below instead).
  const stored =
    command.kind === 'appeal' && cnicHash
      ? // Read with the batch: the person's decisions of record as they stood when the batch began.
        ctx.matches.has(cnicHash) && !ctx.partial.has(cnicHash)
        ? latestOf(ctx.matches.get(cnicHash)?.decisionsOfRecord)
        : await deps.decisions.latest(cnicHash)
      : undefined;
  // STATUS, and a topped-up household registering: its state now (top-up, amount, payment stage),
  // computed as the web status page computes it, never just "already enrolled".
  const topUpRepeat = decision?.status === 'DUPLICATE' && decision.category === 'TOP_UP';
  const state =
    (command.kind === 'status' || topUpRepeat) && cnicHash
      ? await readHouseholdStanding(deps, cnicHash, {
          // A top-up's repeat read only the campaigns in force: its standing reads the person whole.
          ...(ctx.matches.has(cnicHash) && !ctx.partial.has(cnicHash)
            ? { match: ctx.matches.get(cnicHash) }
            : {}),
          campaigns: ctx.campaigns,
        })
      : undefined;
  if (state?.reference) shown = state.reference;
  let text: string | undefined;
  if (command.kind === 'appeal' && cnicHash) {
    const appeal = await deps.appeals.open({
      appealId: `A${reference.slice(1)}`,
      messageId: message.messageId,
      cnicHash,
      phone: notifyPhone ?? '',
      lang: command.lang,
      note: command.note,
      status: 'OPEN',
      openedAt: deps.clock.now().toISOString(),
      ...(stored ? { decision: stored } : {}),
    });
    text = appealReceivedText(appeal.appealId, command.lang);
  }
  const outcomeReply = composeReply({
    item,
    reference,
    shown,
    decision,
    state,
    campaigns: ctx.campaigns,
    ...(text ? { text } : {}),
  });
  // A phone not tied to the household learns only where the answer goes; a tied phone gets it.
  const { reply: answer, notice } = privateReplies(
    item,
    outcomeReply,
    tie,
    decision?.status ?? state?.status ?? stored?.decision.status ?? '-',
  );
  // Past phonesPerCnic the sender itself is told it is flagged for review: nothing of the household's.
  const reply = decision?.reasons.includes('CNIC_PHONES_LIMITED') ? outcomeReply : answer;
  // The record keeps the reference its sender was told: a stranger's own, never the household's.
  const recorded = tie.tied ? shown : reference;
  const fresh = await recordAndReply(deps, item, ctx, recorded, decision, reply, ofRecord, notice, tie.tied);
  // Told to the household (in the reply to its phone, or the notice) and to nobody else.
  const told = [tie.tied ? reply : undefined, notice].some((m) => m?.text.includes(shown));
  const toStranger = !tie.tied && reply?.text.includes(shown);
  if (told && !toStranger)
    indexReference(ctx, item, shown, before, decision?.campaignId ?? state?.campaignId);
  return fresh ? outcome : 'ALREADY_HANDLED';
}

/**
 * Makes a reference the household was just told findable by the status page: a person's first
 * reference in a campaign, or one it learns from its household (another member's, a top-up's). A
 * repeat quoting a reference of record another message made writes nothing; the message that made it
 * writes it again when redelivered (a crash may have come before the batch's index write). Only
 * references told to the household and to nobody else are written (a stranger's phone gets none of
 * the household's). Written with the batch's others before its replies are queued (`flushReplies`).
 */
function indexReference(
  ctx: BatchContext,
  item: ParsedRegistration,
  shown: string,
  before: readonly DecisionOfRecord[] | undefined,
  campaignId: string | undefined,
): void {
  if (!item.cnicHash) return;
  const { messageId } = item.message;
  if ((before ?? []).some((d) => referenceOfRecord(d) === shown && d.messageId !== messageId)) return;
  const entry: ReferenceEntry = {
    reference: shown,
    cnicHash: item.cnicHash,
    campaignId: campaignId ?? NO_CAMPAIGN,
  };
  ctx.references.push(entry);
}

/**
 * A phone past its hourly allowance: the message is recorded and flagged RATE_LIMITED; the phone is
 * told once, and then not answered, so a flood costs no SMS and takes nothing from other senders.
 */
async function floodedOne(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  rank: number,
  limit: number,
): Promise<ReconcileOutcome> {
  const decision: Decision = {
    status: 'RATE_LIMITED',
    reasons: ['PHONE_RATE_LIMITED'],
    ruleSetVersion: BASELINE_RULE_SET,
    inputs: { messagesThisHour: rank, limitPerHour: limit },
    decidedAt: deps.clock.now().toISOString(),
  };
  const told = rank === limit + 1;
  // One notice per phone and hour, whichever message carries it: concurrent batches that both see the
  // limit crossed queue the same reply id, which the aggregator delivers once.
  const notice = composeReply({ item, reference, decision, campaigns: ctx.campaigns });
  const hour = receivedAtOf(item.message).slice(0, 13);
  const reply = told ? { ...notice, id: `flood-${hashCnic('flood', `${item.phone}#${hour}`)}` } : undefined;
  return (await recordAndReply(deps, item, ctx, reference, decision, reply, told))
    ? 'DECIDED'
    : 'ALREADY_HANDLED';
}
