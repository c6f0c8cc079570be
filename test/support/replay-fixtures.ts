import type { DecisionOfRecord } from '@madad/core';

/** A Dadu flood campaign whose rules a replay test raises from threshold 32 to 40. */
export function daduReplayCampaign(name: string, closesAt: string) {
  return {
    name,
    nameUr: 'دادو سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt,
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: 6000, newBeneficiary: 12000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 10_000_000,
    maxHouseholds: 1000,
  };
}

/**
 * Household i refused under v1: the even ones score 35 (eligible at 40), the odd ones 45. `tag` keeps
 * two test files' people apart (ids, references and phones).
 */
export function refusedUnderV1(
  campaignId: string,
  i: number,
  tag: { readonly name: string; readonly ref: string; readonly phonePrefix: string },
): DecisionOfRecord {
  return {
    campaignId,
    cnicHash: `${tag.name}-h${i}`,
    messageId: `${tag.name}-m${i}`,
    reference: `${tag.ref}${String(i).padStart(5, '0')}`,
    from: `${tag.phonePrefix}${String(i).padStart(5, '0')}`,
    channel: 'sms',
    lang: 'en',
    decision: {
      status: 'NOT_ELIGIBLE',
      reasons: ['SCORE_ABOVE_THRESHOLD'],
      ruleSetVersion: `${campaignId}/v1`,
      campaignId,
      householdId: `HH-${tag.ref}-${i}`,
      inputs: {
        pmtScore: i % 2 === 0 ? 35 : 45,
        district: 'Dadu',
        tehsil: 'Dadu',
        inRegularProgramme: false,
      },
      decidedAt: '2026-08-02T10:00:00Z',
    },
  };
}
