import { describe, expect, it } from 'vitest';
import { decisionStatuses, type ReasonCode } from '../../../packages/core/src/eligibility/decision.js';
import { countSegments } from '../../../packages/core/src/intake/segments.js';
import { parseSms } from '../../../packages/core/src/intake/sms-grammar.js';
import {
  formatAmount,
  type ReplyInput,
  type ReplyStatus,
  renderForwardedReply,
  renderReply,
} from '../../../packages/core/src/replies/index.js';

const LANGUAGES = ['en', 'ur-Latn', 'ur'] as const;
const CNIC = '3520212345671';
const SENDER = { en: 'Madad: ', 'ur-Latn': 'Madad: ', ur: 'مدد: ' } as const;
const FLOOD = { campaignName: 'Sindh Floods 2025', campaignNameUr: 'سندھ سیلاب 2025' } as const;

/** The reasons each status is decided with. */
const REALISTIC: Readonly<Record<ReplyStatus, readonly ReasonCode[]>> = {
  ELIGIBLE: ['IN_REGISTRY'],
  NOT_ELIGIBLE: ['SCORE_ABOVE_THRESHOLD'],
  PENDING_VERIFICATION: ['NOT_IN_REGISTRY'],
  DUPLICATE: ['ALREADY_ENROLLED'],
  IDENTITY_MISMATCH: ['IDENTITY_UNKNOWN'],
  INVALID_REQUEST: ['INVALID_CNIC'],
  NO_ACTIVE_CAMPAIGN: ['OUTSIDE_AFFECTED_AREA'],
  CAMPAIGN_CLOSED: [],
  RATE_LIMITED: ['PHONE_RATE_LIMITED'],
  WAITLISTED: ['CAP_REACHED'],
  HELP: [],
  NOT_REGISTERED: ['IN_REGISTRY'],
};
const ALL_STATUSES = Object.keys(REALISTIC) as ReplyStatus[];

