import type { DecisionStatus } from './decision.js';

/** What a reply can be about: a decision status, or the answer to HELP. */
export type ReplyStatus = DecisionStatus | 'HELP';
export type PaymentStage = 'APPROVED' | 'SENT' | 'PAID';

/** The facts an outcome sentence may mention, already formatted for the language. */
export interface OutcomeFacts {
  readonly amount?: string;
  readonly campaign?: string;
}

/**
 * The sentences of one language. English stays inside GSM-7 (no curly quotes or dashes) so a reply
 * gets 306 characters in two parts; Urdu is UCS-2 and must say the same in 134 code units, which is
 * why the Urdu sentences are terse and use the Urdu keywords the grammar accepts.
 */
export interface ReplyPhrases {
  readonly prefix: string;
  readonly reference: (reference: string) => string;
  readonly amount: (grouped: string) => string;
  readonly outcome: (status: ReplyStatus, facts: OutcomeFacts) => string;
  /** Plain-words explanation per reason code; codes without an entry are not explained. */
  readonly reasons: Readonly<Record<string, string>>;
  /** For exclusion filters added after this table was written. */
  readonly otherExclusion: string;
  readonly payment: Readonly<Record<PaymentStage, string>>;
  readonly next: Readonly<Record<ReplyStatus, string>>;
  /** To a phone not tied to the household: received, and the answer goes to its registered phones. */
  readonly forwarded: string;
  /** To a phone not tied to a household that has no tied phone: where to ask instead. */
  readonly askInPerson: string;
}

const englishOutcome = (status: ReplyStatus, { amount, campaign }: OutcomeFacts): string => {
  const forCampaign = campaign === undefined ? '' : ` for ${campaign}`;
  switch (status) {
    case 'ELIGIBLE':
      return amount === undefined
        ? `You are eligible${forCampaign}.`
        : `You are eligible for ${amount}${campaign === undefined ? '' : ` from ${campaign}`}.`;
    case 'NOT_ELIGIBLE':
      return `You are not eligible${forCampaign}.`;
    case 'PENDING_VERIFICATION':
      return 'We could not confirm your household yet.';
    case 'DUPLICATE':
      return `We already have your registration${forCampaign}.`;
    case 'IDENTITY_MISMATCH':
      return 'We could not verify your CNIC.';
    case 'INVALID_REQUEST':
      return 'Your message could not be processed.';
    case 'NO_ACTIVE_CAMPAIGN':
      return 'No relief programme is open for registration now.';
    case 'CAMPAIGN_CLOSED':
      return `Registration${forCampaign} is closed.`;
    case 'RATE_LIMITED':
      return 'Your message was not processed.';
    case 'WAITLISTED':
      return `You qualify${forCampaign}, but the funds are used up for now. You are on the waiting list.`;
    case 'HELP':
      return 'To register, send your 13-digit CNIC.';
  }
};

const STATUS_EN = 'To check, send STATUS <CNIC>.';
const APPEAL_EN = 'To complain, send APPEAL <CNIC> <reason>.';

