import { type AppealStore, appealReceivedText } from '../appeals/appeals.js';
import type { Campaign } from '../campaigns/campaign.js';
import { enrollOutcome } from '../campaigns/enroll-within-caps.js';
import { waitlistedOf } from '../campaigns/waitlist-decision.js';
import { BASELINE_RULE_SET, type Decision } from '../eligibility/decision.js';

import { decideEligibility, invalidRequestDecision } from '../eligibility/eligibility.js';
import { normalizePhone } from '../intake/phone.js';
import { parseSms, type SmsCommand } from '../intake/sms-grammar.js';
import { hashCnic } from '../keys.js';
import type {
  CampaignDirectory,
  Clock,
  DecisionOfRecord,
  DecisionRecordStore,
  Enrollment,
  EnrollmentStore,
  PhoneHistory,
  RecentMessage,
  RegistrationStore,
  RegistryLookup,
  RegistryMatch,
  ReplyQueue,
} from '../ports.js';
import { type MemberSimLookup, type PhoneTie, tieOf } from '../replies/household-phones.js';
import type { OutboundSms, RegistrationMessage } from '../schemas.js';
import { campaignCountedUnder } from '../stats/figures.js';
import { readHouseholdStanding, referenceOfRecord } from './household-standing.js';
import { type CnicPhones, phonesPerCnicDecision } from './phones-per-cnic.js';
import { smsReferenceFor } from './reference.js';
import type { ReferenceEntry, ReferenceIndex } from './reference-index.js';
import { atRest, inFlight } from './reply-at-rest.js';
import { composeReply, privateReplies } from './reply-for.js';
import { StatsBatch } from './stats-batch.js';

export interface ReconcileDeps {
  readonly appeals: AppealStore;
  readonly registry: RegistryLookup;
  readonly registrations: RegistrationStore;
  readonly decisions: DecisionRecordStore;
  readonly phones: PhoneHistory;
  readonly enrollments: EnrollmentStore;
  readonly campaigns: CampaignDirectory;
  readonly replies: ReplyQueue;
  readonly clock: Clock;
  readonly pepper: string;
  /** Members' SIMs, read only when a phone is not tied by the applicant's own partition. */
  readonly members?: MemberSimLookup;
  /** Messages one phone may send in an hour before it is rate-limited and no longer answered. */
  readonly messagesPerPhoneHour?: number;
  /** The phones each CNIC registered from, for the campaign's `phonesPerCnic` (absent: not limited). */
  readonly cnicPhones?: CnicPhones;
  /** Whose each reference sent is, for the status page and the reference route. */
  readonly references: ReferenceIndex;
}

export const DEFAULT_MESSAGES_PER_PHONE_HOUR = 30;
/**
 * At most this many of a phone's messages are read for its tally and the CNICs it sent: a phone
 * with more is far past any hourly allowance (an honest phone sends a few dozen in a season).
 */
export const PHONE_HISTORY_DEPTH = 2000;

export interface ParsedRegistration {
  readonly message: RegistrationMessage;
  readonly command: SmsCommand;
  readonly phone: string;
  readonly cnicHash?: string;
}

/** What a whole batch needs, read up front: one Query per person and one per phone, concurrently. */
export interface BatchContext {
  readonly matches: Map<string, RegistryMatch>;
  readonly campaigns: readonly Campaign[];
  readonly stats: StatsBatch;
  /** Each message's place in its phone's tally for its hour of receipt (1 = first message). */
  readonly messageRank: Map<string, number>;
  /** How many CNICs the message's phone has sent, lately, counting the message's own. */
  readonly cnicsFromPhone: Map<string, number>;
  /** Replies of the batch, queued together when the batch ends (`flushReplies`). */
  readonly replies: OutboundSms[];
}

export type ReconcileOutcome =
  | 'DECIDED'
  | 'STATUS_ANSWERED'
  | 'APPEAL_OPENED'
  | 'HELP_SENT'
  | 'ALREADY_HANDLED';

