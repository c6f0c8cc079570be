import type { Language } from '@madad/core';

/** The public pages speak English or Urdu; `?lang=ur` (or the form's hidden field) picks Urdu. */
export function langOf(raw: string | undefined): Language {
  return raw === 'ur' ? 'ur' : 'en';
}

export const ASSETS = ['none', 'livestock', 'land', 'motorcycle', 'car', 'tractor', 'shop'] as const;
export type Asset = (typeof ASSETS)[number];

/** What a person sees about their registration, in plain words: a headline and the next step. */
export type PublicStatusWord =
  | 'QUEUED'
  | 'RECEIVED'
  | 'ELIGIBLE'
  | 'NOT_ELIGIBLE'
  | 'PENDING_VERIFICATION'
  | 'DUPLICATE'
  | 'IDENTITY_MISMATCH'
  | 'INVALID_REQUEST'
  | 'NO_ACTIVE_CAMPAIGN'
  | 'CAMPAIGN_CLOSED'
  | 'RATE_LIMITED';

const en = {
  site: 'Madad',
  tagline: 'Emergency cash support',
  switchTo: { label: 'اردو', lang: 'ur' as Language },
  nav: { register: 'Register', status: 'Check status' },
  footer: 'No phone with internet? Send your CNIC by SMS to 8171. For help, send HELP.',
  register: {
    title: 'Register for emergency support',
    intro:
      'Use your own CNIC and a mobile number that receives SMS. You can also register by sending your CNIC by SMS to 8171.',
    cnic: 'CNIC number',
    cnicHint: '13 digits, like 35202-1234567-1',
    phone: 'Mobile number',
    phoneHint: 'Like 0300 1234567. We send the answer here.',
    district: 'District',
    tehsil: 'Tehsil',
    tehsilHint: 'Tehsils are listed under their district.',
    choose: 'Choose…',
    household: 'About your household (optional)',
    householdHint: 'Only needed if your family is not in the national survey (NSER). It helps staff review your case.',
    size: 'People in the household',
    children: 'Children under 18',
    assets: 'The household owns',
    asset: {
      none: 'None of these',
      livestock: 'Livestock',
      land: 'Land',
      motorcycle: 'Motorcycle',
      car: 'Car',
      tractor: 'Tractor',
      shop: 'Shop or business',
    } satisfies Record<Asset, string>,
    submit: 'Register',
  },
  errors: {
    summary: 'Please correct the fields marked below. What you typed is kept.',
    cnicMissing: 'Enter your CNIC.',
    cnic: 'A CNIC has 13 digits, like 35202-1234567-1.',
    phoneMissing: 'Enter your mobile number.',
    phone: 'Enter a mobile number like 0300 1234567.',
    district: 'Choose your district from the list.',
    tehsil: 'Choose a tehsil of your district.',
    size: 'Enter the number of people, from 1 to 40.',
    children: 'Enter the number of children, from 0 to 30.',
    reference: 'A reference starts with W and has 8 letters and digits, like W7K2M9QX.',
    rateLimited: (minutes: number) =>
      `Too many attempts from this connection or phone. Nothing you typed is lost: wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and press the button again.`,
  },
  done: {
    title: 'Registration received',
    yourReference: 'Your reference',
    keep: 'Write this reference down. We will check your household and send the decision by SMS to the mobile number you gave.',
    howToCheck:
      'To check your status, open the status page with this reference, or send STATUS and your CNIC by SMS to 8171.',
    checkNow: 'Check status',
    another: 'Register someone else',
  },
  status: {
    title: 'Check your status',
    byReference: 'With your reference',
    reference: 'Reference',
    referenceHint: 'Starts with W, like W7K2M9QX',
    byCnic: 'Or with your CNIC and mobile number',
    check: 'Check',
    notFound:
      'We found no registration for that CNIC and mobile number. Use the mobile number you registered with.',
    amount: 'Amount',
    sms: 'The SMS we sent you',
    decidedAt: 'Decided on',
    words: {
      QUEUED: ['Received, waiting to be checked', 'Checking usually takes a few minutes. Look again later; we will also send an SMS.'],
      RECEIVED: ['Received, being checked', 'Look again in a few minutes; we will also send an SMS.'],
      ELIGIBLE: ['You are eligible', 'You will get an SMS when your payment is sent. Collect it with your original CNIC.'],
      NOT_ELIGIBLE: ['You are not eligible', 'If you think this is wrong, send APPEAL, your CNIC and the reason by SMS to 8171, or visit your tehsil registration desk.'],
      PENDING_VERIFICATION: ['Waiting for verification', 'Your household is not in the national survey yet. Staff will review your answers; you may be asked to visit your tehsil registration desk.'],
      DUPLICATE: ['Already registered', 'You do not need to register again: your first registration stands.'],
      IDENTITY_MISMATCH: ['Your CNIC could not be verified', 'Visit your tehsil registration desk with your original CNIC.'],
      INVALID_REQUEST: ['Your registration could not be processed', 'Please register again and check the CNIC.'],
      NO_ACTIVE_CAMPAIGN: ['No relief programme is open now', 'Register again when a programme for your area is announced.'],
      CAMPAIGN_CLOSED: ['Registration is closed', 'This programme no longer accepts registrations.'],
      RATE_LIMITED: ['Not processed: too many registrations from this phone', 'Use your own mobile number, or visit your tehsil registration desk.'],
    } satisfies Record<PublicStatusWord, readonly [string, string]>,
  },
  campaign: {
    title: 'Campaign figures',
    intro: 'Totals only: no names, CNICs or phone numbers are published.',
    open: 'Open for registration',
    closed: 'Closed',
    registered: 'Registered',
    eligible: 'Eligible',
    paid: 'Paid',
    district: 'District',
    tehsil: 'Tehsil',
    total: 'Total',
    households: 'Households paid',
    amountPaid: 'Amount paid (PKR)',
    paidNote: 'Payments are counted for the whole campaign, not yet by district.',
    asOf: 'Figures as of',
    none: 'No registrations counted yet.',
    notFound: 'There is no public campaign with that number.',
  },
};

