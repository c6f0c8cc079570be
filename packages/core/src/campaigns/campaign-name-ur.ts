import * as z from 'zod';

/**
 * At most this many characters (UTF-16 code units, as UCS-2 counts them): measured, not guessed. The
 * longest Urdu reply that names the campaign (eligible, no payment yet: about 118 units with a 9-letter
 * reference and an amount under Rs 100,000) keeps a name this long within two UCS-2 segments (134
 * units); a longer one would be dropped from it. The campaign-name-ur test renders every such reply
 * with a name this long and fails when the texts and this limit disagree.
 */
export const CAMPAIGN_NAME_UR_MAX = 16;

/** Letters of the Arabic script blocks Urdu is written in (base, supplement, presentation forms). */
const URDU_LETTER = /[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;

/**
 * The campaign's name as an Urdu reply and the Urdu pages show it: Urdu script, short enough for an
 * SMS. Latin letters are refused, not only Latin-only names: inside a right-to-left reply they flip
 * the reading order on many handsets. Digits (ASCII or Urdu) and punctuation are fine.
 */
export const CampaignNameUrSchema = z
  .string({ error: 'nameUr is required: the campaign name in Urdu script, e.g. سیلاب ۲۰۲۶' })
  .trim()
  .min(2, 'nameUr needs at least 2 characters')
  .max(
    CAMPAIGN_NAME_UR_MAX,
    `nameUr may have at most ${CAMPAIGN_NAME_UR_MAX} characters (it goes in the SMS)`,
  )
  .refine((name) => URDU_LETTER.test(name) && !LATIN_LETTER.test(name), {
    message: 'nameUr must be written in Urdu script, without Latin letters, e.g. سیلاب ۲۰۲۶',
  })
  .describe(
    `The campaign's name in Urdu script (no Latin letters), at most ${CAMPAIGN_NAME_UR_MAX} characters: Urdu replies and pages show it`,
  );
