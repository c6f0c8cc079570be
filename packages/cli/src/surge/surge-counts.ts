import type { FireResult } from './fire.js';
import type { MessageKind, PlannedSms } from './sms-mix.js';
import type { RegistrationView, ReplyView } from './staff-api.js';

/** Decisions of messages that get none (help, unreadable texts) are counted under this name. */
export const NO_DECISION = 'NO_DECISION';

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** The surge's outcome, counted message by message. */
export interface SurgeCounts {
  readonly planned: number;
  readonly accepted: number;
  readonly rejectedByStatus: Record<string, number>;
  readonly redeliveries: { readonly posted: number; readonly accepted: number };
  readonly registrations: { readonly found: number; readonly missing: number; readonly missingIds: string[] };
  readonly replies: {
    readonly exactlyOne: number;
    readonly none: number;
    readonly moreThanOne: number;
    /**
     * Messages recorded without a reply by design: past the phone's hourly allowance (RATE_LIMITED,
     * told once, then not answered). Counted apart; any reply to one of them would be an error.
     */
    readonly silenced: number;
    readonly silencedButAnswered: number;
    readonly sent: number;
    readonly segments: number;
  };
  readonly decisionsByStatus: Record<string, number>;
  readonly byKind: Record<string, { sent: number; accepted: number; byStatus: Record<string, number> }>;
  readonly duplicates: {
    /** Repeat registrations of a CNIC already sent in this surge (same or other phone). */
    readonly repeats: number;
    readonly answeredDuplicate: number;
    /** Households enrolled more than once by this surge's decisions (must be 0). */
    readonly householdsEnrolledTwice: number;
    readonly enrolled: number;
  };
  /** Webhook request sent -> reply taken by the aggregator (`sentAt`), in ms. */
  readonly latencyMs: Percentiles;
  /** Webhook accepted (server clock) -> reply sent (server clock), in ms: free of clock skew. */
  readonly serverLatencyMs: Percentiles;
  /** accepted = registrations (one each) = replies (one each) + messages silenced by the flood allowance. */
  readonly nothingLost: boolean;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Counts what happened: every accepted message id must have exactly one registration and exactly one
 * reply (delivered to the local SMS gateway, or queued against a deployed stack: see `repliesCounted`);
 * nothing is assumed from the absence of errors.
 */
export function countSurge(
  planned: readonly PlannedSms[],
  fired: FireResult,
  registrations: ReadonlyMap<string, RegistrationView>,
  replies: readonly ReplyView[],
): SurgeCounts {
  const kindOf = new Map(planned.map((sms) => [sms.messageId, sms.kind]));
  const repliesFor = new Map<string, ReplyView[]>();
  for (const reply of replies) {
    const id = reply.inReplyTo ?? reply.id.replace(/^reply-/, '');
    repliesFor.set(id, [...(repliesFor.get(id) ?? []), reply]);
  }
  const rejectedByStatus: Record<string, number> = {};
  const decisionsByStatus: Record<string, number> = {};
  const byKind: SurgeCounts['byKind'] = {};
  const missingIds: string[] = [];
  const latencies: number[] = [];
  const serverLatencies: number[] = [];
  const enrolledHouseholds = new Map<string, number>();
  let accepted = 0;
  let found = 0;
  let exactlyOne = 0;
  let none = 0;
  let moreThanOne = 0;
  let silenced = 0;
  let silencedButAnswered = 0;
  let sent = 0;
  let segments = 0;
  let repeats = 0;
  let answeredDuplicate = 0;
  for (const outcome of fired.outcomes) {
    const kind: MessageKind | 'unknown' = kindOf.get(outcome.messageId) ?? 'unknown';
    const entry = byKind[kind] ?? { sent: 0, accepted: 0, byStatus: {} };
    byKind[kind] = entry;
    entry.sent += 1;
    if (outcome.acceptedAt === undefined) {
      bump(rejectedByStatus, String(outcome.status));
      continue;
    }
    accepted += 1;
    entry.accepted += 1;
    if (kind === 'repeat-same-phone' || kind === 'repeat-other-phone') repeats += 1;
    const registration = registrations.get(outcome.messageId);
    if (!registration) {
      if (missingIds.length < 10) missingIds.push(outcome.messageId);
    } else {
      found += 1;
      const status = registration.decision?.status ?? NO_DECISION;
      bump(decisionsByStatus, status);
      bump(entry.byStatus, status);
      if (status === 'DUPLICATE') answeredDuplicate += 1;
      const household = (registration.decision as { householdId?: string } | undefined)?.householdId;
      if (status === 'ELIGIBLE' && household)
        enrolledHouseholds.set(household, (enrolledHouseholds.get(household) ?? 0) + 1);
    }
    const own = repliesFor.get(outcome.messageId) ?? [];
    if (registration && !registration.reply) {
      silenced += 1;
      if (own.length > 0) silencedButAnswered += 1;
    } else if (own.length === 1) exactlyOne += 1;
    else if (own.length === 0) none += 1;
    else moreThanOne += 1;
    const reply = own[0];
    if (reply?.sentAt) {
      sent += 1;
      segments += reply.segments ?? 1;
      latencies.push(Date.parse(reply.sentAt) - outcome.sentAt);
      if (registration?.acceptedAt)
        serverLatencies.push(Date.parse(reply.sentAt) - Date.parse(registration.acceptedAt));
    }
  }
  const redeliveredOk = fired.redeliveries.filter((r) => r.status === 200).length;
  const householdsEnrolledTwice = [...enrolledHouseholds.values()].filter((n) => n > 1).length;
  return {
    planned: planned.length,
    accepted,
    rejectedByStatus,
    redeliveries: { posted: fired.redeliveries.length, accepted: redeliveredOk },
    registrations: { found, missing: accepted - found, missingIds },
    replies: { exactlyOne, none, moreThanOne, silenced, silencedButAnswered, sent, segments },
    decisionsByStatus,
    byKind,
    duplicates: { repeats, answeredDuplicate, householdsEnrolledTwice, enrolled: enrolledHouseholds.size },
    latencyMs: percentiles(latencies),
    serverLatencyMs: percentiles(serverLatencies),
    nothingLost:
      accepted > 0 &&
      found === accepted &&
      exactlyOne + silenced === accepted &&
      silencedButAnswered === 0 &&
      householdsEnrolledTwice === 0,
  };
}
