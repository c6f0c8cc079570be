import { type AppealsOfPerson, withAppeal } from '../appeals/appeal-standing.js';
import type { Campaign } from '../campaigns/campaign.js';
import {
  type CampaignDirectory,
  type Enrollment,
  type EnrollmentStore,
  enrollmentKey,
} from '../campaigns/enrollment-ports.js';
import type { ReasonCode } from '../eligibility/decision.js';
import { decideEligibility } from '../eligibility/eligibility.js';
import type { RegistryLookup, RegistryMatch } from '../registry/registry-ports.js';
import type { AppealStage, ReplyInput, ReplyStatus } from '../replies/types.js';
import type { Language } from '../schemas.js';
import { type EnrollmentPaymentFields, type HouseholdPaymentStage, paymentStageOf } from './payment-stage.js';
import type { DecisionOfRecord } from './ports.js';

/**
 * What is true for a household now, as one reply says it (the reply contract's `ReplyInput` without
 * the language and the CNIC): the same for SMS STATUS, the web status page and the JSON route.
 */
export interface HouseholdStanding {
  readonly status: ReplyStatus;
  readonly reasons: readonly ReasonCode[];
  /** The household's one reference in the campaign, absent when it has not registered. */
  readonly reference?: string;
  readonly amount?: number;
  readonly campaignId?: string;
  readonly campaignName?: string;
  readonly campaignNameUr?: string;
  /** The amount is added to a regular beneficiary's payment (vertical expansion). */
  readonly topUp?: boolean;
  readonly payment?: HouseholdPaymentStage;
  /** Where the household's complaint is; `reference` is then the appeal's id (appeals/appeal-standing). */
  readonly appeal?: AppealStage;
  readonly decidedAt?: string;
}

/** What the state is computed from: the person's registry partition and the household's enrollments. */
export interface HouseholdFacts {
  readonly match: RegistryMatch | undefined;
  readonly campaigns: readonly Campaign[];
  /** The household's enrollments in `campaigns`, by `enrollmentKey`, with their payment fields. */
  readonly enrollments: ReadonlyMap<string, Enrollment & EnrollmentPaymentFields>;
  readonly now: Date;
}

/** The reference a decision of record answers with: a duplicate's is the household's first one. */
export function referenceOfRecord(record: DecisionOfRecord): string {
  const first = record.decision.inputs.firstReference;
  return record.decision.status === 'DUPLICATE' && typeof first === 'string' ? first : record.reference;
}

function campaignFacts(campaigns: readonly Campaign[], campaignId: string | undefined) {
  const campaign = campaigns.find((c) => c.campaignId === campaignId);
  if (!campaign) return {};
  const nameUr = (campaign as { nameUr?: string }).nameUr;
  return {
    campaignId: campaign.campaignId,
    campaignName: campaign.name,
    ...(nameUr ? { campaignNameUr: nameUr } : {}),
  };
}

/** The household's enrollment in a campaign in force, the newest campaign first. */
function enrollmentOf(facts: HouseholdFacts): (Enrollment & EnrollmentPaymentFields) | undefined {
  const householdId = facts.match?.person?.householdId;
  if (!householdId) return undefined;
  const newestFirst = [...facts.campaigns].sort((a, b) => b.opensAt.localeCompare(a.opensAt));
  for (const c of newestFirst) {
    const found = facts.enrollments.get(enrollmentKey(c.campaignId, householdId));
    if (found) return found;
  }
  return undefined;
}

/**
 * The household's current state, in this order: its enrollment (eligible or waitlisted, with the
 * amount, whether it tops up a regular payment, and the payment stage, under the enrollment's
 * reference: a topped-up household learns its top-up, not "already enrolled"); else the person's
 * latest decision of record under its reference of record; else, for a person in the registry, what
 * registering would meet now (NOT_REGISTERED while a campaign covering the household is open, else
 * closed or no campaign); else what the registry says (not in it: pending verification).
 */
