import { type AppealStore, appealReceivedText } from './appeals.js';
import type { Campaign } from './campaign.js';
import { BASELINE_RULE_SET, type Decision } from './decision.js';

import { decideEligibility, invalidRequestDecision } from './eligibility.js';
import { hashCnic } from './keys.js';
import type { PaymentStage } from './messages.js';
import { normalizePhone } from './phone.js';
import {
  type CampaignDirectory,
  type Clock,
  type Enrollment,
  type EnrollmentStore,
  enrollmentKey,
  type RegistrationStore,
  type RegistryLookup,
  type RegistryMatch,
  type ReplyQueue,
  type SenderActivity,
} from './ports.js';
import { referenceFor } from './reference.js';
import { composeReply } from './reply-for.js';
import type { OutboundSms, RegistrationMessage } from './schemas.js';
import { parseSms, type SmsCommand } from './sms-grammar.js';
import { StatsBatch } from './stats-batch.js';

export interface ReconcileDeps {
  readonly appeals: AppealStore;
  readonly registry: RegistryLookup;
  readonly registrations: RegistrationStore;
  readonly enrollments: EnrollmentStore;
  readonly activity: SenderActivity;
  readonly campaigns: CampaignDirectory;
  readonly replies: ReplyQueue;
  readonly clock: Clock;
  readonly pepper: string;
  /** Messages one phone may send in an hour before it is rate-limited and no longer answered. */
  readonly messagesPerPhoneHour?: number;
}

export const DEFAULT_MESSAGES_PER_PHONE_HOUR = 30;

export interface ParsedRegistration {
  readonly message: RegistrationMessage;
  readonly command: SmsCommand;
  readonly phone: string;
  readonly cnicHash?: string;
}

