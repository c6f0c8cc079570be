import { decideBaseline, invalidRequestDecision } from './decide-baseline.js';
import type { Decision } from './decision.js';
import { hashCnic } from './keys.js';
import { renderReply } from './messages.js';
import { normalizePhone } from './phone.js';
import type { Clock, RegistrationStore, RegistryLookup, RegistryMatch, ReplyQueue } from './ports.js';
import { referenceFor } from './reference.js';
import type { OutboundSms, RegistrationMessage } from './schemas.js';
import { parseSms, type SmsCommand } from './sms-grammar.js';

export interface ReconcileDeps {
  readonly registry: RegistryLookup;
  readonly registrations: RegistrationStore;
  readonly replies: ReplyQueue;
  readonly clock: Clock;
  readonly pepper: string;
}

export interface ParsedRegistration {
  readonly message: RegistrationMessage;
  readonly command: SmsCommand;
  readonly cnicHash?: string;
}

export type ReconcileOutcome = 'DECIDED' | 'STATUS_ANSWERED' | 'HELP_SENT' | 'ALREADY_HANDLED';

/** Parses a batch and resolves every CNIC in it with one registry lookup. */
export async function resolveBatch(
  deps: Pick<ReconcileDeps, 'registry' | 'pepper'>,
  messages: readonly RegistrationMessage[],
): Promise<{ parsed: ParsedRegistration[]; matches: Map<string, RegistryMatch> }> {
  const parsed = messages.map((message) => {
    const command = parseSms(message.text);
    const cnicHash = 'cnic' in command ? hashCnic(deps.pepper, command.cnic) : undefined;
    return { message, command, cnicHash };
  });
  const hashes = [
    ...new Set(parsed.flatMap((p) => (p.command.kind === 'register' && p.cnicHash ? [p.cnicHash] : []))),
  ];
  const matches = hashes.length > 0 ? await deps.registry.resolve(hashes) : new Map<string, RegistryMatch>();
  return { parsed, matches };
}

/**
 * Handles one registration end to end: decide, record (idempotently, keyed by message id), queue the
 * reply, then mark it replied. A redelivery after a crash repeats only the missing steps.
 */
export async function reconcileOne(
  deps: ReconcileDeps,
  item: ParsedRegistration,
  matches: Map<string, RegistryMatch>,
): Promise<ReconcileOutcome> {
  const { message, command, cnicHash } = item;
  const now = deps.clock.now();
  const reference = referenceFor(message.messageId);
  let decision: Decision | undefined;
  let text: string;
  let outcome: ReconcileOutcome;

  if (command.kind === 'register') {
    decision = decideBaseline(cnicHash ? matches.get(cnicHash) : undefined, now);
    text = renderReply({ status: decision.status, reasons: decision.reasons, lang: command.lang, reference });
    outcome = 'DECIDED';
  } else if (command.kind === 'status' && cnicHash) {
    const stored = await deps.registrations.latestDecision(cnicHash);
    text = stored
      ? renderReply({
          status: stored.decision.status,
          reasons: stored.decision.reasons,
          lang: command.lang,
          reference: stored.reference,
        })
      : renderReply({ status: 'PENDING_VERIFICATION', reasons: ['NOT_IN_REGISTRY'], lang: command.lang });
    outcome = 'STATUS_ANSWERED';
  } else if (command.kind === 'invalid' && (command.reason === 'INVALID_CNIC' || command.reason === 'TOO_LONG')) {
    decision = invalidRequestDecision(command.reason === 'INVALID_CNIC' ? 'INVALID_CNIC' : 'UNRECOGNISED_MESSAGE', now);
    text = renderReply({ status: decision.status, reasons: decision.reasons, lang: command.lang, reference });
    outcome = 'DECIDED';
  } else {
    text = renderReply({ status: 'HELP', reasons: ['HELP_REQUESTED'], lang: command.lang });
    outcome = 'HELP_SENT';
  }

  const replyId = `reply-${message.messageId}`;
  const fresh = await deps.registrations.record({
    messageId: message.messageId,
    channel: message.channel,
    from: message.from,
    receivedAt: message.receivedAt ?? message.acceptedAt,
    command: command.kind,
    ...(command.kind === 'register' && cnicHash ? { cnicHash } : {}),
    lang: command.lang,
    reference,
    ...(decision ? { decision } : {}),
    replyId,
  });
  if (!fresh) return 'ALREADY_HANDLED';

  const phone = normalizePhone(message.from);
  const reply: OutboundSms = {
    id: replyId,
    to: phone.ok ? phone.phone : message.from,
    text,
    lang: command.lang,
    inReplyTo: message.messageId,
    reference,
    // The acceptance time, not now: a redelivered message must produce the very same reply item.
    createdAt: message.acceptedAt,
  };
  await deps.replies.enqueue([reply]);
  await deps.registrations.markReplied(message.messageId, now.toISOString());
  return outcome;
}
