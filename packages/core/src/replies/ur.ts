import type { ReasonCode } from '../eligibility/decision.js';
import { EXAMPLE_CNIC } from './en.js';
import type { AppealStage, PaymentStage, ReplyFacts, ReplyStatus, ReplyTexts } from './types.js';

/*
 * Urdu script is UCS-2: 70 code units in one SMS part, 134 in two, so every sentence is terse.
 * Numbers stay in ASCII digits (as on Pakistani bank SMS) and follow "پر" so that a short code and
 * a CNIC never stand side by side in right-to-left text. The campaign's name is its Urdu name only.
 */

const inCampaign = (f: ReplyFacts) => (f.campaign === undefined ? '' : ` ${f.campaign} میں`);
const forCampaign = (f: ReplyFacts) => (f.campaign === undefined ? '' : ` ${f.campaign} کیلئے`);
const withCnic = (keyword: string, f: ReplyFacts) =>
  f.cnic === undefined ? `${keyword} اور اپنا شناختی نمبر` : `${keyword} ${f.cnic}`;
const check = (f: ReplyFacts) => `حالت کیلئے ${f.shortCode} پر ${withCnic('حالت', f)} بھیجیں۔`;
const OWN_PHONE = 'اپنے گھر کے فون سے رجسٹر کریں یا شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔';