/** What a whole batch needs, read up front in a few batched round trips. */
export interface BatchContext {
  readonly matches: Map<string, RegistryMatch>;
  readonly campaigns: readonly Campaign[];
  readonly phoneCnics: Map<string, ReadonlySet<string>>;
  readonly enrollments: Map<string, Enrollment>;
  readonly stats: StatsBatch;
  /** Each message's place in its phone's tally for the hour (1 = first message this hour). */
  readonly messageRank: Map<string, number>;
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

/** Reads everything the batch needs: registry, campaigns, sender activity, existing enrollments. */
export async function prepareBatch(
  deps: ReconcileDeps,
  items: readonly ParsedRegistration[],
): Promise<BatchContext> {
  const registering = items.filter((p) => p.command.kind === 'register' && p.cnicHash);
  const hashes = [...new Set(registering.map((p) => p.cnicHash as string))];
  const phones = [...new Set(registering.map((p) => p.phone))];
  const [matches, campaigns, phoneCnics] = await Promise.all([
    hashes.length > 0 ? deps.registry.resolve(hashes) : new Map<string, RegistryMatch>(),
    deps.campaigns.inForce(deps.clock.now()),
    phones.length > 0 ? deps.activity.load(phones) : new Map<string, ReadonlySet<string>>(),
  ]);
  const pairs = [...matches.values()].flatMap((m) =>
    m.household
      ? campaigns.map((c) => ({ campaignId: c.campaignId, householdId: m.household?.householdId ?? '' }))
      : [],
  );
  const enrollments = pairs.length > 0 ? await deps.enrollments.find(pairs) : new Map<string, Enrollment>();
  const messageRank = await rankMessages(deps, items);
  return { matches, campaigns, phoneCnics, enrollments, stats: new StatsBatch(), messageRank };
}

async function decide(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
): Promise<{ decision: Decision; duplicateOf?: string }> {
  const hash = item.cnicHash as string;
  const now = deps.clock.now();
  const known = ctx.phoneCnics.get(item.phone);
  // A write only the first time a phone sends a given CNIC: repeats (most of a surge) cost none.
  const cnicsFromPhone = known?.has(hash) ? known.size : await deps.activity.add(item.phone, hash);
  const match = ctx.matches.get(hash) ?? { exclusions: [] };
  const decision = decideEligibility({ match, campaigns: ctx.campaigns, cnicsFromPhone, now });
  if (decision.status === 'PENDING_VERIFICATION' && !match.person && item.command.kind === 'register') {
    // Dynamic inclusion: whoever registers becomes a provisional household, verified by staff later.
    const web = item.message.channel === 'web' ? item.message : undefined;
    await deps.registry.addProvisional({
      cnic: item.command.cnic,
      cnicHash: hash,
      phone: item.phone,
      registeredAt: decision.decidedAt,
      ...(web
        ? { district: web.district, tehsil: web.tehsil, ...(web.household ? { answers: web.household } : {}) }
        : {}),
    });
  }
  if (decision.status !== 'ELIGIBLE' || !decision.campaignId || !decision.householdId) return { decision };

  const key = enrollmentKey(decision.campaignId, decision.householdId);
  let existing = ctx.enrollments.get(key);
  if (!existing) {
    const enrollment: Enrollment = {
      campaignId: decision.campaignId,
      householdId: decision.householdId,
      messageId: item.message.messageId,
      reference,
      cnicHash: hash,
      category: decision.category ?? 'NEW_BENEFICIARY',
      amount: decision.amount ?? 0,
      district: String(decision.inputs.district ?? ''),
      tehsil: String(decision.inputs.tehsil ?? ''),
      ruleSetVersion: decision.ruleSetVersion,
      channel: item.message.channel,
      enrolledAt: decision.decidedAt,
    };
    const result = await deps.enrollments.enroll(enrollment);
    existing = result.created ? enrollment : result.existing;
    ctx.enrollments.set(key, existing);
    if (result.created) return { decision };
  }
  if (existing.messageId === item.message.messageId) return { decision };
  return {
    decision: {
      ...decision,
      status: 'DUPLICATE',
      reasons: ['ALREADY_ENROLLED'],
      inputs: { ...decision.inputs, firstReference: existing.reference },
    },
    duplicateOf: existing.reference,
  };
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
  const reference = message.channel === 'web' ? message.reference : referenceFor(message.messageId);
  let decision: Decision | undefined;
  let outcome: ReconcileOutcome = 'DECIDED';
  const limit = deps.messagesPerPhoneHour ?? DEFAULT_MESSAGES_PER_PHONE_HOUR;
  const rank = ctx.messageRank.get(message.messageId) ?? 1;
  if (rank > limit) return floodedOne(deps, item, ctx, reference, rank, limit);
  if (command.kind === 'register' && cnicHash) {
    ({ decision } = await decide(deps, item, ctx, reference));
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
  const stored =
    (command.kind === 'status' || command.kind === 'appeal') && cnicHash
      ? await deps.registrations.latestDecision(cnicHash)
      : undefined;
  const payment =
    command.kind === 'status' && stored ? await paymentStageOf(deps, stored.decision) : undefined;
  let text: string | undefined;
  if (command.kind === 'appeal' && cnicHash) {
    const appeal = await deps.appeals.open({
      appealId: `A${reference.slice(1)}`,
      messageId: message.messageId,
      cnicHash,
      phone: item.phone,
      lang: command.lang,
      note: command.note,
      status: 'OPEN',
      openedAt: deps.clock.now().toISOString(),
      ...(stored ? { decision: stored } : {}),
    });
    text = appealReceivedText(appeal.appealId, command.lang);
  }
  const reply = composeReply({
    item,
    reference,
    decision,
    stored,
    campaigns: ctx.campaigns,
    ...(text ? { text } : {}),
    ...(payment ? { payment } : {}),
  });
  return (await recordAndReply(deps, item, ctx, reference, decision, reply)) ? outcome : 'ALREADY_HANDLED';
}

/** Where the money is, for STATUS: read from the enrollment that payment batches update. */
async function paymentStageOf(deps: ReconcileDeps, decision: Decision): Promise<PaymentStage | undefined> {
  if (decision.status !== 'ELIGIBLE' || !decision.campaignId || !decision.householdId) return undefined;
  const found = await deps.enrollments.find([
    { campaignId: decision.campaignId, householdId: decision.householdId },
  ]);
  const state = (
    found.get(enrollmentKey(decision.campaignId, decision.householdId)) as
      | { paymentState?: string }
      | undefined
  )?.paymentState;
  return state === 'paid'
    ? 'PAID'
    : state === 'sent'
      ? 'SENT'
      : state === 'approved'
        ? 'APPROVED'
        : undefined;
}

/**
 * Counts each phone's messages for the hour with one write per phone per batch (a flooding phone's
 * 25 messages cost one write), and gives every message its place in that tally.
 */
async function rankMessages(
  deps: ReconcileDeps,
  items: readonly ParsedRegistration[],
): Promise<Map<string, number>> {
  const hour = deps.clock.now().toISOString().slice(0, 13);
  const byPhone = new Map<string, ParsedRegistration[]>();
  for (const item of items) byPhone.set(item.phone, [...(byPhone.get(item.phone) ?? []), item]);
  const ranks = new Map<string, number>();
  await Promise.all(
    [...byPhone].map(async ([phone, messages]) => {
      const total = await deps.activity.countMessages(phone, hour, messages.length);
      for (const [i, m] of messages.entries())
        ranks.set(m.message.messageId, total - messages.length + i + 1);
    }),
  );
  return ranks;
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
  const reply =
    rank === limit + 1 ? composeReply({ item, reference, decision, campaigns: ctx.campaigns }) : undefined;
  return (await recordAndReply(deps, item, ctx, reference, decision, reply)) ? 'DECIDED' : 'ALREADY_HANDLED';
}

/**
 * Records the registration (conditionally, keyed by message id), then counts it and queues its reply.
 * A redelivered message finds its record and queues the very same reply again, which the sender
 * recognises by its id; returns whether the record is new.
 */
async function recordAndReply(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  ctx: BatchContext,
  reference: string,
  decision: Decision | undefined,
  reply: OutboundSms | undefined,
): Promise<boolean> {
  const { message, command, cnicHash } = item;
  const result = await deps.registrations.record({
    messageId: message.messageId,
    channel: message.channel,
    from: item.phone,
    receivedAt: (message.channel === 'sms' ? message.receivedAt : undefined) ?? message.acceptedAt,
    acceptedAt: message.acceptedAt,
    command: command.kind,
    // Only registrations are indexed by person: a STATUS or APPEAL is never someone's latest decision.
    ...(command.kind === 'register' && cnicHash ? { cnicHash } : {}),
    lang: command.lang,
    reference,
    ...(decision ? { decision } : {}),
    ...(reply ? { reply } : {}),
  });
  if (!result.fresh) {
    if (result.existing.reply) await deps.replies.enqueue([result.existing.reply]);
    return false;
  }
  ctx.stats.count(decision, message.channel);
  if (reply) await deps.replies.enqueue([reply]);
  return true;
}