export function parseRegistration(pepper: string, message: RegistrationMessage): ParsedRegistration {
  if (message.channel === 'web') {
    // The API validated and normalized the form: it is a registration by construction.
    const command: SmsCommand = { kind: 'register', cnic: message.cnic, lang: message.lang };
    return { message, command, phone: message.phone, cnicHash: hashCnic(pepper, message.cnic) };
  }
  const command = parseSms(message.text);
  const phone = normalizePhone(message.from);
  const cnicHash = 'cnic' in command ? hashCnic(pepper, command.cnic) : undefined;
  return {
    message,
    command,
    phone: phone.ok ? phone.phone : message.from,
    ...(cnicHash ? { cnicHash } : {}),
  };
}

/** When the message reached us: the aggregator's time if it gave one, else the webhook's. */
export function receivedAtOf(message: RegistrationMessage): string {
  return (message.channel === 'sms' ? message.receivedAt : undefined) ?? message.acceptedAt;
}

/** Reads everything the batch needs: the people (with their decisions of record), campaigns, phones. */
export async function prepareBatch(
  deps: ReconcileDeps,
  items: readonly ParsedRegistration[],
): Promise<BatchContext> {
  const hashes = [...new Set(items.flatMap((p) => (p.cnicHash ? [p.cnicHash] : [])))];
  const phones = [...new Set(items.map((p) => p.phone))];
  const limit = deps.messagesPerPhoneHour ?? DEFAULT_MESSAGES_PER_PHONE_HOUR;
  const [matches, campaigns, recent] = await Promise.all([
    hashes.length > 0 ? deps.registry.resolve(hashes) : new Map<string, RegistryMatch>(),
    deps.campaigns.inForce(deps.clock.now()),
    deps.phones.recent(phones, Math.max(limit + 1, PHONE_HISTORY_DEPTH)),
  ]);
  const { messageRank, cnicsFromPhone, hours } = tallyPhones(items, recent);
  await countPhoneHours(deps, hours, messageRank);
  return { matches, campaigns, stats: new StatsBatch(), messageRank, cnicsFromPhone, replies: [] };
}

/** A phone's SMS in one hour of receipt, within a batch: how many were recorded before, and these. */
export interface HourTally {
  readonly phone: string;
  readonly hour: string;
  readonly before: number;
  readonly messages: readonly ParsedRegistration[];
}

/**
 * Each message's rank in its phone's hour (by receipt) and the CNICs its phone sent, from the phone's
 * recorded messages plus the batch's own, in receipt order. A redelivered message is counted once.
 */