export function householdStandingOf(facts: HouseholdFacts): HouseholdStanding {
  const enrollment = enrollmentOf(facts);
  const latest = latestDecision(facts.match?.decisionsOfRecord);
  const current =
    enrollment &&
    (!latest ||
      latest.campaignId === enrollment.campaignId ||
      latest.decision.decidedAt <= enrollment.enrolledAt);
  if (enrollment && current) {
    const waitlisted = enrollment.capState === 'waitlisted' || enrollment.capState === 'reserving';
    const payment = waitlisted ? undefined : paymentStageOf(enrollment);
    return {
      status: waitlisted ? 'WAITLISTED' : 'ELIGIBLE',
      reasons: waitlisted ? ['CAP_REACHED'] : [],
      reference: enrollment.reference,
      // A waitlisted household is not told an amount it may never get.
      ...(waitlisted ? {} : { amount: enrollment.amount }),
      ...campaignFacts(facts.campaigns, enrollment.campaignId),
      ...(enrollment.category === 'TOP_UP' ? { topUp: true } : {}),
      ...(payment ? { payment } : {}),
      decidedAt: enrollment.enrolledAt,
    };
  }
  if (latest) {
    const { decision } = latest;
    return {
      status: decision.status,
      reasons: decision.reasons,
      reference: referenceOfRecord(latest),
      ...(decision.amount !== undefined && decision.status === 'ELIGIBLE' ? { amount: decision.amount } : {}),
      ...campaignFacts(facts.campaigns, decision.campaignId),
      ...(decision.category === 'TOP_UP' && decision.status === 'ELIGIBLE' ? { topUp: true } : {}),
      decidedAt: decision.decidedAt,
    };
  }
  const match = facts.match ?? { exclusions: [] };
  const now = decideEligibility({ match, campaigns: facts.campaigns, cnicsFromPhone: 1, now: facts.now });
  if (match.person && (now.status === 'ELIGIBLE' || (now.status === 'NOT_ELIGIBLE' && now.campaignId)))
    return { status: 'NOT_REGISTERED', reasons: [], ...campaignFacts(facts.campaigns, now.campaignId) };
  if (now.status === 'IDENTITY_MISMATCH' && !match.person)
    return { status: 'PENDING_VERIFICATION', reasons: ['NOT_IN_REGISTRY'] };
  return { status: now.status, reasons: now.reasons, ...campaignFacts(facts.campaigns, now.campaignId) };
}

function latestDecision(records: readonly DecisionOfRecord[] | undefined): DecisionOfRecord | undefined {
  return [...(records ?? [])]
    .filter((r) => r.decision && r.decision.status !== 'RATE_LIMITED')
    .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))[0];
}

/** The reads behind {@link householdStandingOf}: narrow ports, available to the reconciler and the API. */
export interface HouseholdStandingDeps {
  readonly registry: Pick<RegistryLookup, 'resolve'>;
  readonly enrollments: Pick<EnrollmentStore, 'find'>;
  readonly campaigns: CampaignDirectory;
  readonly clock: { now(): Date };
  /** The person's latest appeal by key; a store without it (an older fake) leaves appeals out. */
  readonly appeals?: Partial<AppealsOfPerson>;
}

/**
 * Reads and computes a person's household state: the person's partition (one Query, unless the
 * caller read it already), the campaigns in force (cached) and the household's enrollments in them
 * (one BatchGet), and, at the same time as the partition, the person's latest appeal (two Gets by
 * key, the second only for a person who appealed).
 */
export async function readHouseholdStanding(
  deps: HouseholdStandingDeps,
  cnicHash: string,
  known?: { match?: RegistryMatch; campaigns?: readonly Campaign[] },
): Promise<HouseholdStanding> {
  const now = deps.clock.now();
  const [match, campaigns, appeal] = await Promise.all([
    known?.match ?? deps.registry.resolve([cnicHash]).then((m) => m.get(cnicHash)),
    known?.campaigns ?? deps.campaigns.inForce(now),
    deps.appeals?.latestOf?.(cnicHash),
  ]);
  const householdId = match?.person?.householdId;
  const enrollments = householdId
    ? ((await deps.enrollments.find(
        campaigns.map((c) => ({ campaignId: c.campaignId, householdId })),
      )) as Map<string, Enrollment & EnrollmentPaymentFields>)
    : new Map<string, Enrollment & EnrollmentPaymentFields>();
  return withAppeal(householdStandingOf({ match, campaigns, enrollments, now }), appeal);
}

/** The reply input of a household state: SMS STATUS and the web status page render exactly this. */
export function standingReplyInput(state: HouseholdStanding, lang: Language): ReplyInput {
  const { campaignId: _id, decidedAt: _at, ...facts } = state;
  return { ...facts, lang };
}
