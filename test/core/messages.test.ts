import { describe, expect, it } from 'vitest';
import { decisionStatuses, type ReasonCode } from '../../packages/core/src/decision.js';
import {
  formatAmount,
  type ReplyInput,
  type ReplyStatus,
  renderReply,
} from '../../packages/core/src/messages.js';
import { countSegments } from '../../packages/core/src/segments.js';

const ALL_STATUSES: readonly ReplyStatus[] = [...decisionStatuses, 'HELP'];
const ALL_REASONS: readonly ReasonCode[] = [
  'IN_REGISTRY',
  'NOT_IN_REGISTRY',
  'INVALID_CNIC',
  'UNRECOGNISED_MESSAGE',
  'HELP_REQUESTED',
  'SCORE_ABOVE_THRESHOLD',
  'OUTSIDE_AFFECTED_AREA',
  'EXCLUSION_VEHICLE_OWNER',
  'EXCLUSION_INTL_TRAVEL',
  'EXCLUSION_GOVT_EMPLOYEE',
  'EXCLUSION_HIGH_PHONE_BILL',
  'EXCLUSION_EXECUTIVE_ID',
  'EXCLUSION_PENSIONER',
  'IDENTITY_UNKNOWN',
  'IDENTITY_DECEASED',
  'IDENTITY_BLOCKED',
  'ALREADY_ENROLLED',
  'PHONE_RATE_LIMITED',
  'CAP_REACHED',
];
const LANGUAGES = ['en', 'ur'] as const;
/** The reasons each status is actually decided with; these replies must lose nothing to fit. */
const REALISTIC: Readonly<Record<ReplyStatus, readonly ReasonCode[]>> = {
  ELIGIBLE: ['IN_REGISTRY'],
  NOT_ELIGIBLE: ALL_REASONS.filter(
    (r) => r.startsWith('EXCLUSION_') || r.endsWith('_THRESHOLD') || r.endsWith('_AREA'),
  ),
  PENDING_VERIFICATION: ['NOT_IN_REGISTRY', 'IDENTITY_UNKNOWN'],
  DUPLICATE: ['ALREADY_ENROLLED'],
  IDENTITY_MISMATCH: ['IDENTITY_UNKNOWN', 'IDENTITY_DECEASED', 'IDENTITY_BLOCKED'],
  INVALID_REQUEST: ['INVALID_CNIC', 'UNRECOGNISED_MESSAGE'],
  NO_ACTIVE_CAMPAIGN: ['OUTSIDE_AFFECTED_AREA', 'IN_REGISTRY'],
  CAMPAIGN_CLOSED: [],
  RATE_LIMITED: ['PHONE_RATE_LIMITED'],
  // Decided with CAP_REACHED, which the outcome sentence itself explains (no second sentence).
  WAITLISTED: [],
  HELP: [],
};

const everyCombination = ALL_STATUSES.flatMap((status) =>
  [...ALL_REASONS.map((r) => [r]), []].flatMap((reasons) =>
    LANGUAGES.map((lang) => ({ status, reasons, lang })),
  ),
);

