import * as z from 'zod';
import { BACK_CHECK_FIELDS } from './back-check-fields.js';
import { STRATIFY_BY } from './quality-household.js';

/**
 * The stored shapes of the quality reports and samples: what the adapters validate when they read
 * them back, and what the staff routes answer.
 */
const Rate = {
  checked: z.number(),
  errors: z.number(),
  rate: z.number(),
  lower: z.number(),
  upper: z.number(),
};

export const BackCheckReportSchema = z.object({
  sampleId: z.string(),
  seed: z.string(),
  by: z.string(),
  confidence: z.number(),
  generatedAt: z.string(),
  visited: z.number(),
  sampled: z.number(),
  fields: z.array(
    z.object({
      field: z.enum(BACK_CHECK_FIELDS),
      overall: z.object(Rate),
      strata: z.array(z.object({ stratum: z.string(), population: z.number(), ...Rate })),
    }),
  ),
  allFields: z.object(Rate),
  outliers: z.array(z.object({ kind: z.enum(['enumerator', 'tehsil']), unit: z.string(), ...Rate })),
});

export const RegistryHealthReportSchema = z.object({
  generatedAt: z.string(),
  households: z.number(),
  members: z.number(),
  completeness: z.array(
    z.object({
      field: z.string(),
      level: z.enum(['household', 'member']),
      filled: z.number(),
      total: z.number(),
    }),
  ),
  staleSurveys: z.object({
    olderThanYears: z.number(),
    cutoff: z.string(),
    households: z.number(),
    examples: z.array(z.string()),
  }),
  sharedPhones: z.object({
    threshold: z.number(),
    phones: z.number(),
    households: z.number(),
    top: z.array(z.object({ phone: z.string(), households: z.number() })),
  }),
  membersInSeveralHouseholds: z.object({
    people: z.number(),
    households: z.number(),
    examples: z.array(z.array(z.string())),
  }),
  deceasedHeads: z.object({ households: z.number(), examples: z.array(z.string()) }),
});

/** A sample as stored: its spec, its strata and, per stratum, the households drawn (draw keys recomputed). */
export const StoredSampleSchema = z.object({
  sampleId: z.string(),
  drawnAt: z.string(),
  spec: z.object({
    seed: z.string(),
    by: z.enum(STRATIFY_BY),
    confidence: z.number(),
    margin: z.number(),
    expectedRate: z.number().optional(),
    size: z.number().optional(),
  }),
  population: z.number(),
  strata: z.array(z.object({ stratum: z.string(), population: z.number(), size: z.number() })),
  households: z.record(z.string(), z.array(z.string())),
});
export type StoredSample = z.infer<typeof StoredSampleSchema>;
