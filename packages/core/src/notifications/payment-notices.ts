import type { Campaign } from '../campaigns/campaign.js';
import { enrollmentKey } from '../campaigns/enrollment-ports.js';
import { crashPoint } from '../faults/index.js';
import type { PaymentLine } from '../payments/model.js';
import type { PayableEnrollment, PaymentEnrollments } from '../payments/ports.js';
import { renderReply } from '../replies/render.js';
import type { Language, OutboundSms } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import { noticeLanguages } from './notice-language.js';
import type { NoticePorts } from './ports.js';

/** The payment stages a household is told of without asking. */
export type PaymentNoticeStage = 'SENT' | 'PAID' | 'FAILED';

/**
 * A payment notice's id, and so the aggregator's client reference: one per payment line and stage.
 * A re-batched household's new line has a new payment reference, so its new payment is told anew.
 */
export function paymentNoticeId(paymentReference: string, stage: PaymentNoticeStage): string {
  return `pay-${paymentReference}-${stage}`;
}

export interface PaymentNoticeDeps {
  /** Absent: no notices (a deployment or test without the outbound queue). */
  readonly notices?: NoticePorts;
  readonly enrollments: Pick<PaymentEnrollments, 'load'>;
  readonly campaigns: { get(campaignId: string): Promise<Campaign | undefined> };
  readonly clock: Clock;
}

/** A notice of `stage` still tells the truth about the household's payment as its enrollment has it. */
function stillTrue(stage: PaymentNoticeStage, line: PaymentLine, enrollment: PayableEnrollment): boolean {
  if (stage === 'SENT') return enrollment.batchId === line.batchId && enrollment.paymentState === 'sent';
  // A household paid meanwhile under another reference is not told that this payment failed.
  if (stage === 'FAILED') return enrollment.paidReference === undefined;
  return true;
}

/** The STATUS answer of the moment, as a notice to the household's phone. */
export function paymentNotice(input: {
  readonly line: Pick<PaymentLine, 'paymentReference' | 'amount' | 'category'>;
  readonly stage: PaymentNoticeStage;
  readonly campaign: Pick<Campaign, 'name' | 'nameUr'> | undefined;
  readonly reference: string;
  readonly phone: string;
  readonly lang: Language;
  readonly at: string;
}): OutboundSms {
  const { line, campaign, lang, reference } = input;
  const text = renderReply({
    status: 'ELIGIBLE',
    reasons: [],
    lang,
    reference,
    amount: line.amount,
    topUp: line.category === 'TOP_UP',
    payment: input.stage,
    ...(campaign ? { campaignName: campaign.name } : {}),
    ...(campaign?.nameUr ? { campaignNameUr: campaign.nameUr } : {}),
  });
  return {
    id: paymentNoticeId(line.paymentReference, input.stage),
    to: input.phone,
    text,
    lang,
    reference,
    createdAt: input.at,
  };
}

/**
 * Tells each line's household, on the phone its enrollment names, in the language that phone last
 * wrote in, that its payment reached `stage`: once per run (`run` names it, e.g. the batch's export),
 * and once per line and stage at the phone (the notice's id is the aggregator's client reference).
 * Called after the lines are marked; a crash before the run's mark is resumed by the flow's re-run,
 * which queues the same notices again, and the aggregator refuses those it already took.
 * Households without a tied phone are told nothing. Returns how many notices were queued.
 */
export async function queuePaymentNotices(
  deps: PaymentNoticeDeps,
  run: {
    readonly key: string;
    readonly campaignId: string;
    readonly lines: readonly { readonly line: PaymentLine; readonly stage: PaymentNoticeStage }[];
  },
): Promise<number> {
  const ports = deps.notices;
  if (!ports || run.lines.length === 0 || (await ports.marks.isDone(run.key))) return 0;
  const [campaign, enrollments] = await Promise.all([
    deps.campaigns.get(run.campaignId),
    deps.enrollments.load(run.lines.map(({ line }) => line)),
  ]);
  const told = run.lines.flatMap(({ line, stage }) => {
    const enrollment = enrollments.get(enrollmentKey(line.campaignId, line.householdId));
    const notify = enrollment?.notify;
    return enrollment && notify?.phone && stillTrue(stage, line, enrollment)
      ? [{ line, stage, enrollment, phone: notify.phone, fallback: notify.lang }]
      : [];
  });
  const languages = await noticeLanguages(ports.phoneLanguages, told);
  const at = deps.clock.now().toISOString();
  const notices = told.map((t) =>
    paymentNotice({
      line: t.line,
      stage: t.stage,
      campaign,
      reference: t.enrollment.reference,
      phone: t.phone,
      lang: languages.get(t.phone) ?? t.fallback,
      at,
    }),
  );
  crashPoint('notices.before-enqueue');
  if (notices.length > 0) await ports.replies.enqueue(notices);
  crashPoint('notices.after-enqueue');
  await ports.marks.markDone(run.key, at);
  return notices.length;
}
