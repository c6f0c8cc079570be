import type { ReasonCode } from '../eligibility/decision.js';
import { EXAMPLE_CNIC } from './en.js';
import type { AppealStage, PaymentStage, ReplyFacts, ReplyStatus, ReplyTexts } from './types.js';

/*
 * Roman Urdu, as BISP's 8171 writes it ("Aap is program ke liye eligible hain"): everyday words,
 * English where people use English (CNIC, SMS, bank agent), the keywords the grammar reads (HALAT,
 * SHIKAYAT). GSM-7 only.
 */

const inCampaign = (f: ReplyFacts) => (f.campaign === undefined ? '' : ` ${f.campaign} mein`);
const forCampaign = (f: ReplyFacts) => (f.campaign === undefined ? '' : ` ${f.campaign} ke liye`);
const withCnic = (keyword: string, f: ReplyFacts) =>
  f.cnic === undefined ? `${keyword} aur apna CNIC` : `${keyword} ${f.cnic}`;
const check = (f: ReplyFacts) => `Halat ke liye ${f.shortCode} par ${withCnic('HALAT', f)} bhejein.`;
const OWN_PHONE = 'Apne ghar ke phone se register karein, ya CNIC ke saath tehsil desk jayein.';

function outcome(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string {
  switch (status) {
    case 'ELIGIBLE':
      if (f.topUp) {
        const from = f.campaign === undefined ? '' : ` ${f.campaign} se`;
        return f.amount === undefined
          ? `Aap ke ghar ko${from} izafi raqam milegi.`
          : `Aap ke ghar ko${from} ${f.amount} izafi milenge.`;
      }
      return `Aap${inCampaign(f)} ${f.amount === undefined ? '' : `${f.amount} ke liye `}eligible hain.`;
    case 'NOT_ELIGIBLE':
      return `Aap${forCampaign(f)} eligible nahi.`;
    case 'PENDING_VERIFICATION':
      return `Aap ki darkhwast${inCampaign(f)} mil gayi hai, tasdeeq ho rahi hai.`;
    case 'DUPLICATE':
      return `Aap${inCampaign(f)} pehle se register hain, dobara na bhejein.`;
    case 'NOT_REGISTERED':
      return `Aap ka ghar record mein hai magar${inCampaign(f)} abhi register nahi hua.`;
    case 'IDENTITY_MISMATCH':
      return 'Aap ke CNIC ki tasdeeq nahi ho saki.';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `CNIC 13 hindson ka hota hai, jaise ${EXAMPLE_CNIC}.`
        : 'Aap ka paigham samajh nahi aya.';
    case 'NO_ACTIVE_CAMPAIGN':
      return 'Abhi aap ke ilaqe ke liye koi imdadi program khula nahi.';
    case 'CAMPAIGN_CLOSED':
      return `${f.campaign === undefined ? 'Is program' : f.campaign} mein registration band ho chuki hai.`;
    case 'RATE_LIMITED':
      if (reasons.includes('CNIC_PHONES_LIMITED'))
        return 'Yeh CNIC bohat se phones se bheja gaya, amla jaiza lega.';
      return reasons.includes('PHONE_RATE_LIMITED')
        ? 'Is phone se bohat paigham aaye hain.'
        : 'Aap ka paigham process nahi hua.';
    case 'WAITLISTED':
      return `Aap${forCampaign(f)} eligible hain magar abhi funds khatam hain. Aap intezar list mein hain.`;
    case 'HELP':
      return `Register ke liye apna 13 hindson ka CNIC ${f.shortCode} par bhejein.`;
  }
}

const MONEY: Readonly<Record<PaymentStage | 'NONE', string>> = {
  NONE: 'Raqam kuch dinon mein bheji jayegi, SMS ayega. Asal CNIC ke saath bank agent se wusool karein.',
  IN_BATCH: 'Aap ki adaigi tayyar ho rahi hai, bhejne par SMS ayega. Asal CNIC ke saath wusool karein.',
  APPROVED:
    'Aap ki adaigi manzoor ho gayi, jald bheji jayegi. Asal CNIC ke saath bank agent se wusool karein.',
  SENT: 'Raqam bhej di gayi hai: asal CNIC ke saath bank agent se wusool karein.',
  PAID: 'Aap ko raqam ada ho chuki hai.',
  FAILED: 'Adaigi nahi ho saki. Asal CNIC ke saath tehsil desk jayein.',
  RETRYING: 'Adaigi nakam hui thi, dobara bheji ja rahi hai. Bhejne par SMS ayega.',
};

function next(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string | undefined {
  switch (status) {
    case 'ELIGIBLE':
    case 'DUPLICATE':
      return check(f);
    case 'NOT_ELIGIBLE':
      return `Ghalat ho to ${f.shortCode} par ${withCnic('SHIKAYAT', f)} aur wajah bhejein.`;
    case 'PENDING_VERIFICATION':
      return `Nateeja SMS se ayega. ${check(f)}`;
    case 'NOT_REGISTERED':
      return `Register ke liye ${f.shortCode} par ${f.cnic ?? 'apna 13 hindson ka CNIC'} bhejein.`;
    case 'IDENTITY_MISMATCH':
      return 'Asal CNIC ke saath tehsil desk jayein.';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `Dobara ${f.shortCode} par bhejein.`
        : `Register ke liye apna 13 hindson ka CNIC ${f.shortCode} par bhejein, jaise ${EXAMPLE_CNIC}. Madad ke liye HELP bhejein.`;
    case 'NO_ACTIVE_CAMPAIGN':
      return 'Program ke elaan par apna CNIC dobara bhejein.';
    case 'CAMPAIGN_CLOSED':
      return `Pehli darkhwast ki halat ke liye ${f.shortCode} par ${withCnic('HALAT', f)} bhejein.`;
    case 'RATE_LIMITED':
      return OWN_PHONE;
    case 'WAITLISTED':
      return `Funds aane par SMS ayega. ${check(f)}`;
    case 'HELP':
      return `Halat ke liye HALAT aur CNIC bhejein, jaise HALAT ${EXAMPLE_CNIC}. Shikayat ke liye SHIKAYAT, CNIC aur wajah.`;
  }
}

function appeal(stage: AppealStage, f: ReplyFacts): string {
  const ref = f.reference === undefined ? '' : ` ${f.reference}`;
  switch (stage) {
    case 'RECEIVED':
      return `Aap ki shikayat${ref} darj ho gayi. Jaize ke baad nateeja SMS se ayega.`;
    case 'UPHELD':
      return `Shikayat${ref} ka jaiza ho gaya: pehla faisla barqarar hai. Madad ke liye asal CNIC ke saath tehsil desk jayein.`;
    case 'OVERTURNED':
      return `Shikayat${ref} manzoor: faisla aap ke haq mein badal gaya. ${check(f)}`;
  }
}

export const romanUrduTexts: ReplyTexts = {
  prefix: 'Madad: ',
  amount: (grouped) => `Rs ${grouped}`,
  reference: (reference) => `Hawala ${reference}.`,
  outcome,
  reasons: {
    SCORE_ABOVE_THRESHOLD: 'Survey mein ghar ghurbat ki had se upar hai.',
    OUTSIDE_AFFECTED_AREA: 'Registered pata mutasira ilaqe se bahar hai.',
    EXCLUSION_VEHICLE_OWNER: 'Record mein ghar ki gari hai.',
    EXCLUSION_INTL_TRAVEL: 'Record mein ghar se bairoon-e-mulk safar hai.',
    EXCLUSION_GOVT_EMPLOYEE: 'Record mein ghar mein sarkari mulazim hai.',
    EXCLUSION_HIGH_PHONE_BILL: 'Record mein ghar ka phone bill zyada hai.',
    EXCLUSION_EXECUTIVE_ID: 'Record mein ghar ka executive CNIC hai.',
    NOT_IN_REGISTRY: 'Aap ka ghar abhi hamare record mein nahi.',
    IDENTITY_UNKNOWN: 'Yeh CNIC NADRA record mein nahi mila.',
    IDENTITY_DECEASED: 'NADRA record mein yeh CNIC wafat shuda ka hai.',
    IDENTITY_BLOCKED: 'Yeh CNIC NADRA record mein block hai.',
  },
  otherExclusion: 'Record ke mutabiq ghar sharait par poora nahi.',
  money: (stage) => MONEY[stage ?? 'NONE'],
  next,
  appeal,
  forwarded: 'Aap ka paigham mil gaya. Jawab ghar ke registered phone numbers par SMS se jayega.',
  askInPerson:
    'Aap ka paigham mil gaya. Is ghar ka koi phone darj nahi: jawab ke liye CNIC ke saath tehsil desk jayein.',
};
