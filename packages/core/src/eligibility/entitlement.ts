import type { Campaign } from '../campaigns/campaign.js';

export type EntitlementCategory = 'TOP_UP' | 'NEW_BENEFICIARY';

export interface Entitlement {
  readonly category: EntitlementCategory;
  /** Rupees, the campaign's amount for the category. */
  readonly amount: number;
}

/**
 * What an eligible household is paid under a campaign, the one place the rule lives: a top-up when it
 * is in the campaign's regular programme (a BISP-like beneficiary), else the new-beneficiary amount.
 * Registration (`decideEligibility`), rule replays, vertical expansion and its impact preview ask it.
 */
export function entitlementFor(
  campaign: Pick<Campaign, 'rules'>,
  household: { readonly programmes: readonly string[] },
): Entitlement {
  const { regularProgramme, amounts } = campaign.rules;
  return household.programmes.includes(regularProgramme)
    ? { category: 'TOP_UP', amount: amounts.topUp }
    : { category: 'NEW_BENEFICIARY', amount: amounts.newBeneficiary };
}

/**
 * The entitlement of a decision taken earlier, from the inputs it recorded (`inRegularProgramme`):
 * an appeal's overturn pays what the registration would have paid, under the campaign's amounts now.
 */
export function entitlementOfRecorded(
  campaign: Pick<Campaign, 'rules'>,
  inputs: Readonly<Record<string, unknown>>,
): Entitlement {
  const inProgramme = inputs.inRegularProgramme === true;
  return entitlementFor(campaign, { programmes: inProgramme ? [campaign.rules.regularProgramme] : [] });
}
