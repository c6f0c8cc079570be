import type { RegistrationView, ReplyView } from './staff-api.js';
import type { CapReading } from './surge-target.js';

/** The caps a capped surge declares its campaign with (absent: the rehearsal's huge defaults). */
export interface SurgeCaps {
  readonly maxHouseholds?: number;
  readonly budgetCap?: number;
}

/** What the capped campaign ended with, counted from its cap shards, waitlist and the surge's replies. */
export interface CapCounts {
  readonly maxHouseholds: number;
  readonly budgetCap: number;
  /** Households holding a reservation (the shards' count) and the PKR they committed. */
  readonly enrolled: number;
  readonly committed: number;
  /** Enrollments on the waitlist index. */
  readonly waitlisted: number;
  /** Eligible households: enrolled + waitlisted (every eligible household ends in one of the two). */
  readonly eligible: number;
  /**
   * Which limit stopped enrollment: `households` (expected enrolled = min(maximum, eligible)), `budget`
   * (no shard had room for the cheapest waitlisted household's amount), or `none` (nobody waitlisted).
   */
  readonly binding: 'households' | 'budget' | 'none';
  readonly expectedEnrolled: number;
  /** No shard had room for the cheapest waitlisted household (so waitlisting it was right). */
  readonly waitlistJustified: boolean;
  /** Messages of this surge decided WAITLISTED, their households, and how many got the waitlist reply. */
  readonly decidedWaitlisted: number;
  readonly waitlistedHouseholdsBySms: number;
  readonly toldWaitlist: number;
  /** Of the households the surge saw decided WAITLISTED, those not on the waitlist (must be 0). */
  readonly decidedWaitlistedNotOnWaitlist: number;
  readonly ok: boolean;
}

/*
 * The waitlist reply's outcome sentence in each language (packages/core/src/replies/en.ts, ur-latn.ts
 * and ur.ts, `WAITLISTED`): it survives every shortening `renderReply` does, and an amount never
 * comes with it.
 */
const WAITLIST_SENTENCES = [
  'You are on the waiting list.',
  'Aap intezar list mein hain.',
  'آپ انتظار فہرست میں ہیں۔',
];
const AMOUNT = /Rs \d|روپے/;

/** Whether a delivered text is the waitlist reply: its sentence, and no amount promised. */
export function isWaitlistReply(text: string | undefined): boolean {
  return text !== undefined && WAITLIST_SENTENCES.some((s) => text.includes(s)) && !AMOUNT.test(text);
}

/**
 * Proves a capped surge held its caps: the shards never committed past either limit; enrolled =
 * min(maximum, eligible) when the household maximum is the binding limit; a household was
 * waitlisted only when no shard had room for it; and each message decided WAITLISTED was answered
 * with the waitlist reply (one each, counted on the replies the surge already read).
 */
export function countCaps(
  caps: Required<SurgeCaps>,
  reading: CapReading,
  registrations: ReadonlyMap<string, RegistrationView>,
  replies: readonly ReplyView[],
): CapCounts {
  const enrolled = reading.shards.reduce((sum, s) => sum + s.households, 0);
  const committed = reading.shards.reduce((sum, s) => sum + s.committed, 0);
  const waitlisted = reading.waitlisted.length;
  const eligible = enrolled + waitlisted;
  const cheapest = reading.waitlisted.reduce((min, e) => Math.min(min, e.amount), Number.POSITIVE_INFINITY);
  const waitlistJustified =
    waitlisted === 0 ||
    reading.shards.every((s) => s.remainingHouseholds < 1 || s.remainingBudget < cheapest);
  // The budget binds when the committed sum leaves no room for a household's amount.
  const budgetBinds = waitlisted > 0 && reading.shards.every((s) => s.remainingBudget < cheapest);
  const expectedEnrolled = budgetBinds ? enrolled : Math.min(caps.maxHouseholds, eligible);

  const onWaitlist = new Set(reading.waitlisted.map((e) => e.householdId));
  const replyTo = new Map(replies.flatMap((r) => (r.inReplyTo ? [[r.inReplyTo, r] as const] : [])));
  const byId = new Map(replies.map((r) => [r.id, r]));
  const households = new Set<string>();
  let decidedWaitlisted = 0;
  let toldWaitlist = 0;
  for (const registration of registrations.values()) {
    if (registration.decision?.status !== 'WAITLISTED') continue;
    decidedWaitlisted += 1;
    const household = (registration.decision as { householdId?: string }).householdId;
    if (household) households.add(household);
    // Told on the phone that sent it, or (a helper's message) on the household's own phone.
    const told = registration.notice ? byId.get(registration.notice.id) : replyTo.get(registration.messageId);
    if (isWaitlistReply(told?.text)) toldWaitlist += 1;
  }
  const decidedWaitlistedNotOnWaitlist = [...households].filter((h) => !onWaitlist.has(h)).length;
  return {
    maxHouseholds: caps.maxHouseholds,
    budgetCap: caps.budgetCap,
    enrolled,
    committed,
    waitlisted,
    eligible,
    binding: waitlisted === 0 ? 'none' : budgetBinds ? 'budget' : 'households',
    expectedEnrolled,
    waitlistJustified,
    decidedWaitlisted,
    waitlistedHouseholdsBySms: households.size,
    toldWaitlist,
    decidedWaitlistedNotOnWaitlist,
    ok:
      reading.shards.length > 0 &&
      enrolled <= caps.maxHouseholds &&
      committed <= caps.budgetCap &&
      enrolled === expectedEnrolled &&
      waitlistJustified &&
      toldWaitlist === decidedWaitlisted &&
      decidedWaitlistedNotOnWaitlist === 0,
  };
}
