import * as z from 'zod';
import { ExclusionFilterSchema } from '../registry/registry-schemas.js';
import { CampaignNameUrSchema } from './campaign-name-ur.js';

export const ShockTypeSchema = z.enum(['flood', 'earthquake', 'drought', 'epidemic', 'conflict', 'other']);

export const AffectedAreaSchema = z.object({
  district: z.string().min(1).max(60),
  /** Empty or absent: the whole district. */
  tehsils: z.array(z.string().min(1).max(60)).max(50).optional(),
});
export type AffectedArea = z.infer<typeof AffectedAreaSchema>;

/** The rules a decision is taken under; every change makes a new version. */
export const RuleSetSchema = z.object({
  pmtThreshold: z.number().min(0).max(100),
  exclusionFilters: z.array(ExclusionFilterSchema).max(20),
  amounts: z.object({
    topUp: z.number().int().positive().max(1_000_000),
    newBeneficiary: z.number().int().positive().max(1_000_000),
  }),
  /** The regular programme whose beneficiaries get a top-up (vertical expansion). */
  regularProgramme: z.string().min(1).max(40).default('KAFAALAT'),
});
export type RuleSet = z.infer<typeof RuleSetSchema>;

const CampaignFields = z.object({
  name: z.string().min(3).max(120),
  /** The name in Urdu script, for Urdu replies and pages (required since issue 15). */
  nameUr: CampaignNameUrSchema,
  shockType: ShockTypeSchema,
  areas: z.array(AffectedAreaSchema).min(1).max(200),
  opensAt: z.iso.datetime({ offset: true }),
  closesAt: z.iso.datetime({ offset: true }),
  rules: RuleSetSchema,
  budgetCap: z.number().int().positive().max(1e13),
  maxHouseholds: z.number().int().positive().max(1e8),
  /** Tell regular-programme households their top-up by SMS at activation (opt out with false). */
  notifyTopUps: z.boolean().default(true),
  /** Different CNICs one phone may register before it is flagged, and phones per CNIC. */
  limits: z
    .object({
      cnicsPerPhone: z.number().int().min(1).max(100),
      phonesPerCnic: z.number().int().min(1).max(100),
    })
    .default({ cnicsPerPhone: 5, phonesPerCnic: 5 }),
});

/** `POST /api/v1/campaigns`: what the emergency cell declares. */
export const CampaignInputSchema = CampaignFields.refine(
  (c) => Date.parse(c.closesAt) > Date.parse(c.opensAt),
  {
    message: 'closesAt must be after opensAt',
    path: ['closesAt'],
  },
);
export type CampaignInput = z.infer<typeof CampaignInputSchema>;

/** `PATCH /api/v1/campaigns/{id}/rules`. */
export const RuleChangeSchema = RuleSetSchema.partial().refine((r) => Object.keys(r).length > 0, {
  message: 'Give at least one rule to change',
});

export type CampaignStatus = 'draft' | 'active' | 'closed';

export interface Campaign extends Omit<CampaignInput, 'nameUr'> {
  /** Absent on campaigns declared before it was required: replies then name no campaign in Urdu. */
  readonly nameUr?: string;
  readonly campaignId: string;
  readonly status: CampaignStatus;
  /** `<campaignId>/v<n>`: stored on every decision taken under it. */
  readonly ruleSetVersion: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly activatedAt?: string;
  readonly closedAt?: string;
  /** Cap counter items, fixed at declaration (`capShardsFor`); absent on older campaigns: one. */
  readonly capShards?: number;
  /** Bumped by every change of `maxHouseholds` or `budgetCap` (`changeLimits`). */
  readonly limitsRevision?: number;
}

/**
 * A campaign as stored: its declared fields (without the declaration's window check, which held when
 * it was declared) and what the system added. Fields it does not name are kept. Adapters read with it.
 */
export const CampaignSchema = CampaignFields.extend({
  nameUr: z.string().optional(),
  campaignId: z.string().min(1),
  status: z.enum(['draft', 'active', 'closed']),
  ruleSetVersion: z.string().min(1),
  createdBy: z.string(),
  createdAt: z.string(),
  activatedAt: z.string().optional(),
  closedAt: z.string().optional(),
  capShards: z.number().int().positive().optional(),
  limitsRevision: z.number().int().min(0).optional(),
}).loose() satisfies z.ZodType<Campaign>;

export function ruleSetVersionOf(campaignId: string, version: number): string {
  return `${campaignId}/v${version}`;
}

/** Whether a campaign's declared areas cover a household's district and tehsil. */
export function campaignCovers(campaign: Pick<Campaign, 'areas'>, district: string, tehsil: string): boolean {
  const d = district.trim().toLowerCase();
  const t = tehsil.trim().toLowerCase();
  return campaign.areas.some(
    (area) =>
      area.district.trim().toLowerCase() === d &&
      (!area.tehsils || area.tehsils.length === 0 || area.tehsils.some((x) => x.trim().toLowerCase() === t)),
  );
}

/** Open for registrations at `now`: active, and inside its window. */
export function isOpen(campaign: Campaign, now: Date): boolean {
  const t = now.getTime();
  return (
    campaign.status === 'active' && t >= Date.parse(campaign.opensAt) && t < Date.parse(campaign.closesAt)
  );
}
