import {
  type Gazetteer,
  type HouseholdAnswers,
  type PageLanguage as Language,
  prepareWebRegistration,
  type QueuedWebRegistration,
  toAsciiDigits,
  WebRegistrationSchema,
} from '@madad/core';
import { ASSETS, type Asset, TEXT } from './i18n.js';

/** The form exactly as typed, so a page with errors can show it again. */
export interface RegistrationValues {
  readonly cnic: string;
  readonly phone: string;
  readonly district: string;
  readonly tehsil: string;
  readonly size: string;
  readonly children: string;
  readonly assets: readonly Asset[];
}

export type RegistrationField = 'cnic' | 'phone' | 'district' | 'tehsil' | 'size' | 'children';
export type RegistrationErrors = Partial<Record<RegistrationField, string>>;

export const EMPTY_REGISTRATION: RegistrationValues = {
  cnic: '',
  phone: '',
  district: '',
  tehsil: '',
  size: '',
  children: '',
  assets: [],
};

type FormBody = Record<string, string | File | (string | File)[]>;

function text(body: FormBody, name: string, max = 200): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

/** Reads the posted form (`parseBody({ all: true })`), keeping only what the form has. */
export function readRegistrationForm(body: FormBody): RegistrationValues {
  const raw = body.assets;
  const assets = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (a): a is Asset => typeof a === 'string' && (ASSETS as readonly string[]).includes(a),
  );
  return {
    cnic: text(body, 'cnic'),
    phone: text(body, 'phone'),
    district: text(body, 'district'),
    tehsil: text(body, 'tehsil'),
    size: text(body, 'size', 10),
    children: text(body, 'children', 10),
    assets: [...new Set(assets)],
  };
}

function count(raw: string, min: number, max: number): number | undefined {
  const digits = toAsciiDigits(raw).trim();
  if (!/^\d{1,3}$/.test(digits)) return undefined;
  const value = Number(digits);
  return value >= min && value <= max ? value : undefined;
}

/** The questionnaire's answers, absent when it was left empty, or an error per field. */
function readHousehold(
  values: RegistrationValues,
  lang: Language,
): { answers?: HouseholdAnswers; errors: RegistrationErrors } {
  if (!values.size.trim() && !values.children.trim() && values.assets.length === 0) return { errors: {} };
  const t = TEXT[lang].errors;
  const size = count(values.size, 1, 40);
  const children = values.children.trim() ? count(values.children, 0, 30) : 0;
  const errors: RegistrationErrors = {
    ...(size === undefined ? { size: t.size } : {}),
    ...(children === undefined ? { children: t.children } : {}),
  };
  if (size === undefined || children === undefined) return { errors };
  const assets = values.assets.includes('none') ? [] : [...values.assets];
  return { answers: { size, children, assets }, errors };
}

/**
 * Validates the form with the same core functions as `POST /api/v1/registrations` (areas checked
 * against `areas`, the gazetteer in force), and words each error for the person's language next to
 * its own field.
 */
export function validateRegistration(
  values: RegistrationValues,
  lang: Language,
  now: Date,
  areas: Gazetteer,
): { ok: true; message: QueuedWebRegistration } | { ok: false; errors: RegistrationErrors } {
  const t = TEXT[lang].errors;
  const household = readHousehold(values, lang);
  const input = {
    cnic: values.cnic,
    phone: values.phone,
    district: values.district,
    tehsil: values.tehsil,
    lang,
    ...(household.answers ? { household: household.answers } : {}),
  };
  const wording: Record<'cnic' | 'phone' | 'district' | 'tehsil', string> = {
    cnic: values.cnic.trim() ? t.cnic : t.cnicMissing,
    phone: values.phone.trim() ? t.phone : t.phoneMissing,
    district: t.district,
    tehsil: t.tehsil,
  };
  const errors: RegistrationErrors = { ...household.errors };
  const note = (field: string) => {
    if (field in wording) errors[field as keyof typeof wording] = wording[field as keyof typeof wording];
  };
  // Both checks run, so that every field's problem shows at once, not one round trip per field.
  const parsed = WebRegistrationSchema.safeParse(input);
  if (!parsed.success) for (const issue of parsed.error.issues) note(String(issue.path[0]));
  const prepared = prepareWebRegistration(parsed.success ? parsed.data : input, now, areas);
  if (!prepared.ok) for (const field of Object.keys(prepared.errors)) note(field);
  if (prepared.ok && parsed.success && Object.keys(errors).length === 0) return prepared;
  return { ok: false, errors };
}
