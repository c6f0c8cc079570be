import { crashPoint } from '../../faults/crash-point.js';
import { noticeLanguages } from '../../notifications/notice-language.js';
import type { PhoneLanguages } from '../../notifications/ports.js';
import type { ReplyQueue } from '../../registration/ports.js';
import { renderUpdateInvitation } from '../../replies/update-invitation.js';
import type { Language, OutboundSms } from '../../schemas.js';
import type { Clock } from '../../time/clock.js';
import { areasInForce } from '../areas.js';
import type { Gazetteer } from '../gazetteer/gazetteer.js';
import type { GazetteerReader } from '../gazetteer/ports.js';
import type { QualityHousehold } from './quality-household.js';

/** One household's invitation of one round, as recorded before its SMS is queued. */
export interface UpdateInvitation {
  readonly round: string;
  readonly householdId: string;
  readonly phone: string;
  readonly lang: Language;
  readonly text: string;
  readonly smsId: string;
  readonly invitedAt: string;
  /** Set once the SMS is on the outbound queue. */
  readonly queuedAt?: string;
}

/** The invitations sent, one record per household per round. */
export interface InvitationLedger {
  /** The round's record of the household, if any (a strongly consistent read). */
  get(round: string, householdId: string): Promise<UpdateInvitation | undefined>;
  /** Records the invitation unless the household already has one this round: false then. */
  create(invitation: UpdateInvitation): Promise<boolean>;
  markQueued(round: string, householdId: string, at: string): Promise<void>;
}

export interface InvitationDeps {
  readonly invitations: InvitationLedger;
  readonly replies: ReplyQueue;
  readonly phoneLanguages?: PhoneLanguages;
  readonly clock: Clock;
  /** The areas in force, for the tehsil's Urdu name (default the built-in gazetteer). */
  readonly gazetteer?: GazetteerReader;
}

/** The invitation SMS's id, and so the aggregator's client reference: one per household per round. */
export const invitationSmsId = (round: string, householdId: string) => `update-${round}-${householdId}`;

/** The household's tehsil as the invitation names it: registry spelling and Urdu name, when known. */
function tehsilFacts(areas: Gazetteer, tehsil: string | undefined) {
  const tehsilUr = tehsil ? areas.nameUr(tehsil) : undefined;
  return { ...(tehsil ? { tehsil } : {}), ...(tehsilUr ? { tehsilUr } : {}) };
}

/** Invitations handed to the outbound queue at once. */
const INVITATION_PACK = 100;

const smsOf = (invitation: UpdateInvitation): OutboundSms => ({
  id: invitation.smsId,
  to: invitation.phone,
  text: invitation.text,
  lang: invitation.lang,
  createdAt: invitation.invitedAt,
});

export interface InvitationOutcome {
  readonly invited: number;
  readonly alreadyInvited: number;
  readonly withoutPhone: number;
}

/**
 * Invites households due for an update to confirm or correct their data (SMS to the household's
 * first registry phone, in the language that phone last wrote in, Urdu script if it never did).
 * Crash-safe and sent once: the record is written first (conditional), the SMS queued under an id
 * fixed by round and household (the aggregator refuses a repeat id), then the record marked queued;
 * a re-run skips marked households and re-queues the same SMS for one that crashed in between.
 */
export async function inviteHouseholdsToUpdate(
  deps: InvitationDeps,
  round: string,
  households: readonly QualityHousehold[],
): Promise<InvitationOutcome> {
  let invited = 0;
  let alreadyInvited = 0;
  const reachable = households.filter((h) => h.phones[0] !== undefined);
  const withoutPhone = households.length - reachable.length;
  const languages = await noticeLanguages(
    deps.phoneLanguages,
    reachable.map((h) => ({ phone: h.phones[0] ?? '' })),
  );
  const areas = await areasInForce(deps.gazetteer);
  const pending: UpdateInvitation[] = [];
  for (const household of reachable) {
    const phone = household.phones[0] ?? '';
    let invitation = await deps.invitations.get(round, household.householdId);
    if (invitation?.queuedAt) {
      alreadyInvited += 1;
      continue;
    }
    if (!invitation) {
      const lang = languages.get(phone) ?? 'ur';
      const fresh: UpdateInvitation = {
        round,
        householdId: household.householdId,
        phone,
        lang,
        text: renderUpdateInvitation(lang, {
          ...(household.surveyedAt ? { surveyYear: household.surveyedAt.slice(0, 4) } : {}),
          ...tehsilFacts(areas, household.tehsil),
        }),
        smsId: invitationSmsId(round, household.householdId),
        invitedAt: deps.clock.now().toISOString(),
      };
      invitation = (await deps.invitations.create(fresh))
        ? fresh
        : await deps.invitations.get(round, household.householdId);
      if (!invitation || invitation.queuedAt) {
        alreadyInvited += 1;
        continue;
      }
    }
    pending.push(invitation);
  }
  crashPoint('update-invitation.recorded');
  for (let i = 0; i < pending.length; i += INVITATION_PACK) {
    const pack = pending.slice(i, i + INVITATION_PACK);
    await deps.replies.enqueue(pack.map(smsOf));
    crashPoint('update-invitation.queued');
    const at = deps.clock.now().toISOString();
    for (const invitation of pack) await deps.invitations.markQueued(round, invitation.householdId, at);
    invited += pack.length;
  }
  return { invited, alreadyInvited, withoutPhone };
}
