import { type Campaign, ruleSetVersionOf } from '@madad/core';

/** The active Dadu flood campaign the reconciler's unit tests decide against; `exclusionFilters` varies. */
export function unitCampaign(exclusionFilters: string[] = []): Campaign {
  return {
    campaignId: 'C-UNIT',
    name: 'Unit floods',
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters,
      amounts: { topUp: 6000, newBeneficiary: 12000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 1e9,
    maxHouseholds: 1e6,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: ruleSetVersionOf('C-UNIT', 1),
    createdBy: 'x',
    createdAt: '2026-08-01T00:00:00Z',
  } as Campaign;
}
