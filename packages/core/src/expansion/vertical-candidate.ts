import { type AffectedArea, type Campaign, campaignCovers } from '../campaigns/campaign.js';
import { ruleFailures } from '../eligibility/eligibility.js';
import type { HouseholdRecord } from '../registry/registry-ports.js';
import { payeeOf } from './expand-area.js';

/**
 * The payee of a household that vertical expansion tops up for the affected `area` (one work
 * item of an activation): in the area, in the campaign's regular programme, passing its rules, with
 * someone to pay. Undefined otherwise. The activation and its impact preview both ask this.
 */
export function topUpPayeeOf(
  campaign: Campaign,
  area: AffectedArea,
  household: HouseholdRecord,
): string | undefined {
  const inArea = campaignCovers(
    { areas: [{ district: area.district, ...(area.tehsils ? { tehsils: area.tehsils } : {}) }] },
    household.district,
    household.tehsil,
  );
  if (!inArea || !household.programmes.includes(campaign.rules.regularProgramme)) return undefined;
  if (ruleFailures(campaign, household).length > 0) return undefined;
  return payeeOf(household);
}

/**
 * Whether a surveyed household outside the regular programme would be decided ELIGIBLE (a new
 * beneficiary) if it registered now: in the campaign's areas and passing its rules, as
 * `decideEligibility` decides it. The ID authority's check of the registrant (alive, not blocked) is
 * made when they register, so this counts those the registry and the rules make eligible.
 */
export function isNewlyEligible(campaign: Campaign, household: HouseholdRecord): boolean {
  if (household.status === 'provisional') return false;
  if (household.programmes.includes(campaign.rules.regularProgramme)) return false;
  if (!campaignCovers(campaign, household.district, household.tehsil)) return false;
  return ruleFailures(campaign, household).length === 0;
}
