import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Gazetteer } from '../registry/gazetteer/gazetteer.js';
import { HouseholdAnswersSchema, LanguageSchema, type QueuedWebRegistration } from '../schemas.js';
import { normalizeCnic } from './cnic.js';
import { normalizePhone } from './phone.js';

/** `POST /api/v1/registrations`: what the web form (or a registration desk) sends. */
export const WebRegistrationSchema = z.object({
  cnic: z.string().min(1, 'Enter your CNIC').max(40),
  phone: z.string().min(1, 'Enter your mobile number').max(40),
  district: z.string().min(1, 'Choose your district').max(60),
  tehsil: z.string().min(1, 'Choose your tehsil').max(60),
  lang: LanguageSchema.default('en'),
  household: HouseholdAnswersSchema.optional(),
});
export type WebRegistration = z.infer<typeof WebRegistrationSchema>;

export type FieldErrors = Partial<Record<'cnic' | 'phone' | 'district' | 'tehsil' | 'household', string>>;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random web reference (`W` + 7 base32 characters), given back at once so a person can check later. */
export function newWebReference(): string {
  const bytes = randomBytes(7);
  return `W${[...bytes].map((b) => ALPHABET[b % 32]).join('')}`;
}

/**
 * Validates and normalizes a web registration field by field, so the form can show each error next
 * to its field and keep what the person typed. The district and tehsil are checked against `areas`,
 * the gazetteer in force (an imported areas file shows here as on the form).
 */
export function prepareWebRegistration(
  input: WebRegistration,
  now: Date,
  areas: Gazetteer,
  reference = newWebReference(),
): { ok: true; message: QueuedWebRegistration } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const cnic = normalizeCnic(input.cnic);
  if (!cnic.ok) errors.cnic = 'A CNIC has 13 digits, like 35202-1234567-1';
  const phone = normalizePhone(input.phone);
  if (!phone.ok) errors.phone = 'Enter a mobile number like 0300 1234567';
  const area = findArea(areas, input.district, input.tehsil);
  if (!area.district) errors.district = 'Choose your district from the list';
  else if (!area.tehsil) errors.tehsil = 'Choose a tehsil of your district';
  if (!cnic.ok || !phone.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    message: {
      channel: 'web',
      messageId: `web-${reference}`,
      reference,
      cnic: cnic.cnic,
      phone: phone.phone,
      district: area.district ?? input.district,
      tehsil: area.tehsil ?? input.tehsil,
      lang: input.lang,
      ...(input.household ? { household: input.household } : {}),
      acceptedAt: now.toISOString(),
    },
  };
}

/** The district and tehsil as the registry spells them, matched without regard to case. */
export function findArea(
  areas: Gazetteer,
  district: string,
  tehsil: string,
): { district?: string; tehsil?: string } {
  const fold = (x: string) => x.trim().toLowerCase();
  const found = areas.districts.find((d) => fold(d.district) === fold(district));
  if (!found) return {};
  const t = found.tehsils.find((x) => fold(x.name) === fold(tehsil));
  return { district: found.district, ...(t ? { tehsil: t.name } : {}) };
}