export function tallyPhones(
  items: readonly ParsedRegistration[],
  recent: ReadonlyMap<string, readonly RecentMessage[]>,
): { messageRank: Map<string, number>; cnicsFromPhone: Map<string, number>; hours: HourTally[] } {
  const messageRank = new Map<string, number>();
  const cnicsFromPhone = new Map<string, number>();
  const hours: HourTally[] = [];
  const inBatch = new Set(items.map((i) => i.message.messageId));
  const byPhone = new Map<string, ParsedRegistration[]>();
  for (const item of items) byPhone.set(item.phone, [...(byPhone.get(item.phone) ?? []), item]);
  for (const [phone, messages] of byPhone) {
    const earlier = (recent.get(phone) ?? []).filter((m) => !inBatch.has(m.messageId));
    const perHour = new Map<string, number>();
    for (const m of earlier) {
      const hour = m.receivedAt.slice(0, 13);
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    const cnics = new Set(earlier.flatMap((m) => (m.cnicHash ? [m.cnicHash] : [])));
    const ordered = [...messages].sort((a, b) =>
      `${receivedAtOf(a.message)}#${a.message.messageId}`.localeCompare(
        `${receivedAtOf(b.message)}#${b.message.messageId}`,
      ),
    );
    const batchHours = new Map<string, ParsedRegistration[]>();
    for (const item of ordered) {
      if (item.cnicHash && item.command.kind === 'register') cnics.add(item.cnicHash);
      cnicsFromPhone.set(item.message.messageId, Math.max(cnics.size, 1));
      // A web registration counts in its phone's tally as an SMS does (in the hour it was accepted).
      const hour = receivedAtOf(item.message).slice(0, 13);
      batchHours.set(hour, [...(batchHours.get(hour) ?? []), item]);
    }
    for (const [hour, inHour] of batchHours) {
      const before = perHour.get(hour) ?? 0;
      hours.push({ phone, hour, before, messages: inHour });
      for (const [i, item] of inHour.entries()) messageRank.set(item.message.messageId, before + i + 1);
    }
  }
  return { messageRank, cnicsFromPhone, hours };
}

/**
 * Exact counting: every batch adds its messages of each phone and hour to an atomic counter, and
 * ranks them from the total it gets back, so no interleaving of batches answers more than the
 * allowance. Counting only phones already busy (by their records) was not exact: batches that saw a
 * phone calm ranked its messages from records that concurrent batches had not written yet, and
 * those answers never reached the counter. The cost is one `UpdateItem` per phone and hour a batch.
 */
async function countPhoneHours(
  deps: ReconcileDeps,
  hours: readonly HourTally[],
  messageRank: Map<string, number>,
): Promise<void> {
  await Promise.all(
    hours.map(async ({ phone, hour, before, messages }) => {
      const counted = await deps.phones.countMessages(phone, hour, messages.length);
      // The records are a floor (messages recorded before the counter existed, e.g. across a deploy).
      const base = Math.max(counted - messages.length, before);
      for (const [i, item] of messages.entries()) messageRank.set(item.message.messageId, base + i + 1);
    }),
  );
}

/** The latest of a person's decisions of record (STATUS, appeals). */
export function latestOf(records: readonly DecisionOfRecord[] | undefined): DecisionOfRecord | undefined {
  return (records ?? [])
    .filter((r) => r.decision)
    .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))[0];
}

