import { countSegments } from '../intake/segments.js';
import type { Language } from '../schemas.js';
import { MAX_REPLY_SEGMENTS } from './render.js';

/**
 * The facts of one invitation: the year of the household's survey and its tehsil (registry spelling,
 * and its Urdu name from the gazetteer in force, for Urdu-script texts).
 */
export interface UpdateInvitationFacts {
  readonly surveyYear?: string;
  readonly tehsil?: string;
  readonly tehsilUr?: string;
}

type Words = (f: { readonly year?: string; readonly tehsil?: string }) => string;

/**
 * An invitation to confirm or correct a household's registry data, in each language: the change
 * reaches the registry through the change-request path (a desk officer files it, another approves).
 * It names the sender, the survey's year and the household's own tehsil desk, never a placeholder.
 */
const WORDS: Readonly<Record<Language, Words>> = {
  en: ({ year, tehsil }) =>
    `Madad: Your family's details are from ${year ? `the ${year} survey` : 'an old survey'}. ` +
    'To confirm or correct them (phone, address, a birth or a death), visit ' +
    `${tehsil ? `the Madad desk in ${tehsil} tehsil` : "your tehsil's Madad desk"} with your CNIC. It is free.`,
  'ur-Latn': ({ year, tehsil }) =>
    `Madad: Aap ke ghar ki maloomat ${year ? `${year} ke survey` : 'purane survey'} ki hain. ` +
    'Tasdeeq ya durusti (phone, pata, paidaish ya wafat) ke liye apna CNIC le kar ' +
    `${tehsil ? `${tehsil} tehsil` : 'apni tehsil'} ke Madad desk par aayen. Yeh muft hai.`,
  ur: ({ year, tehsil }) =>
    `مدد: آپ کے گھر کی معلومات ${year ? `${year} کے سروے` : 'پرانے سروے'} کی ہیں۔ ` +
    'تصدیق یا درستی کے لیے شناختی کارڈ لے کر ' +
    `${tehsil ? `تحصیل ${tehsil}` : 'اپنی تحصیل'} کے مدد ڈیسک آئیں۔ مفت ہے۔`,
};

/**
 * The invitation in `lang`, at most two SMS parts: the tehsil's name is left out (whole) when it
 * would not fit, and an Urdu text names the tehsil only in Urdu script (a Latin name is never put in one).
 */
export function renderUpdateInvitation(lang: Language, facts: UpdateInvitationFacts): string {
  const year = facts.surveyYear && /^\d{4}$/.test(facts.surveyYear) ? facts.surveyYear : undefined;
  const tehsil = lang === 'ur' ? urduName(facts.tehsilUr) : cleanName(facts.tehsil);
  const full = WORDS[lang]({ ...(year ? { year } : {}), ...(tehsil ? { tehsil } : {}) });
  if (countSegments(full).segments <= MAX_REPLY_SEGMENTS) return full;
  return WORDS[lang](year ? { year } : {});
}

/** An Urdu name in Urdu script only (letters, spaces, the zero-width non-joiner), else none. */
function urduName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  return trimmed && /^[\u0600-\u06FF\u0750-\u077F\u200C ]{1,40}$/.test(trimmed) ? trimmed : undefined;
}

/** A registry spelling fit for GSM-7: Latin letters, spaces and dashes only, else none. */
function cleanName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  return trimmed && /^[A-Za-z][A-Za-z .'-]{0,39}$/.test(trimmed) ? trimmed : undefined;
}
