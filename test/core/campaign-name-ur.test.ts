import { CAMPAIGN_NAME_UR_MAX, CampaignInputSchema, campaignCovers } from '@madad/core';
import { describe, expect, it } from 'vitest';

const DECLARATION = {
  name: 'Monsoon floods 2026',
  nameUr: 'مون سون سیلاب ۲۰۲۶',
  shockType: 'flood',
  areas: [{ district: 'Muzaffargarh' }],
  opensAt: '2026-08-01T00:00:00+05:00',
  closesAt: '2026-10-01T00:00:00+05:00',
  rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
  budgetCap: 1_000_000,
  maxHouseholds: 100,
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = CampaignInputSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('a campaign’s Urdu name (nameUr)', () => {
  it('is required when a campaign is declared, and the refusal names the field', () => {
    const { nameUr: _left, ...withoutUrdu } = DECLARATION;

    const issues = issuesOf(withoutUrdu);

    expect(issues).toEqual([{ path: 'nameUr', message: expect.stringContaining('nameUr is required') }]);
  });

  it('refuses a name in Latin letters, and Latin letters inside an Urdu name', () => {
    expect(issuesOf({ ...DECLARATION, nameUr: 'Monsoon floods' })).toEqual([
      { path: 'nameUr', message: expect.stringContaining('Urdu script') },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: 'NDMA سیلاب' })).toEqual([
      { path: 'nameUr', message: expect.stringContaining('Urdu script') },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: '2026 - 2027' })).toHaveLength(1);
  });

  it(`refuses a name over ${CAMPAIGN_NAME_UR_MAX} characters, which would not fit the SMS`, () => {
    const long = 'سیلاب '.repeat(6).trim(); // 35 characters

    expect(issuesOf({ ...DECLARATION, nameUr: long })).toEqual([
      { path: 'nameUr', message: expect.stringContaining(`at most ${CAMPAIGN_NAME_UR_MAX} characters`) },
    ]);
    expect(issuesOf({ ...DECLARATION, nameUr: long.slice(0, CAMPAIGN_NAME_UR_MAX) })).toEqual([]);
  });

  it('accepts Urdu with Urdu or ASCII digits and punctuation, trimmed', () => {
    const parsed = CampaignInputSchema.parse({ ...DECLARATION, nameUr: '  کووڈ-19 امداد، 2026 ' });

    expect(parsed.nameUr).toBe('کووڈ-19 امداد، 2026');
  });

  it('is optional on a stored campaign: one declared before it was required still covers its areas', () => {
    const { nameUr: _left, ...stored } = CampaignInputSchema.parse(DECLARATION);

    expect('nameUr' in stored).toBe(false);
    expect(campaignCovers(stored, 'Muzaffargarh', 'Alipur')).toBe(true);
  });
});