async function decide(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  notifyPhone: string | undefined,
): Promise<{ decision: Decision; ofRecord: boolean; reference: string }> {
  const hash = item.cnicHash as string;
  const { messageId } = item.message;
  const now = deps.clock.now();
  const match = ctx.matches.get(hash) ?? { exclusions: [] };
  const cnicsFromPhone = ctx.cnicsFromPhone.get(messageId) ?? 1;
  const fresh = decideEligibility({ match, campaigns: ctx.campaigns, cnicsFromPhone, now });
  const campaignKey = fresh.campaignId ?? NO_CAMPAIGN;
  const standing = match.decisionsOfRecord?.find((d) => d.campaignId === campaignKey);

  if (standing?.messageId === messageId && standing.reference === reference) {
    // This very message decided before a crash: the same decision, and its enrollment made sure of.
    if (standing.decision.status === 'ELIGIBLE')
      await enroll(deps, item, standing.decision, reference, ctx, notifyPhone);
    return { decision: standing.decision, ofRecord: false, reference: referenceOfRecord(standing) };
  }
  // Past the campaign's phonesPerCnic: flagged for review and told so; nothing enrolled or recorded.
  const tooManyPhones = await phonesPerCnicDecision(deps.cnicPhones, {
    cnicHash: hash,
    phone: item.phone,
    campaign: ctx.campaigns.find((c) => c.campaignId === fresh.campaignId),
    knownPhone: standing?.from === item.phone,
    now,
  });
  // Told to the sender whoever it is, about this message only: its own reference.
  if (tooManyPhones) return { decision: tooManyPhones, ofRecord: true, reference };
  // Every later message of the person in the campaign answers with the household's one reference.
  const ofHousehold = standing ? referenceOfRecord(standing) : reference;
  // On the waitlist already: a repeat is told so again, and touches neither enrollment nor caps.
  if (standing?.decision.status === 'WAITLISTED' && fresh.status === 'ELIGIBLE')
    return { decision: standing.decision, ofRecord: false, reference: ofHousehold };
  // The household is enrolled already (by this person, or another member first): a duplicate of it.
  if (standing?.decision.status === 'ELIGIBLE')
    return { decision: duplicateOf(fresh, standing.reference), ofRecord: false, reference: ofHousehold };
  if (standing?.decision.status === 'DUPLICATE' && fresh.status === 'ELIGIBLE')
    return { decision: duplicateOf(fresh, ofHousehold), ofRecord: false, reference: ofHousehold };
  // A repeat with the same outcome: answered again, nothing written but its own record.
  if (standing && standing.decision.status === fresh.status)
    return { decision: fresh, ofRecord: false, reference: ofHousehold };

  if (
    fresh.status === 'PENDING_VERIFICATION' &&
    !match.person &&
    item.command.kind === 'register' &&
    !standing
  ) {
    // Dynamic inclusion: whoever registers becomes a provisional household, verified by staff later.
    const web = item.message.channel === 'web' ? item.message : undefined;
    await deps.registry.addProvisional({
      cnic: item.command.cnic,
      cnicHash: hash,
      // The person's own SIM when someone else registers them (none known: no phone, ask in person).
      phone: notifyPhone ?? '',
      registeredAt: fresh.decidedAt,
      ...(web
        ? { district: web.district, tehsil: web.tehsil, ...(web.household ? { answers: web.household } : {}) }
        : {}),
    });
  }
  let decision = fresh;
  // A person's first decision in the campaign takes the household's reference when it has one.
  let ofRecordReference = standing ? ofHousehold : reference;
  if (fresh.status === 'ELIGIBLE') {
    const outcome = await enroll(deps, item, fresh, ofRecordReference, ctx, notifyPhone);
    // Another member of the household enrolled first (or a top-up): one payment per household.
    if (typeof outcome === 'object') {
      decision = duplicateOf(fresh, outcome.firstReference);
      ofRecordReference = outcome.firstReference;
    }
    // Eligible, but no cap had room: told so, and promoted in order if a cap is raised.
    else if (outcome === 'waitlisted') decision = waitlistedOf(fresh);
  }
  const record: DecisionOfRecord = {
    campaignId: campaignKey,
    cnicHash: hash,
    messageId,
    reference: ofRecordReference,
    // The household's notices (replays, appeals, web status) go to a tied phone, never a stranger's.
    from: notifyPhone ?? '',
    channel: item.message.channel,
    lang: item.command.lang,
    decision,
  };
  await deps.decisions.put(record);
  ctx.matches.set(hash, {
    ...match,
    decisionsOfRecord: [
      ...(match.decisionsOfRecord ?? []).filter((d) => d.campaignId !== campaignKey),
      record,
    ],
  });
  return { decision, ofRecord: true, reference: ofRecordReference };
}

/** A decision without a campaign (none in force, identity not confirmed) is recorded under this id. */
export const NO_CAMPAIGN = '-';

function duplicateOf(decision: Decision, firstReference: string): Decision {
  return {
    ...decision,
    status: 'DUPLICATE',
    reasons: ['ALREADY_ENROLLED'],
    inputs: { ...decision.inputs, firstReference },
  };
}

/**
 * Enrolls the household (conditionally, within the campaign's caps); says whether it was enrolled or
 * waitlisted, or gives the first reference when someone else enrolled it.
 */