export const englishPhrases: ReplyPhrases = {
  prefix: 'Madad: ',
  reference: (reference) => `Ref ${reference}.`,
  amount: (grouped) => `Rs ${grouped}`,
  outcome: englishOutcome,
  reasons: {
    SCORE_ABOVE_THRESHOLD: "Your household's poverty score is above the limit.",
    OUTSIDE_AFFECTED_AREA: 'Your registered address is outside the affected area.',
    EXCLUSION_VEHICLE_OWNER: 'Records show a vehicle owned in your household.',
    EXCLUSION_INTL_TRAVEL: 'Records show foreign travel in your household.',
    EXCLUSION_GOVT_EMPLOYEE: 'Records show a government employee in your household.',
    EXCLUSION_HIGH_PHONE_BILL: 'Records show high phone bills in your household.',
    EXCLUSION_EXECUTIVE_ID: 'Records show an executive CNIC in your household.',
    NOT_IN_REGISTRY: 'Your household is not in the national survey (NSER).',
    IN_REGISTRY: 'Your household is in the national survey.',
    IDENTITY_UNKNOWN: 'This CNIC was not found in ID records.',
    IDENTITY_DECEASED: 'ID records show this CNIC holder as deceased.',
    IDENTITY_BLOCKED: 'This CNIC is blocked in ID records.',
    INVALID_CNIC: 'A CNIC has 13 digits, like 12345-1234567-1.',
    UNRECOGNISED_MESSAGE: 'We did not understand your message.',
    ALREADY_ENROLLED: 'You are already enrolled in this programme.',
    PHONE_RATE_LIMITED: 'Too many messages were sent from this phone.',
    CNIC_PHONES_LIMITED: 'This CNIC was sent from too many phones. Staff will review it.',
  },
  otherExclusion: 'Records show your household does not meet the rules.',
  payment: {
    APPROVED: 'Your payment is approved and will be sent soon.',
    SENT: 'Your payment has been sent. Collect it with your CNIC.',
    PAID: 'Your payment has been completed.',
  },
  next: {
    ELIGIBLE: STATUS_EN,
    NOT_ELIGIBLE: `If this is wrong, send APPEAL <CNIC> <reason>.`,
    PENDING_VERIFICATION: `Visit your tehsil registration desk or complete the web form. ${STATUS_EN}`,
    DUPLICATE: STATUS_EN,
    IDENTITY_MISMATCH: `Visit your tehsil registration desk with your CNIC. ${APPEAL_EN}`,
    INVALID_REQUEST: 'To register, send your 13-digit CNIC. For help, send HELP.',
    NO_ACTIVE_CAMPAIGN: 'Please try again when a programme is announced.',
    CAMPAIGN_CLOSED: STATUS_EN,
    RATE_LIMITED: 'Please try again later.',
    WAITLISTED: `We will SMS you if funds are added. ${STATUS_EN}`,
    HELP: `${STATUS_EN} ${APPEAL_EN}`,
  },
  forwarded:
    "Your message was received. The answer is sent by SMS to the household's registered phone numbers.",
  askInPerson:
    'Your message was received. No phone is registered for this household: for the answer, visit your tehsil registration desk with the CNIC.',
};

const urduOutcome = (status: ReplyStatus, { amount, campaign }: OutcomeFacts): string => {
  const inCampaign = campaign === undefined ? '' : `${campaign} میں `;
  switch (status) {
    case 'ELIGIBLE':
      return `آپ ${inCampaign}${amount === undefined ? '' : `${amount} کے `}اہل ہیں۔`;
    case 'NOT_ELIGIBLE':
      return `آپ ${inCampaign}اہل نہیں۔`;
    case 'PENDING_VERIFICATION':
      return 'آپ کی تصدیق ابھی نہیں ہوئی۔';
    case 'DUPLICATE':
      return `آپ ${inCampaign}پہلے سے رجسٹر ہیں۔`;
    case 'IDENTITY_MISMATCH':
      return 'شناخت کی تصدیق نہیں ہوئی۔';
    case 'INVALID_REQUEST':
      return 'پیغام پر عمل نہیں ہو سکا۔';
    case 'NO_ACTIVE_CAMPAIGN':
      return 'ابھی کوئی امدادی پروگرام کھلا نہیں۔';
    case 'CAMPAIGN_CLOSED':
      return `${inCampaign}رجسٹریشن بند ہے۔`;
    case 'RATE_LIMITED':
      return 'پیغام پر عمل نہیں ہوا۔';
    case 'WAITLISTED':
      return `آپ ${inCampaign}اہل ہیں مگر رقم ختم ہو گئی۔ آپ انتظار فہرست میں ہیں۔`;
    case 'HELP':
      return 'رجسٹر کیلئے 13 ہندسی شناختی کارڈ نمبر بھیجیں۔';
  }
};

const STATUS_UR = 'معلومات کیلئے حالت <شناختی نمبر> بھیجیں۔';
const APPEAL_UR = 'شکایت <شناختی نمبر> <وجہ> بھیجیں۔';