function outcome(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string {
  switch (status) {
    case 'ELIGIBLE':
      if (f.topUp) {
        const from = f.campaign === undefined ? '' : ` ${f.campaign} سے`;
        return f.amount === undefined
          ? `آپ کو${from} اضافی رقم ملے گی۔`
          : `${from.trim() === '' ? 'آپ کو' : from.trim()} ${f.amount} اضافی ملیں گے۔`;
      }
      return `آپ${inCampaign(f)} ${f.amount === undefined ? '' : `${f.amount} کے `}اہل ہیں۔`;
    case 'NOT_ELIGIBLE':
      return `آپ${forCampaign(f)} اہل نہیں۔`;
    case 'PENDING_VERIFICATION':
      return `آپ کی درخواست${inCampaign(f)} مل گئی، تصدیق جاری ہے۔`;
    case 'DUPLICATE':
      return `آپ${inCampaign(f)} پہلے سے رجسٹر ہیں، دوبارہ نہ بھیجیں۔`;
    case 'NOT_REGISTERED':
      return `آپ کا گھرانہ ریکارڈ میں ہے مگر${inCampaign(f)} ابھی رجسٹر نہیں ہوا۔`;
    case 'IDENTITY_MISMATCH':
      return 'آپ کے شناختی کارڈ کی تصدیق نہیں ہو سکی۔';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `شناختی نمبر 13 ہندسوں کا ہوتا ہے، جیسے ${EXAMPLE_CNIC}۔`
        : 'پیغام سمجھ نہیں آیا۔';
    case 'NO_ACTIVE_CAMPAIGN':
      return 'ابھی آپ کے علاقے کیلئے کوئی امدادی پروگرام کھلا نہیں۔';
    case 'CAMPAIGN_CLOSED':
      return `${f.campaign ?? 'اس پروگرام'} میں رجسٹریشن بند ہو چکی ہے۔`;
    case 'RATE_LIMITED':
      if (reasons.includes('CNIC_PHONES_LIMITED'))
        return 'یہ شناختی کارڈ بہت سے فونز سے بھیجا گیا، عملہ جائزہ لے گا۔';
      return reasons.includes('PHONE_RATE_LIMITED') ? 'اس فون سے بہت پیغامات آئے۔' : 'پیغام پر عمل نہیں ہوا۔';
    case 'WAITLISTED':
      return `آپ${forCampaign(f)} اہل ہیں مگر رقم ختم ہو گئی۔ آپ انتظار فہرست میں ہیں۔`;
    case 'HELP':
      return `رجسٹر کیلئے ${f.shortCode} پر اپنا 13 ہندسوں کا شناختی نمبر بھیجیں۔`;
  }
}

const MONEY: Readonly<Record<PaymentStage | 'NONE', string>> = {
  NONE: 'رقم بھیجنے پر پیغام آئے گا، اصل شناختی کارڈ دکھا کر بینک سے لیں۔',
  IN_BATCH: 'ادائیگی تیار ہو رہی ہے، بھیجنے پر پیغام آئے گا۔',
  APPROVED: 'ادائیگی منظور ہو گئی، جلد بھیجی جائے گی۔',
  SENT: 'رقم بھیج دی گئی، اصل شناختی کارڈ دکھا کر بینک سے لیں۔',
  PAID: 'آپ کو رقم ادا ہو چکی ہے۔',
  FAILED: 'ادائیگی نہیں ہو سکی، اصل شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔',
  RETRYING: 'ادائیگی ناکام ہوئی تھی، دوبارہ بھیجی جا رہی ہے۔',
};

function next(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string | undefined {
  switch (status) {
    case 'ELIGIBLE':
    case 'DUPLICATE':
      return check(f);
    case 'NOT_ELIGIBLE':
      return `غلط ہو تو ${f.shortCode} پر ${withCnic('شکایت', f)} اور وجہ بھیجیں۔`;
    case 'PENDING_VERIFICATION':
      return `نتیجہ پیغام سے آئے گا۔ ${check(f)}`;
    case 'NOT_REGISTERED':
      return `رجسٹر کیلئے ${f.shortCode} پر ${f.cnic ?? 'اپنا شناختی نمبر'} بھیجیں۔`;
    case 'IDENTITY_MISMATCH':
      return 'اصل شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `دوبارہ ${f.shortCode} پر بھیجیں۔`
        : `رجسٹر کیلئے ${f.shortCode} پر شناختی نمبر بھیجیں، جیسے ${EXAMPLE_CNIC}۔`;
    case 'NO_ACTIVE_CAMPAIGN':
      return 'پروگرام کے اعلان پر دوبارہ بھیجیں۔';
    case 'CAMPAIGN_CLOSED':
      return `پرانی درخواست کیلئے ${f.shortCode} پر ${withCnic('حالت', f)} بھیجیں۔`;
    case 'RATE_LIMITED':
      return OWN_PHONE;
    case 'WAITLISTED':
      return 'رقم آنے پر پیغام آئے گا۔';
    case 'HELP':
      return `حالت کیلئے حالت اور شناختی نمبر بھیجیں، جیسے حالت ${EXAMPLE_CNIC}۔`;
  }
}

function appeal(stage: AppealStage, f: ReplyFacts): string {
  const ref = f.reference === undefined ? '' : ` ${f.reference}`;
  switch (stage) {
    case 'RECEIVED':
      return `آپ کی شکایت${ref} درج ہو گئی۔ جائزے کے بعد نتیجہ پیغام سے آئے گا۔`;
    case 'UPHELD':
      return `شکایت${ref} کا جائزہ ہو گیا، پہلا فیصلہ برقرار ہے۔ مدد کیلئے تحصیل ڈیسک جائیں۔`;
    case 'OVERTURNED':
      return `شکایت${ref} منظور، فیصلہ آپ کے حق میں بدل گیا۔ ${check(f)}`;
  }
}

export const urduTexts: ReplyTexts = {
  prefix: 'مدد: ',
  amount: (grouped) => `${grouped} روپے`,
  reference: (reference) => `حوالہ ${reference}۔`,
  outcome,
  reasons: {
    SCORE_ABOVE_THRESHOLD: 'سروے کے مطابق گھرانہ غربت کی حد سے اوپر ہے۔',
    OUTSIDE_AFFECTED_AREA: 'پتہ متاثرہ علاقے سے باہر ہے۔',
    EXCLUSION_VEHICLE_OWNER: 'ریکارڈ میں گھرانے کی گاڑی ہے۔',
    EXCLUSION_INTL_TRAVEL: 'ریکارڈ میں بیرون ملک سفر ہے۔',
    EXCLUSION_GOVT_EMPLOYEE: 'گھرانے میں سرکاری ملازم ہے۔',
    EXCLUSION_HIGH_PHONE_BILL: 'ریکارڈ میں فون بل زیادہ ہے۔',
    EXCLUSION_EXECUTIVE_ID: 'ریکارڈ میں ایگزیکٹو شناختی کارڈ ہے۔',
    NOT_IN_REGISTRY: 'گھرانہ ابھی ہمارے ریکارڈ میں نہیں۔',
    IDENTITY_UNKNOWN: 'یہ شناختی کارڈ نادرا ریکارڈ میں نہیں ملا۔',
    IDENTITY_DECEASED: 'نادرا ریکارڈ میں کارڈ والا وفات پا چکا۔',
    IDENTITY_BLOCKED: 'یہ شناختی کارڈ نادرا میں بلاک ہے۔',
  },
  otherExclusion: 'ریکارڈ کے مطابق آپ شرائط پر پورے نہیں۔',
  money: (stage) => MONEY[stage ?? 'NONE'],
  next,
  appeal,
  forwarded: 'آپ کا پیغام مل گیا۔ جواب گھرانے کے رجسٹرڈ نمبروں پر پیغام سے جائے گا۔',
  askInPerson: 'پیغام مل گیا۔ گھرانے کا کوئی فون درج نہیں، جواب کیلئے شناختی کارڈ کے ساتھ تحصیل ڈیسک جائیں۔',
};
