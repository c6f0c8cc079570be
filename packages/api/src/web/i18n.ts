import type { PageLanguage as Language } from '@madad/core';
import { englishText, type PublicText } from './text-en.js';
import { urduText } from './text-ur.js';

export type { PublicText } from './text-en.js';

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
  | 'RATE_LIMITED'
  | 'WAITLISTED';

export const TEXT: Readonly<Record<Language, PublicText>> = { en: englishText, ur: urduText };

/** Digits grouped in thousands, ASCII digits in both languages (as on Pakistani bank SMS). */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
