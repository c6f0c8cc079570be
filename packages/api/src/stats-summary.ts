import type { Campaign } from '@madad/core';

/** Turns the flat sharded counters (`status:ELIGIBLE`, `district:Lahore:ELIGIBLE`) into a report. */
export function summariseStats(campaign: Campaign, counters: Readonly<Record<string, number>>) {
  const byPrefix = (prefix: string) =>
    Object.fromEntries(
      Object.entries(counters)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length), value]),
    );
  const byDistrict: Record<string, Record<string, number>> = {};
  for (const [name, value] of Object.entries(byPrefix('district:'))) {
    const cut = name.lastIndexOf(':');
    const district = name.slice(0, cut);
    byDistrict[district] = { ...byDistrict[district], [name.slice(cut + 1)]: value };
  }
  // `tehsil:<district>/<tehsil>:<STATUS>`: district names never contain a slash.
  const byTehsil: Record<string, Record<string, Record<string, number>>> = {};
  for (const [name, value] of Object.entries(byPrefix('tehsil:'))) {
    const slash = name.indexOf('/');
    const cut = name.lastIndexOf(':');
    if (slash < 0 || cut < slash) continue;
    const district = name.slice(0, slash);
    const tehsil = name.slice(slash + 1, cut);
    const tehsils = byTehsil[district] ?? {};
    tehsils[tehsil] = { ...tehsils[tehsil], [name.slice(cut + 1)]: value };
    byTehsil[district] = tehsils;
  }
  const committed = counters.committedAmount ?? 0;
  return {
    name: campaign.name,
    status: campaign.status,
    ruleSetVersion: campaign.ruleSetVersion,
    decided: counters.decided ?? 0,
    byChannel: byPrefix('channel:'),
    byStatus: byPrefix('status:'),
    byReason: byPrefix('reason:'),
    byCategory: byPrefix('category:'),
    byDistrict,
    byTehsil,
    budget: { cap: campaign.budgetCap, committed, remaining: campaign.budgetCap - committed },
    households: {
      max: campaign.maxHouseholds,
      enrolled: counters['status:ELIGIBLE'] ?? 0,
      // Eligible past the household maximum or the budget, not yet promoted by a raise.
      waitlisted: counters['status:WAITLISTED'] ?? 0,
    },
  };
}