async function enroll(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  decision: Decision,
  reference: string,
  ctx: BatchContext,
  notifyPhone: string | undefined,
): Promise<'enrolled' | 'waitlisted' | { readonly firstReference: string }> {
  const campaign = ctx.campaigns.find((c) => c.campaignId === decision.campaignId);
  if (!campaign || !decision.householdId) return 'enrolled';
  const enrollment: Enrollment = {
    campaignId: campaign.campaignId,
    householdId: decision.householdId,
    messageId: item.message.messageId,
    reference,
    cnicHash: item.cnicHash as string,
    category: decision.category ?? 'NEW_BENEFICIARY',
    amount: decision.amount ?? 0,
    district: String(decision.inputs.district ?? ''),
    tehsil: String(decision.inputs.tehsil ?? ''),
    ruleSetVersion: decision.ruleSetVersion,
    channel: item.message.channel,
    enrolledAt: decision.decidedAt,
    ...(notifyPhone ? { notify: { phone: notifyPhone, lang: item.command.lang } } : {}),
  };
  return enrollOutcome(
    await deps.enrollments.enroll(enrollment, campaign),
    item.message.messageId,
    reference,
  );
}

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
    ({ decision, ofRecord, reference: shown } = await decide(deps, item, ctx, mine, notifyPhone));
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
        ctx.matches.has(cnicHash)
        ? latestOf(ctx.matches.get(cnicHash)?.decisionsOfRecord)
        : await deps.decisions.latest(cnicHash)
      : undefined;
  // STATUS, and a topped-up household registering: its state now (top-up, amount, payment stage),
  // computed as the web status page computes it, never just "already enrolled".
  const topUpRepeat = decision?.status === 'DUPLICATE' && decision.category === 'TOP_UP';
  const state =
    (command.kind === 'status' || topUpRepeat) && cnicHash
      ? await readHouseholdStanding(deps, cnicHash, {
          ...(ctx.matches.has(cnicHash) ? { match: ctx.matches.get(cnicHash) } : {}),
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
    await indexReference(deps, item, shown, before, decision?.campaignId ?? state?.campaignId);
  return fresh ? outcome : 'ALREADY_HANDLED';
}

/**
 * Makes a reference the household was just told findable by the status page: a person's first
 * reference in a campaign, or one it learns from its household (another member's, a top-up's). A
 * repeat quoting the person's reference of record writes nothing. Only references told to the
 * household and to nobody else are written (a stranger's phone gets none of the household's).
 */
async function indexReference(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  shown: string,
  before: readonly DecisionOfRecord[] | undefined,
  campaignId: string | undefined,
): Promise<void> {
  if (!item.cnicHash) return;
  if ((before ?? []).some((d) => referenceOfRecord(d) === shown)) return;
  const entry: ReferenceEntry = {
    reference: shown,
    cnicHash: item.cnicHash,
    campaignId: campaignId ?? NO_CAMPAIGN,
  };
  await deps.references.put([entry]);
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

/**
 * Records the registration (conditionally, keyed by message id), then counts it and adds its reply to
 * the batch's. A redelivered message finds its record and queues the very same reply again, which the
 * aggregator recognises by its id; returns whether the record is new.
 */
async function recordAndReply(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  decision: Decision | undefined,
  reply: OutboundSms | undefined,
  forReview: boolean,
  notice?: OutboundSms,
  tied = true,
): Promise<boolean> {
  const { message, command, cnicHash } = item;
  // The CNIC the texts quote rests masked in the record and is put back when they are queued again.
  const cnic = 'cnic' in command ? command.cnic : undefined;
  const result = await deps.registrations.record({
    messageId: message.messageId,
    channel: message.channel,
    from: item.phone,
    receivedAt: receivedAtOf(message),
    acceptedAt: message.acceptedAt,
    command: command.kind,
    ...(cnicHash ? { cnicHash } : {}),
    lang: command.lang,
    reference,
    ...(decision ? { decision } : {}),
    ...(reply ? { reply: atRest(reply, cnic) } : {}),
    ...(notice ? { notice: atRest(notice, cnic) } : {}),
    ...(tied ? { tied } : {}),
    ...(forReview ? { forReview } : {}),
  });
  if (!result.fresh) {
    if (result.existing.reply) ctx.replies.push(inFlight(result.existing.reply, cnic));
    if (result.existing.notice) ctx.replies.push(inFlight(result.existing.notice, cnic));
    return false;
  }
  const area = message.channel === 'web' ? message : {};
  ctx.stats.count(
    decision,
    message.channel,
    decision && campaignCountedUnder(decision, area, ctx.campaigns, deps.clock.now()),
  );
  if (reply) ctx.replies.push(reply);
  if (notice) ctx.replies.push(notice);
  return true;
}

/**
 * Queues the batch's replies together (`SendMessageBatch`, ten a request). Called when the batch
 * ends: if it fails, the batch fails and comes back, and the stored replies are queued again.
 */
export async function flushReplies(deps: Pick<ReconcileDeps, 'replies'>, ctx: BatchContext): Promise<void> {
  const replies = ctx.replies.splice(0);
  if (replies.length > 0) await deps.replies.enqueue(replies);
}