describe('renderReply', () => {
  it.each([
    [
      'with every optional detail',
      { reference: 'K7Q2MX9A', amount: 125_000, campaignName: 'Sindh Floods 2025', payment: 'SENT' },
    ],
    [
      'with a long campaign name',
      {
        reference: 'K7Q2MX9A',
        amount: 9_999_999,
        campaignName: 'Kharif Flood Response Phase Two',
        payment: 'APPROVED',
      },
    ],
    ['with no optional detail', {}],
  ] as const)('fits every status x reason x language in two SMS %s', (_name, extras) => {
    // Act
    const oversized = everyCombination
      .map((combination) => renderReply({ ...combination, ...extras }))
      .filter((text) => countSegments(text).segments > 2);

    // Assert
    expect(everyCombination.length).toBe(ALL_STATUSES.length * (ALL_REASONS.length + 1) * 2);
    expect(oversized).toEqual([]);
  });

  it('keeps English replies in GSM-7 so they get 306 characters', () => {
    const encodings = new Set(
      everyCombination
        .filter((c) => c.lang === 'en')
        .map(
          (c) =>
            countSegments(renderReply({ ...c, reference: 'K7Q2MX9A', amount: 12_000, payment: 'PAID' }))
              .encoding,
        ),
    );

    expect([...encodings]).toEqual(['GSM-7']);
  });

  const realisticCases = ALL_STATUSES.flatMap((status) =>
    LANGUAGES.flatMap((lang) => {
      const reasons: readonly (readonly ReasonCode[])[] =
        REALISTIC[status].length > 0 ? REALISTIC[status].map((r) => [r]) : [[]];
      return reasons.map((r) => [status, r.join(',') || 'no reason', lang, r] as const);
    }),
  );

  it.each(realisticCases)(
    'drops nothing from a realistic %s reply (%s) in %s',
    (status, _label, lang, reasons) => {
      // Arrange
      const input: ReplyInput = {
        status,
        reasons,
        lang,
        reference: 'K7Q2MX9A',
        amount: 12_000,
        payment: 'APPROVED',
      };
      const withoutReason = renderReply({ ...input, reasons: [] });
      const nextStep =
        renderReply({ status, reasons: [], lang })
          .split(/(?<=[.۔]) /)
          .at(-1) ?? '';

      // Act
      const text = renderReply(input);

      // Assert: the reason adds a sentence, the reference is there, and the next step (last sentence) survived.
      expect(text.length > withoutReason.length).toBe(reasons.length > 0);
      expect(text.includes('K7Q2MX9A')).toBe(status !== 'HELP');
      expect(nextStep.length).toBeGreaterThan(10);
      expect(text.endsWith(nextStep)).toBe(true);
    },
  );

  it('tells an eligible household the amount, the payment stage and how to check', () => {
    // Act
    const text = renderReply({
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      lang: 'en',
      reference: 'K7Q2MX9A',
      amount: 12_000,
      campaignName: 'Sindh Floods 2025',
      payment: 'SENT',
    });

    // Assert
    expect(text).toBe(
      'Madad: You are eligible for Rs 12,000 from Sindh Floods 2025. Your household is in the national survey. ' +
        'Your payment has been sent. Collect it with your CNIC. Ref K7Q2MX9A. To check, send STATUS <CNIC>.',
    );
  });

  it('tells a waitlisted household it qualifies but waits for funds, with no amount, in two SMS', () => {
    // Arrange
    const input = { status: 'WAITLISTED', reasons: ['CAP_REACHED'], reference: 'K7Q2MX9A' } as const;

    // Act
    const en = renderReply({ ...input, lang: 'en', amount: 12_000, campaignName: 'Sindh Floods 2025' });
    const ur = renderReply({ ...input, lang: 'ur', amount: 12_000, campaignName: 'Sindh Floods 2025' });

    // Assert
    expect(en).toBe(
      'Madad: You qualify for Sindh Floods 2025, but the funds are used up for now. You are on the waiting list. ' +
        'Ref K7Q2MX9A. We will SMS you if funds are added. To check, send STATUS <CNIC>.',
    );
    expect(ur).toContain('انتظار فہرست');
    expect(ur).toContain('رقم آنے پر ایس ایم ایس ملے گا۔');
    for (const text of [en, ur]) {
      expect(text).not.toContain('12,000');
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
  });

  it('explains a specific exclusion and how to appeal', () => {
    const text = renderReply({
      status: 'NOT_ELIGIBLE',
      reasons: ['EXCLUSION_VEHICLE_OWNER'],
      lang: 'en',
      reference: 'K7Q2MX9A',
    });

    expect(text).toBe(
      'Madad: You are not eligible. Records show a vehicle owned in your household. Ref K7Q2MX9A. ' +
        'If this is wrong, send APPEAL <CNIC> <reason>.',
    );
  });

  it('explains an exclusion filter it has no words for in general terms', () => {
    const text = renderReply({ status: 'NOT_ELIGIBLE', reasons: ['EXCLUSION_PENSIONER'], lang: 'en' });

    expect(text).toContain('Records show your household does not meet the rules.');
  });

  it('explains the first reason it has words for', () => {
    const text = renderReply({
      status: 'NOT_ELIGIBLE',
      reasons: ['HELP_REQUESTED', 'SCORE_ABOVE_THRESHOLD'],
      lang: 'en',
    });

    expect(text).toContain("Your household's poverty score is above the limit.");
  });

  it('sends an unverified household to the tehsil desk or the web form', () => {
    const en = renderReply({
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
      lang: 'en',
      reference: 'K7Q2MX9A',
    });
    const ur = renderReply({
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
      lang: 'ur',
      reference: 'K7Q2MX9A',
    });

    expect(en).toContain('Visit your tehsil registration desk or complete the web form.');
    expect(ur).toContain('تحصیل ڈیسک جائیں یا ویب فارم پُر کریں۔');
  });

  it('answers in Urdu script with the Urdu keywords the grammar accepts', () => {
    const text = renderReply({
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      lang: 'ur',
      reference: 'K7Q2MX9A',
      amount: 12_000,
    });

    expect(text).toBe(
      'آپ 12,000 روپے کے اہل ہیں۔ گھرانہ قومی سروے میں ہے۔ حوالہ K7Q2MX9A۔ معلومات کیلئے حالت <شناختی نمبر> بھیجیں۔',
    );
  });

  it('never puts a short code number in the text', () => {
    const replies = everyCombination.map((c) => renderReply(c));

    // The CNIC example in the INVALID_CNIC reason is the one long number a reply may contain.
    const withoutExample = replies.map((text) => text.replace('12345-1234567-1', ''));

    expect(withoutExample.filter((text) => /\b\d{4,6}\b/.test(text))).toEqual([]);
  });

  it('drops the campaign name rather than cost a third SMS', () => {
    // Arrange
    const campaignName = 'A very long campaign name that nobody will read';

    // Act
    const text = renderReply({
      status: 'NOT_ELIGIBLE',
      reasons: ['EXCLUSION_GOVT_EMPLOYEE'],
      lang: 'ur',
      reference: 'K7Q2MX9A',
      campaignName,
    });

    // Assert
    expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    expect(text).not.toContain('campaign');
    expect(text).toContain('K7Q2MX9A');
  });

  it('strips control and bidi characters from staff-provided text', () => {
    const text = renderReply({
      status: 'CAMPAIGN_CLOSED',
      reasons: [],
      lang: 'en',
      campaignName: 'Flood\n\u202eRelief\u0007',
    });

    expect(text).toContain('Registration for Flood Relief is closed.');
  });

  it('gives HELP without a reason or a reference', () => {
    const text = renderReply({
      status: 'HELP',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      lang: 'en',
      reference: 'K7Q2MX9A',
    });

    expect(text).toBe(
      'Madad: To register, send your 13-digit CNIC. To check, send STATUS <CNIC>. To complain, send APPEAL <CNIC> <reason>.',
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [12_000, 'en', 'Rs 12,000'],
    [12_000, 'ur', '12,000 روپے'],
    [1_250_000, 'en', 'Rs 1,250,000'],
    [999, 'en', 'Rs 999'],
    [8_500.6, 'en', 'Rs 8,501'],
  ] as const)('formats %d in %s as %s', (amount, lang, expected) => {
    expect(formatAmount(amount, lang)).toBe(expected);
  });
});
