import { registryKeys } from '../../keys.js';

/**
 * Key formats of cross-validation: a rectification sits in its household's partition; the queue of
 * one status in one district is a partition of the byDistrict index (statuses and districts spread
 * the queue, so no single partition takes a whole run's writes); the last run's report is one item.
 */
export const rectificationKeys = {
  item: (householdId: string, rectificationId: string) => ({
    pk: registryKeys.household(householdId).pk,
    sk: `RECT#${rectificationId}`,
  }),
  queue: (status: string, district: string) => `RECT#${status}#${district.toUpperCase()}`,
  report: { pk: 'QUALITY#CROSS-VALIDATION', sk: 'LATEST' },
} as const;
