import * as z from 'zod';
import { PersonNameSchema } from './person-name.js';

/** Exclusion filters from administrative data (the 2020 "wealth profiling" filters, and more). */
export const ExclusionFilterSchema = z.enum([
  'VEHICLE_OWNER',
  'INTL_TRAVEL',
  'GOVT_EMPLOYEE',
  'HIGH_PHONE_BILL',
  'EXECUTIVE_ID',
  'TAXPAYER',
  'PENSIONER',
]);
export type ExclusionFilter = z.infer<typeof ExclusionFilterSchema>;

export const MemberSchema = z.object({
  cnic: z.string().min(13).max(20),
  name: PersonNameSchema,
  gender: z.enum(['male', 'female']),
  birthYear: z.number().int().min(1900).max(2100),
  relation: z.enum(['head', 'spouse', 'child', 'parent', 'sibling', 'other']),
  maritalStatus: z.enum(['single', 'married', 'widowed', 'divorced']),
  disabled: z.boolean(),
});
export type Member = z.infer<typeof MemberSchema>;

/** One line of a household import file (DESIGN.md, import formats). */
export const HouseholdImportSchema = z.object({
  householdId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'householdId: letters, digits and dashes, at most 40'),
  province: z.string().min(1).max(60),
  district: z.string().min(1).max(60),
  tehsil: z.string().min(1).max(60),
  pmtScore: z.number().min(0).max(100),
  surveyedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'surveyedAt: an ISO date'),
  programmes: z.array(z.string().min(1).max(40)).max(20),
  members: z.array(MemberSchema).min(1).max(40),
  phones: z.array(z.string().min(3).max(32)).max(10),
  source: z.enum(['survey', 'desk', 'self-registered']).default('survey'),
  /** The survey enumerator's code (back-check samples stratify by it and flag enumerators out of line). */
  enumerator: z.string().trim().min(1).max(40).optional(),
});
export type HouseholdImport = z.infer<typeof HouseholdImportSchema>;

/** One line of an identity file: the national ID authority's view of a CNIC. */
export const IdentityImportSchema = z.object({
  cnic: z.string().min(13).max(20),
  name: PersonNameSchema,
  gender: z.enum(['male', 'female']),
  birthYear: z.number().int().min(1900).max(2100),
  status: z.enum(['ALIVE', 'DECEASED', 'BLOCKED']),
  simPhones: z.array(z.string().min(3).max(32)).max(20),
  /** Optional: compared with the registry's roster when the authority's file holds them. */
  maritalStatus: z.enum(['single', 'married', 'widowed', 'divorced']).optional(),
  disabled: z.boolean().optional(),
});
export type IdentityImport = z.infer<typeof IdentityImportSchema>;

/** One line of an exclusion feed. */
export const ExclusionImportSchema = z.object({
  cnic: z.string().min(13).max(20),
  filter: ExclusionFilterSchema,
  source: z.string().min(1).max(60),
  observedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'observedAt: an ISO date'),
});
export type ExclusionImport = z.infer<typeof ExclusionImportSchema>;
