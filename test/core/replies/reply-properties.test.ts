import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decisionStatuses,
  type ReasonCode,
  reasonCodes,
} from '../../../packages/core/src/eligibility/decision.js';
import {
  appealStages,
  type Language,
  paymentStages,
  type ReplyInput,
  type ReplyStatus,
  renderForwardedReply,
  renderReply,
} from '../../../packages/core/src/index.js';
import { countSegments } from '../../../packages/core/src/intake/segments.js';
import { parseSms, type SmsCommand } from '../../../packages/core/src/intake/sms-grammar.js';

const LANGUAGES: readonly Language[] = ['en', 'ur-Latn', 'ur'];
const STATUSES: readonly ReplyStatus[] = [...decisionStatuses, 'HELP', 'NOT_REGISTERED'];
// Every reason code of the core, and the exclusion filters the reply catalogue names.
const REASONS: readonly ReasonCode[] = [
  ...reasonCodes,
  'EXCLUSION_VEHICLE_OWNER',
  'EXCLUSION_INTL_TRAVEL',
  'EXCLUSION_GOVT_EMPLOYEE',
  'EXCLUSION_HIGH_PHONE_BILL',
  'EXCLUSION_EXECUTIVE_ID',
  'EXCLUSION_PENSIONER',
];
const SENDER: Readonly<Record<Language, string>> = { en: 'Madad: ', 'ur-Latn': 'Madad: ', ur: 'مدد: ' };
/** What a placeholder or a slip in a template leaves behind. */
const PLACEHOLDER = /[<>{}]|undefined|NaN|null|\$\{| {2}| [.,:;۔]|Ref \.|حوالہ ۔/;
const ARABIC = /\p{Script=Arabic}/u;

/** The reply contract every rendered text must keep. */
function expectWellFormed(text: string, lang: Language): void {
  expect(text.startsWith(SENDER[lang]), text).toBe(true);
  expect(text, text).not.toMatch(PLACEHOLDER);
  expect(countSegments(text).segments, text).toBeLessThanOrEqual(2);
  expect(ARABIC.test(text), text).toBe(lang === 'ur');
}

/** The replies a parsed command can lead to: a registration any decision; STATUS any state and stage. */
function repliesFor(command: SmsCommand): Omit<ReplyInput, 'lang'>[] {
  switch (command.kind) {
    case 'register':
      return decisionStatuses.map((status) => ({ status, reasons: [], cnic: command.cnic }));
    case 'status':
      return [
        ...STATUSES.map((status) => ({ status, reasons: [], cnic: command.cnic })),
        ...paymentStages.map((payment) => ({
          status: 'ELIGIBLE' as const,
          reasons: [],
          payment,
          cnic: command.cnic,
        })),
      ];
    case 'appeal':
      return appealStages.map((appeal) => ({
        status: 'HELP' as const,
        reasons: [],
        appeal,
        cnic: command.cnic,
      }));
    case 'help':
      return [{ status: 'HELP', reasons: ['HELP_REQUESTED'] }];
    case 'invalid':
      return [
        {
          status: 'INVALID_REQUEST',
          reasons: [command.reason === 'INVALID_CNIC' ? 'INVALID_CNIC' : 'UNRECOGNISED_MESSAGE'],
        },
      ];
  }
}

const smsText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc
    .tuple(
      fc.constantFrom(
        '',
        'REG ',
        'CNIC ',
        'STATUS ',
        'halat ',
        'حالت ',
        'madad ',
        'مدد ',
        'APPEAL ',
        'shikayat ',
        'HELP',
      ),
      fc.stringMatching(/^[1-7][0-9]{4}-?[0-9]{7}-?[0-9]$/),
      fc.constantFrom('', ' hamara ghar pani mein doob gaya', ' my house', ' گھر ڈوب گیا'),
    )
    .map(([keyword, cnic, note]) => `${keyword}${cnic}${note}`),
  fc.stringMatching(/^[0-9Oo \-۰-۹]{0,20}$/),
);

const facts = fc.record(
  {
    reference: fc.oneof(fc.stringMatching(/^[A-Z0-9]{8,10}$/), fc.string({ maxLength: 30 })),
    amount: fc.oneof(fc.integer({ min: 1, max: 9_999_999 }), fc.double()),
    campaignName: fc.oneof(fc.stringMatching(/^[A-Za-z0-9 ]{1,60}$/), fc.string({ maxLength: 60 })),
    campaignNameUr: fc.oneof(fc.constant('سندھ سیلاب امداد 2025'), fc.string({ maxLength: 60 })),
    topUp: fc.boolean(),
    shortCode: fc.constantFrom('8171', '9999'),
  },
  { requiredKeys: [] },
);

describe('every reply the parser can lead to', () => {
  it('renders in its language with the sender name, no placeholder and within two SMS, whatever the message and facts', () => {
    fc.assert(
      fc.property(smsText, facts, (text, extra) => {
        // Arrange
        const command = parseSms(text);

        // Act
        const replies = repliesFor(command).map((input) =>
          renderReply({ ...extra, ...input, lang: command.lang }),
        );

        // Assert
        for (const reply of replies) {
          expect(reply.startsWith(SENDER[command.lang]), reply).toBe(true);
          expect(reply, reply).not.toMatch(/[<>]/);
          expect(countSegments(reply).segments, reply).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('every state x language x optional facts (exhaustive)', () => {
  const campaigns = [
    {},
    { campaignName: 'Sindh Floods 2025', campaignNameUr: 'سندھ سیلاب 2025' },
    {
      campaignName: 'Kharif Flood Response Sindh Phase Two 1',
      campaignNameUr: 'خریف سیلاب امداد برائے سندھ دوسرا مرحلہ ایک',
    },
  ];
  const base = STATUSES.flatMap((status) =>
    [[], ...REASONS.map((r) => [r])].flatMap((reasons) =>
      (status === 'ELIGIBLE' ? [undefined, ...paymentStages] : [undefined]).map((payment) => ({
        status,
        reasons,
        ...(payment ? { payment } : {}),
      })),
    ),
  );
  const appeals = appealStages.map((appeal) => ({ status: 'HELP' as const, reasons: [], appeal }));

  it.each(LANGUAGES)('renders every one in %s well formed', (lang) => {
    // Arrange
    const inputs: ReplyInput[] = [...base, ...appeals].flatMap((input) =>
      campaigns.flatMap((campaign) =>
        [{}, { cnic: '3520212345671', reference: 'K7Q2MX9A2B', amount: 9_999_999 }].flatMap((known) =>
          [false, true].map((topUp) => ({ ...input, ...campaign, ...known, topUp, lang })),
        ),
      ),
    );

    // Act
    const texts = inputs.map((input) => renderReply(input));

    // Assert
    expect(texts).toHaveLength((base.length + appeals.length) * 12);
    for (const text of texts) expectWellFormed(text, lang);
  });

  it.each(LANGUAGES)('renders the forwarded replies in %s well formed', (lang) => {
    for (const hasPhone of [true, false]) expectWellFormed(renderForwardedReply(lang, hasPhone), lang);
  });
});