export const urduPhrases: ReplyPhrases = {
  // No "Madad:" label in Urdu: the short code already names the sender and the 5 units are needed.
  prefix: '',
  reference: (reference) => `حوالہ ${reference}۔`,
  amount: (grouped) => `${grouped} روپے`,
  outcome: urduOutcome,
  reasons: {
    SCORE_ABOVE_THRESHOLD: 'غربت اسکور حد سے زیادہ ہے۔',
    OUTSIDE_AFFECTED_AREA: 'پتہ متاثرہ علاقے سے باہر ہے۔',
    EXCLUSION_VEHICLE_OWNER: 'ریکارڈ میں گھرانے کی گاڑی ہے۔',
    EXCLUSION_INTL_TRAVEL: 'ریکارڈ میں بیرون ملک سفر ہے۔',
    EXCLUSION_GOVT_EMPLOYEE: 'گھرانے میں سرکاری ملازم ہے۔',
    EXCLUSION_HIGH_PHONE_BILL: 'ریکارڈ میں فون بل زیادہ ہے۔',
    EXCLUSION_EXECUTIVE_ID: 'ریکارڈ میں ایگزیکٹو شناختی کارڈ ہے۔',
    NOT_IN_REGISTRY: 'گھرانہ قومی سروے میں نہیں۔',
    IN_REGISTRY: 'گھرانہ قومی سروے میں ہے۔',
    IDENTITY_UNKNOWN: 'شناختی کارڈ ریکارڈ میں نہیں ملا۔',
    IDENTITY_DECEASED: 'ریکارڈ میں کارڈ والا وفات پا چکا۔',
    IDENTITY_BLOCKED: 'شناختی کارڈ بلاک ہے۔',
    INVALID_CNIC: 'شناختی نمبر 13 ہندسوں کا ہوتا ہے۔',
    UNRECOGNISED_MESSAGE: 'پیغام سمجھ نہیں آیا۔',
    ALREADY_ENROLLED: 'آپ پہلے سے شامل ہیں۔',
    PHONE_RATE_LIMITED: 'اس فون سے بہت پیغامات آئے۔',
    CNIC_PHONES_LIMITED: 'یہ کارڈ بہت فونز سے آیا۔ عملہ جائزہ لے گا۔',
  },
  otherExclusion: 'ریکارڈ کے مطابق آپ شرائط پر پورے نہیں۔',
  payment: {
    APPROVED: 'ادائیگی منظور ہو گئی۔',
    SENT: 'ادائیگی بھیج دی گئی۔',
    PAID: 'ادائیگی ہو چکی۔',
  },
  next: {
    ELIGIBLE: STATUS_UR,
    NOT_ELIGIBLE: `اعتراض ہو تو ${APPEAL_UR}`,
    PENDING_VERIFICATION: 'تحصیل ڈیسک جائیں یا ویب فارم پُر کریں۔',
    DUPLICATE: STATUS_UR,
    IDENTITY_MISMATCH: `تحصیل ڈیسک جائیں یا ${APPEAL_UR}`,
    INVALID_REQUEST: 'رجسٹر کیلئے شناختی نمبر بھیجیں۔',
    NO_ACTIVE_CAMPAIGN: 'پروگرام کے اعلان پر دوبارہ بھیجیں۔',
    CAMPAIGN_CLOSED: STATUS_UR,
    RATE_LIMITED: 'کچھ دیر بعد بھیجیں۔',
    WAITLISTED: 'رقم آنے پر ایس ایم ایس ملے گا۔',
    HELP: `${STATUS_UR} ${APPEAL_UR}`,
  },
  forwarded: 'آپ کا پیغام مل گیا۔ جواب گھرانے کے رجسٹرڈ نمبروں پر ایس ایم ایس سے جائے گا۔',
  askInPerson:
    'آپ کا پیغام مل گیا۔ گھرانے کا کوئی فون درج نہیں۔ جواب کیلئے شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔',
};
