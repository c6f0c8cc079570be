import type { Campaign } from './campaign.js';
import { ConflictError, NotFoundError } from './errors.js';
import type {
  Clock,
  DecisionRecordStore,
  Enrollment,
  EnrollmentStore,
  ReplyQueue,
  StoredDecision,
} from './ports.js';
import type { Language, OutboundSms } from './schemas.js';

export type AppealStatus = 'OPEN' | 'UPHELD' | 'OVERTURNED';

/** A grievance against a decision, opened by SMS (`APPEAL <cnic> <text>`) or the web. */
export interface Appeal {
  readonly appealId: string;
  readonly messageId: string;
  readonly cnicHash: string;
  readonly phone: string;
  readonly lang: Language;
  readonly note: string;
  readonly status: AppealStatus;
  readonly openedAt: string;
  /** The decision appealed against, when there was one. */
  readonly decision?: StoredDecision;
  readonly resolution?: {
    readonly by: string;
    readonly at: string;
    readonly reason: string;
    readonly enrolled: boolean;
  };
}

export interface AppealStore {
  /** Idempotent by message id: a redelivered APPEAL opens one case. */
  open(appeal: Appeal): Promise<Appeal>;
  get(appealId: string): Promise<Appeal | undefined>;
  list(status: AppealStatus, limit: number): Promise<Appeal[]>;
  /** Conditional on the case still being OPEN: two staff members cannot both resolve it. */
  resolve(
    appealId: string,
    status: Exclude<AppealStatus, 'OPEN'>,
    resolution: NonNullable<Appeal['resolution']>,
  ): Promise<void>;
}

const TEXTS = {
  received: {
    en: (ref: string) =>
      `Madad: Your complaint is registered. Ref ${ref}. Staff will review it and send you the outcome by SMS.`,
    ur: (ref: string) =>
      `آپ کی شکایت درج ہو گئی۔ حوالہ ${ref}۔ جائزے کے بعد نتیجہ ایس ایم ایس پر بھیجا جائے گا۔`,
  },
  UPHELD: {
    en: (ref: string) =>
      `Madad: Your complaint ${ref} was reviewed. The earlier decision stays. Visit your tehsil desk for help.`,
    ur: (ref: string) => `شکایت ${ref} کا جائزہ ہو گیا۔ پہلا فیصلہ برقرار ہے۔ مدد کے لیے تحصیل ڈیسک جائیں۔`,
  },
  OVERTURNED: {
    en: (ref: string) =>
      `Madad: Your complaint ${ref} was accepted. The decision is changed in your favour. Send STATUS <CNIC> for details.`,
    ur: (ref: string) =>
      `شکایت ${ref} منظور ہو گئی۔ فیصلہ آپ کے حق میں بدل دیا گیا۔ تفصیل کے لیے حالت <شناختی نمبر> بھیجیں۔`,
  },
} as const;

export function appealReceivedText(appealId: string, lang: Language): string {
  return TEXTS.received[lang](appealId);
}

export function appealOutcomeText(
  outcome: Exclude<AppealStatus, 'OPEN'>,
  appealId: string,
  lang: Language,
): string {
  return TEXTS[outcome][lang](appealId);
}

export interface ResolveAppealDeps {
  readonly appeals: AppealStore;
  /** The person's decision of record, replaced when an appeal is overturned (STATUS then says so). */
  readonly decisions?: Pick<DecisionRecordStore, 'put'>;
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly enrollments: EnrollmentStore;
  readonly replies: ReplyQueue;
  readonly clock: Clock;
}

/**
 * Staff uphold or overturn an appeal with a written reason. Overturning a refusal taken under a
 * campaign enrolls the household (conditionally, so never twice); the household is told by SMS.
 */
export async function resolveAppeal(
  deps: ResolveAppealDeps,
  input: { appealId: string; outcome: Exclude<AppealStatus, 'OPEN'>; reason: string; by: string },
): Promise<Appeal> {
  const appeal = await deps.appeals.get(input.appealId);
  if (!appeal) throw new NotFoundError(`No appeal ${input.appealId}`);
  if (appeal.status !== 'OPEN')
    throw new ConflictError(`Appeal ${input.appealId} was already ${appeal.status}`);
  const now = deps.clock.now().toISOString();
  let enrolled = false;
  const decision = appeal.decision?.decision;
  if (
    input.outcome === 'OVERTURNED' &&
    decision?.campaignId &&
    decision.householdId &&
    decision.status !== 'ELIGIBLE'
  ) {
    const campaign = await deps.campaigns.get(decision.campaignId);
    if (campaign) {
      const topUp = decision.inputs.inRegularProgramme === true;
      const enrollment: Enrollment = {
        campaignId: campaign.campaignId,
        householdId: decision.householdId,
        messageId: appeal.messageId,
        reference: appeal.appealId,
        cnicHash: appeal.cnicHash,
        category: topUp ? 'TOP_UP' : 'NEW_BENEFICIARY',
        amount: topUp ? campaign.rules.amounts.topUp : campaign.rules.amounts.newBeneficiary,
        district: String(decision.inputs.district ?? ''),
        tehsil: String(decision.inputs.tehsil ?? ''),
        ruleSetVersion: campaign.ruleSetVersion,
        channel: 'sms',
        enrolledAt: now,
      };
      enrolled = (await deps.enrollments.enroll(enrollment)).created;
      // The household's standing decision is now the appeal's: STATUS and repeats answer from it.
      if (deps.decisions && appeal.decision) {
        await deps.decisions.put({
          campaignId: campaign.campaignId,
          cnicHash: appeal.cnicHash,
          messageId: appeal.decision.messageId,
          reference: appeal.decision.reference,
          from: appeal.phone,
          channel: 'sms',
          lang: appeal.lang,
          decision: {
            ...decision,
            status: 'ELIGIBLE',
            reasons: [],
            category: enrollment.category,
            amount: enrollment.amount,
            ruleSetVersion: campaign.ruleSetVersion,
            inputs: { ...decision.inputs, overturnedBy: input.by, appealId: appeal.appealId },
            decidedAt: now,
          },
        });
      }
    }
  }
  const resolution = { by: input.by, at: now, reason: input.reason, enrolled };
  await deps.appeals.resolve(appeal.appealId, input.outcome, resolution);
  const notice: OutboundSms = {
    id: `appeal-${appeal.appealId}-${input.outcome}`,
    to: appeal.phone,
    text: appealOutcomeText(input.outcome, appeal.appealId, appeal.lang),
    lang: appeal.lang,
    reference: appeal.appealId,
    createdAt: now,
  };
  await deps.replies.enqueue([notice]);
  return { ...appeal, status: input.outcome, resolution };
}