describe('renderReply', () => {
  it('answers every state in English, Roman Urdu and Urdu script, each starting with the sender name (finding 7)', () => {
    // Arrange
    const inputs = ALL_STATUSES.flatMap((status) =>
      LANGUAGES.map((lang) => ({
        status,
        reasons: REALISTIC[status],
        lang,
        reference: 'K7Q2MX9A',
        cnic: CNIC,
      })),
    );

    // Act
    const replies = inputs.map((input) => [input.lang, renderReply(input)] as const);

    // Assert
    expect(decisionStatuses.every((s) => ALL_STATUSES.includes(s))).toBe(true);
    for (const [lang, text] of replies) expect(text.startsWith(SENDER[lang])).toBe(true);
  });

  it('tells an eligible household how, when and where the money comes, and that the original CNIC is needed (finding 3)', () => {
    // Act
    const text = renderReply({
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      lang: 'en',
      reference: 'K7Q2MX9A',
      amount: 12_000,
      cnic: CNIC,
      ...FLOOD,
    });

    // Assert
    expect(text).toBe(
      'Madad: You are eligible for Rs 12,000 from Sindh Floods 2025. We will SMS you when the money is sent, ' +
        'in the coming days. Collect it from a bank agent with your original CNIC. Ref K7Q2MX9A. ' +
        'To check, send STATUS 35202-1234567-1 to 8171.',
    );
    expect(countSegments(text).segments).toBe(2);
  });

  it('answers a Roman Urdu sender in Roman Urdu, as 8171 does (finding 1)', () => {
    // Arrange
    const { lang } = parseSms('MADAD 3520212345671');

    // Act
    const text = renderReply({
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      lang,
      reference: 'K7Q2MX9A',
      amount: 12_000,
      cnic: CNIC,
      ...FLOOD,
    });

    // Assert
    expect(lang).toBe('ur-Latn');
    expect(text).toBe(
      'Madad: Aap Sindh Floods 2025 mein Rs 12,000 ke liye eligible hain. Raqam kuch dinon mein bheji jayegi, ' +
        'SMS ayega. Asal CNIC ke saath bank agent se wusool karein. Hawala K7Q2MX9A. ' +
        'Halat ke liye 8171 par HALAT 35202-1234567-1 bhejein.',
    );
    expect(countSegments(text).encoding).toBe('GSM-7');
  });

  it('answers a CNIC typed in Urdu digits in Urdu script, with the campaign Urdu name (findings 1 and 7)', () => {
    // Arrange
    const { lang } = parseSms('۳۵۲۰۲-۱۲۳۴۵۶۷-۱');

    // Act
    const text = renderReply({
      status: 'ELIGIBLE',
      reasons: ['IN_REGISTRY'],
      lang,
      reference: 'K7Q2MX9A',
      amount: 12_000,
      cnic: CNIC,
      ...FLOOD,
    });

    // Assert
    expect(lang).toBe('ur');
    expect(text).toBe(
      'مدد: آپ سندھ سیلاب 2025 میں 12,000 روپے کے اہل ہیں۔ رقم بھیجنے پر پیغام آئے گا، اصل شناختی کارڈ دکھا کر بینک سے لیں۔ حوالہ K7Q2MX9A۔',
    );
    expect(countSegments(text).segments).toBe(2);
  });

  it('never puts a Latin campaign name in an Urdu reply (finding 7)', () => {
    // Act
    const text = renderReply({
      status: 'DUPLICATE',
      reasons: ['ALREADY_ENROLLED'],
      lang: 'ur',
      reference: 'K7Q2MX9A',
      campaignName: 'Sindh Floods 2025',
    });

    // Assert
    expect(text).not.toMatch(/[A-Za-z]{3,}/u);
    expect(text).toContain('پہلے سے رجسٹر ہیں');
  });

  it.each(LANGUAGES)('never cuts a long campaign name mid-word in %s (finding 7)', (lang) => {
    // Arrange
    const campaignName = 'Kharif Flood Response for Sindh and Balochistan Phase Two';
    const campaignNameUr = 'خریف سیلاب امداد برائے سندھ و بلوچستان دوسرا مرحلہ اور مزید علاقے';

    // Act
    const texts = ALL_STATUSES.map((status) =>
      renderReply({
        status,
        reasons: REALISTIC[status],
        lang,
        reference: 'K7Q2MX9A',
        campaignName,
        campaignNameUr,
      }),
    );

    // Assert: the whole name or none of it, never its first words.
    for (const text of texts) {
      expect(text).not.toContain('Kharif');
      expect(text).not.toContain('خریف');
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
  });

  it('names the number to send to and the household CNIC, never a placeholder (finding 3)', () => {
    // Act
    const texts = LANGUAGES.flatMap((lang) =>
      ALL_STATUSES.map((status) =>
        renderReply({ status, reasons: REALISTIC[status], lang, reference: 'K7Q2MX9A', cnic: CNIC }),
      ),
    );

    // Assert
    for (const text of texts) {
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/CNIC>|شناختی نمبر>/);
    }
    expect(texts.filter((t) => t.includes('8171')).length).toBeGreaterThan(texts.length / 2);
    expect(texts.filter((t) => t.includes('35202-1234567-1')).length).toBeGreaterThan(texts.length / 3);
  });

  it('tells a household in the registry that has not registered how to register, not that it is missing from the survey (finding 2)', () => {
    // Act
    const en = renderReply({
      status: 'NOT_REGISTERED',
      reasons: ['IN_REGISTRY'],
      lang: 'en',
      cnic: CNIC,
      ...FLOOD,
    });
    const roman = renderReply({ status: 'NOT_REGISTERED', reasons: [], lang: 'ur-Latn', cnic: CNIC });

    // Assert
    expect(en).toBe(
      'Madad: Your household is in our records but is not registered for Sindh Floods 2025 yet. ' +
        'To register, send 35202-1234567-1 to 8171.',
    );
    expect(roman).toBe(
      'Madad: Aap ka ghar record mein hai magar abhi register nahi hua. Register ke liye 8171 par 35202-1234567-1 bhejein.',
    );
    expect(en).not.toMatch(/survey|NSER/);
  });

  it.each([
    ['PHONE_RATE_LIMITED', 'Madad: Too many messages came from this phone.'],
    ['CNIC_PHONES_LIMITED', 'Madad: This CNIC was sent from too many phones. Staff will review it.'],
  ] as const)(
    'tells a phone past its limit (%s) what will work instead of "try again later" (finding 8)',
    (reason, start) => {
      // Act
      const texts = LANGUAGES.map((lang) => renderReply({ status: 'RATE_LIMITED', reasons: [reason], lang }));

      // Assert
      expect(texts[0]).toBe(
        `${start} Register from your household's own phone, or visit your tehsil desk with your CNIC.`,
      );
      expect(texts[1]).toContain(
        'Apne ghar ke phone se register karein, ya CNIC ke saath tehsil desk jayein.',
      );
      expect(texts[2]).toContain('اپنے گھر کے فون سے رجسٹر کریں یا شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔');
      for (const text of texts) expect(text).not.toMatch(/try again|later|دیر بعد|baad mein/i);
    },
  );

  it.each([
    ['IN_BATCH', 'Your payment is being prepared; we will SMS you when it is sent.'],
    ['APPROVED', 'Your payment is approved and will be sent soon.'],
    ['SENT', 'Your money has been sent: collect it from a bank agent with your original CNIC.'],
    ['PAID', 'Your money has been paid.'],
    ['FAILED', 'Your payment did not go through. Visit your tehsil desk with your original CNIC to fix it.'],
    ['RETRYING', 'Your payment failed and is being sent again; we will SMS you when it is sent.'],
  ] as const)('tells an eligible household where its payment is: %s', (payment, sentence) => {
    // Act
    const texts = LANGUAGES.map((lang) =>
      renderReply({
        status: 'ELIGIBLE',
        reasons: [],
        lang,
        payment,
        amount: 12_000,
        reference: 'K7Q2MX9A',
        cnic: CNIC,
        ...FLOOD,
      }),
    );

    // Assert
    expect(texts[0]).toContain(sentence);
    for (const text of texts) {
      expect(text).toContain('K7Q2MX9A');
      expect(countSegments(text).segments).toBeLessThanOrEqual(2);
    }
  });

  it('tells a topped-up household the amount added', () => {
    // Act
    const en = renderReply({
      status: 'ELIGIBLE',
      reasons: [],
      lang: 'en',
      topUp: true,
      amount: 8_500,
      ...FLOOD,
    });
    const ur = renderReply({
      status: 'ELIGIBLE',
      reasons: [],
      lang: 'ur',
      topUp: true,
      amount: 8_500,
      ...FLOOD,
    });

    // Assert
    expect(en).toContain('Madad: Rs 8,500 from Sindh Floods 2025 is added for your household.');
    expect(ur).toContain('مدد: سندھ سیلاب 2025 سے 8,500 روپے اضافی ملیں گے۔');
  });

  it('quotes a duplicate registration its own reference and how to check, in one SMS in English and Roman Urdu', () => {
    // Act
    const texts = LANGUAGES.map((lang) =>
      renderReply({
        status: 'DUPLICATE',
        reasons: ['ALREADY_ENROLLED'],
        lang,
        reference: 'K7Q2MX9A',
        cnic: CNIC,
        ...FLOOD,
      }),
    );

    // Assert
    expect(texts[0]).toBe(
      'Madad: You are already registered for Sindh Floods 2025. No need to send again. Ref K7Q2MX9A. ' +
        'To check, send STATUS 35202-1234567-1 to 8171.',
    );
    expect(countSegments(texts[0] ?? '').segments).toBe(1);
    expect(countSegments(texts[1] ?? '').segments).toBe(1);
    expect(texts[2]).toContain('حوالہ K7Q2MX9A');
  });

  it.each(['en', 'ur-Latn'] as const)(
    'answers a repeat in %s in one SMS by leaving out a long campaign name, and keeps the instruction',
    (lang) => {
      // Arrange
      const input = {
        status: 'DUPLICATE',
        reasons: ['ALREADY_ENROLLED'],
        lang,
        reference: 'K7Q2MX9A',
        cnic: CNIC,
        campaignName: 'Kharif Flood Response Sindh Phase Two 25',
      } as const;

      // Act
      const text = renderReply(input);

      // Assert
      expect(countSegments(text).segments).toBe(1);
      expect(text).not.toContain('Kharif');
      expect(text).toContain('35202-1234567-1');
      expect(renderReply({ ...input, status: 'NOT_ELIGIBLE' })).toContain(
        'Kharif Flood Response Sindh Phase Two',
      );
    },
  );

  it.each([
    [
      'RECEIVED',
      'Madad: Your complaint is registered, ref A7K2M9QX. Staff will review it and SMS you the result.',
    ],
    [
      'UPHELD',
      'Madad: Your complaint A7K2M9QX was reviewed: the decision stays. For help, visit your tehsil desk with your original CNIC.',
    ],
    [
      'OVERTURNED',
      'Madad: Your complaint A7K2M9QX was accepted: the decision is changed in your favour. To check, send STATUS 35202-1234567-1 to 8171.',
    ],
  ] as const)('answers a complaint %s', (appeal, expected) => {
    // Act
    const text = renderReply({
      status: 'HELP',
      reasons: [],
      lang: 'en',
      appeal,
      reference: 'A7K2M9QX',
      cnic: CNIC,
    });

    // Assert
    expect(text).toBe(expected);
  });

  it('tells a waitlisted household it qualifies but waits for funds, with no amount', () => {
    // Arrange
    const input = {
      status: 'WAITLISTED',
      reasons: ['CAP_REACHED'],
      reference: 'K7Q2MX9A',
      amount: 12_000,
      cnic: CNIC,
    } as const;

    // Act
    const texts = LANGUAGES.map((lang) => renderReply({ ...input, lang, ...FLOOD }));

    // Assert
    expect(texts[0]).toContain(
      'You qualify for Sindh Floods 2025, but the funds are used up for now. You are on the waiting list.',
    );
    expect(texts[1]).toContain('Aap intezar list mein hain.');
    expect(texts[2]).toContain('آپ انتظار فہرست میں ہیں۔');
    for (const text of texts) expect(text).not.toContain('12,000');
  });

  it('explains a refusal in plain words, without jargon, and how to complain', () => {
    // Act
    const text = renderReply({
      status: 'NOT_ELIGIBLE',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      lang: 'en',
      reference: 'K7Q2MX9A',
      cnic: CNIC,
    });

    // Assert
    expect(text).toBe(
      'Madad: You are not eligible. The survey shows your household above the poverty limit. Ref K7Q2MX9A. ' +
        'Wrong? Send APPEAL 35202-1234567-1 and the reason to 8171.',
    );
    expect(countSegments(text).segments).toBe(1);
    expect(text).not.toMatch(/PMT|NSER|score/);
  });

  it('explains an exclusion filter it has no words for in general terms', () => {
    const text = renderReply({ status: 'NOT_ELIGIBLE', reasons: ['EXCLUSION_PENSIONER'], lang: 'en' });

    expect(text).toContain('Records show your household does not meet the rules.');
  });

  it('answers short and long numbers alike with the 13-digit example (finding 9)', () => {
    // Arrange
    const short = parseSms('35202');
    const long = parseSms('REG 35202-12345678-1');

    // Act
    const replies = [short, long].map((command) =>
      renderReply({ status: 'INVALID_REQUEST', reasons: ['INVALID_CNIC'], lang: command.lang }),
    );

    // Assert
    expect([short.kind, long.kind]).toEqual(['invalid', 'invalid']);
    expect(replies).toEqual([
      'Madad: CNIC 13 hindson ka hota hai, jaise 35202-1234567-1. Dobara 8171 par bhejein.',
      'Madad: A CNIC has 13 digits, like 35202-1234567-1. Please send it again to 8171.',
    ]);
  });

  it('answers STATUS alone with how to ask, with an example (finding 9)', () => {
    // Arrange
    const command = parseSms('STATUS');

    // Act
    const text = renderReply({ status: 'HELP', reasons: ['HELP_REQUESTED'], lang: command.lang });

    // Assert
    expect(command).toEqual({ kind: 'help', topic: 'status', lang: 'en' });
    expect(text).toContain('To check, send STATUS and your CNIC, like STATUS 35202-1234567-1.');
  });

  it('uses another short code when told', () => {
    const text = renderReply({ status: 'DUPLICATE', reasons: [], lang: 'en', cnic: CNIC, shortCode: '9999' });

    expect(text).toContain('send STATUS 35202-1234567-1 to 9999.');
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
      'Madad: To register, send your 13-digit CNIC to 8171. To check, send STATUS and your CNIC, like STATUS 35202-1234567-1. ' +
        'To complain, send APPEAL, your CNIC and the reason.',
    );
  });

  it.each(LANGUAGES)(
    'keeps the campaign name and the reference of a realistic reply in %s, unless leaving the name out saves an SMS',
    (lang) => {
      // Arrange
      const base: Omit<ReplyInput, 'status' | 'reasons'> = {
        lang,
        reference: 'K7Q2MX9A',
        amount: 12_000,
        cnic: CNIC,
        ...FLOOD,
      };

      // Act
      const texts = ALL_STATUSES.map(
        (status) => [status, renderReply({ ...base, status, reasons: REALISTIC[status] })] as const,
      );

      // Assert: the campaign name and the reference survive wherever the state has them, except in a
      // refusal written in Latin letters, which then takes one SMS instead of two.
      for (const [status, text] of texts) {
        const oneSmsWithoutName = lang !== 'ur' && status === 'NOT_ELIGIBLE';
        const named =
          !oneSmsWithoutName &&
          !['HELP', 'INVALID_REQUEST', 'NO_ACTIVE_CAMPAIGN', 'IDENTITY_MISMATCH', 'RATE_LIMITED'].includes(
            status,
          );
        if (oneSmsWithoutName) expect(countSegments(text).segments).toBe(1);
        expect(text.includes(lang === 'ur' ? FLOOD.campaignNameUr : FLOOD.campaignName)).toBe(named);
        expect(text.includes('K7Q2MX9A')).toBe(status !== 'HELP');
      }
    },
  );
});

describe('renderForwardedReply', () => {
  it.each(LANGUAGES)(
    'says in %s where the answer goes, with the sender name and nothing of the household',
    (lang) => {
      const texts = [renderForwardedReply(lang, true), renderForwardedReply(lang, false)];

      for (const text of texts) {
        expect(text.startsWith(SENDER[lang])).toBe(true);
        expect(countSegments(text).segments).toBeLessThanOrEqual(2);
      }
    },
  );
});

describe('formatAmount', () => {
  it.each([
    [12_000, 'en', 'Rs 12,000'],
    [12_000, 'ur-Latn', 'Rs 12,000'],
    [12_000, 'ur', '12,000 روپے'],
    [1_250_000, 'en', 'Rs 1,250,000'],
    [999, 'en', 'Rs 999'],
    [8_500.6, 'en', 'Rs 8,501'],
  ] as const)('formats %d in %s as %s', (amount, lang, expected) => {
    expect(formatAmount(amount, lang)).toBe(expected);
  });
});
