/**
 * The campaign both scale runs activate (`scale-run.ts`, `activation-run.ts`): every generated
 * district, threshold 100 (the regular programme's households are topped up), caps that never bind,
 * no top-up SMS, open for a week from an hour ago.
 */
export function scaleCampaignBody(size: number, districts: readonly string[]): string {
  return JSON.stringify({
    name: `Scale ${size}`,
    nameUr: 'سیلاب',
    shockType: 'flood',
    areas: districts.map((district) => ({ district })),
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
    rules: { pmtThreshold: 100, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
    budgetCap: 1e12,
    maxHouseholds: 1e8,
    notifyTopUps: false,
  });
}
