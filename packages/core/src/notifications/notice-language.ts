import type { Language } from '../schemas.js';
import type { PhoneLanguages } from './ports.js';

/**
 * The language of a household that never wrote: Urdu script, which every reader of Urdu reads (most
 * vertical-expansion households have never sent an SMS to the short code).
 */
export const DEFAULT_NOTICE_LANGUAGE: Language = 'ur';

/**
 * Each phone's language for a notice: the one it last wrote in, else `fallback` (the language of the
 * registration that gave the phone, when there was one), else Urdu script.
 */
export async function noticeLanguages(
  port: PhoneLanguages | undefined,
  phones: readonly { phone: string; fallback?: Language }[],
): Promise<Map<string, Language>> {
  const unique = [...new Set(phones.map((p) => p.phone))];
  const written = port && unique.length > 0 ? await port.lastLanguages(unique) : new Map<string, Language>();
  return new Map(
    phones.map((p) => [p.phone, written.get(p.phone) ?? p.fallback ?? DEFAULT_NOTICE_LANGUAGE] as const),
  );
}