export type PublicText = typeof en;

const ur: PublicText = {
  site: 'مدد',
  tagline: 'ہنگامی مالی امداد',
  switchTo: { label: 'English', lang: 'en' },
  nav: { register: 'رجسٹریشن', status: 'حالت معلوم کریں' },
  footer: 'انٹرنیٹ والا فون نہیں؟ اپنا شناختی کارڈ نمبر 8171 پر ایس ایم ایس کریں۔ مدد کے لیے "مدد" بھیجیں۔',
  register: {
    title: 'ہنگامی امداد کے لیے رجسٹر کریں',
    intro:
      'اپنا شناختی کارڈ نمبر اور وہ موبائل نمبر لکھیں جس پر ایس ایم ایس ملتا ہے۔ آپ 8171 پر اپنا شناختی کارڈ نمبر بھیج کر بھی رجسٹر ہو سکتے ہیں۔',
    cnic: 'شناختی کارڈ نمبر',
    cnicHint: '13 ہندسے، جیسے 35202-1234567-1',
    phone: 'موبائل نمبر',
    phoneHint: 'جیسے 0300 1234567۔ جواب اسی نمبر پر آئے گا۔',
    district: 'ضلع',
    tehsil: 'تحصیل',
    tehsilHint: 'تحصیلیں اپنے ضلع کے نیچے درج ہیں۔',
    choose: 'منتخب کریں…',
    household: 'آپ کا گھرانہ (اختیاری)',
    householdHint: 'صرف اگر آپ کا خاندان قومی سروے (این ایس ای آر) میں شامل نہیں۔ اس سے عملے کو آپ کا کیس دیکھنے میں مدد ملتی ہے۔',
    size: 'گھر کے افراد کی تعداد',
    children: '18 سال سے کم عمر بچے',
    assets: 'گھرانے کی ملکیت',
    asset: {
      none: 'ان میں سے کچھ نہیں',
      livestock: 'مویشی',
      land: 'زمین',
      motorcycle: 'موٹر سائیکل',
      car: 'گاڑی',
      tractor: 'ٹریکٹر',
      shop: 'دکان یا کاروبار',
    },
    submit: 'رجسٹر کریں',
  },
  errors: {
    summary: 'براہ کرم نیچے نشان زدہ خانے درست کریں۔ آپ کا لکھا محفوظ ہے۔',
    cnicMissing: 'اپنا شناختی کارڈ نمبر لکھیں۔',
    cnic: 'شناختی کارڈ نمبر 13 ہندسوں کا ہوتا ہے، جیسے 35202-1234567-1۔',
    phoneMissing: 'اپنا موبائل نمبر لکھیں۔',
    phone: 'موبائل نمبر اس طرح لکھیں: 0300 1234567۔',
    district: 'فہرست سے اپنا ضلع منتخب کریں۔',
    tehsil: 'اپنے ضلع کی تحصیل منتخب کریں۔',
    size: 'افراد کی تعداد 1 سے 40 تک لکھیں۔',
    children: 'بچوں کی تعداد 0 سے 30 تک لکھیں۔',
    reference: 'حوالہ نمبر W سے شروع ہوتا ہے اور 8 حروف کا ہوتا ہے، جیسے W7K2M9QX۔',
    rateLimited: (minutes: number) =>
      `اس کنکشن یا فون سے بہت زیادہ کوششیں ہوئیں۔ آپ کا لکھا محفوظ ہے: ${minutes} منٹ بعد دوبارہ بٹن دبائیں۔`,
  },
  done: {
    title: 'رجسٹریشن موصول ہو گئی',
    yourReference: 'آپ کا حوالہ نمبر',
    keep: 'یہ حوالہ نمبر لکھ لیں۔ ہم آپ کے گھرانے کی جانچ کر کے فیصلہ آپ کے دیے گئے موبائل نمبر پر ایس ایم ایس کریں گے۔',
    howToCheck: 'حالت جاننے کے لیے یہ حوالہ نمبر حالت کے صفحے پر لکھیں، یا 8171 پر "حالت" اور اپنا شناختی کارڈ نمبر بھیجیں۔',
    checkNow: 'حالت دیکھیں',
    another: 'کسی اور کو رجسٹر کریں',
  },
  status: {
    title: 'اپنی حالت معلوم کریں',
    byReference: 'حوالہ نمبر سے',
    reference: 'حوالہ نمبر',
    referenceHint: 'W سے شروع ہوتا ہے، جیسے W7K2M9QX',
    byCnic: 'یا شناختی کارڈ اور موبائل نمبر سے',
    check: 'دیکھیں',
    notFound: 'اس شناختی کارڈ اور موبائل نمبر سے کوئی رجسٹریشن نہیں ملی۔ وہی موبائل نمبر لکھیں جس سے رجسٹر کیا تھا۔',
    amount: 'رقم',
    sms: 'ہمارا بھیجا گیا ایس ایم ایس',
    decidedAt: 'فیصلے کی تاریخ',
    words: {
      QUEUED: ['موصول، جانچ کا انتظار ہے', 'جانچ میں عموماً چند منٹ لگتے ہیں۔ کچھ دیر بعد دوبارہ دیکھیں؛ ہم ایس ایم ایس بھی بھیجیں گے۔'],
      RECEIVED: ['موصول، جانچ جاری ہے', 'چند منٹ بعد دوبارہ دیکھیں؛ ہم ایس ایم ایس بھی بھیجیں گے۔'],
      ELIGIBLE: ['آپ اہل ہیں', 'ادائیگی بھیجے جانے پر آپ کو ایس ایم ایس ملے گا۔ رقم اپنے اصل شناختی کارڈ کے ساتھ وصول کریں۔'],
      NOT_ELIGIBLE: ['آپ اہل نہیں', 'اگر یہ فیصلہ غلط ہے تو 8171 پر "شکایت"، شناختی کارڈ نمبر اور وجہ بھیجیں، یا تحصیل ڈیسک جائیں۔'],
      PENDING_VERIFICATION: ['تصدیق کا انتظار', 'آپ کا گھرانہ ابھی قومی سروے میں نہیں۔ عملہ آپ کے جوابات دیکھے گا؛ آپ کو تحصیل ڈیسک بلایا جا سکتا ہے۔'],
      DUPLICATE: ['پہلے سے رجسٹرڈ', 'دوبارہ رجسٹر کرنے کی ضرورت نہیں: آپ کی پہلی رجسٹریشن برقرار ہے۔'],
      IDENTITY_MISMATCH: ['شناختی کارڈ کی تصدیق نہیں ہوئی', 'اپنا اصل شناختی کارڈ لے کر تحصیل ڈیسک جائیں۔'],
      INVALID_REQUEST: ['رجسٹریشن پر عمل نہیں ہو سکا', 'براہ کرم شناختی کارڈ نمبر دیکھ کر دوبارہ رجسٹر کریں۔'],
      NO_ACTIVE_CAMPAIGN: ['ابھی کوئی امدادی پروگرام کھلا نہیں', 'آپ کے علاقے کے لیے پروگرام کے اعلان پر دوبارہ رجسٹر کریں۔'],
      CAMPAIGN_CLOSED: ['رجسٹریشن بند ہے', 'یہ پروگرام اب رجسٹریشن قبول نہیں کرتا۔'],
      RATE_LIMITED: ['اس فون سے بہت زیادہ رجسٹریشن', 'اپنا موبائل نمبر استعمال کریں یا تحصیل ڈیسک جائیں۔'],
    },
  },
  campaign: {
    title: 'مہم کے اعداد و شمار',
    intro: 'صرف مجموعی تعداد: کوئی نام، شناختی کارڈ یا فون نمبر شائع نہیں ہوتا۔',
    open: 'رجسٹریشن جاری',
    closed: 'بند',
    registered: 'رجسٹرڈ',
    eligible: 'اہل',
    paid: 'ادا شدہ',
    district: 'ضلع',
    tehsil: 'تحصیل',
    total: 'کل',
    households: 'ادائیگی پانے والے گھرانے',
    amountPaid: 'ادا شدہ رقم (روپے)',
    paidNote: 'ادائیگیاں پوری مہم کے لیے گنی جاتی ہیں، ابھی ضلع وار نہیں۔',
    asOf: 'اعداد و شمار بمطابق',
    none: 'ابھی کوئی رجسٹریشن شمار نہیں ہوئی۔',
    notFound: 'اس نمبر کی کوئی عوامی مہم نہیں۔',
  },
};

export const TEXT: Readonly<Record<Language, PublicText>> = { en, ur };

/** Digits grouped in thousands, ASCII digits in both languages (as on Pakistani bank SMS). */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
