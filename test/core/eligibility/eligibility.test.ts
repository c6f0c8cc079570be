import {
  type Campaign,
  decideEligibility,
  type HouseholdRecord,
  type RegistryMatch,
  ruleSetVersionOf,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

const NOW = new Date('2026-08-20T10:00:00Z');

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    campaignId: 'C-FLOOD1',
    name: 'Monsoon floods 2026',
    nameUr: 'مون سون سیلاب',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }, { district: 'Jacobabad', tehsils: ['Thul'] }],
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-09-30T00:00:00Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: ['VEHICLE_OWNER', 'INTL_TRAVEL', 'GOVT_EMPLOYEE'],
      amounts: { topUp: 6000, newBeneficiary: 12000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 1_000_000_000,
    maxHouseholds: 100_000,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: ruleSetVersionOf('C-FLOOD1', 1),
    createdBy: 'cell-1',
    createdAt: '2026-08-01T00:00:00Z',
    ...overrides,
  };
}

function household(overrides: Partial<HouseholdRecord> = {}): HouseholdRecord {
  return {
    householdId: 'HH-1',
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    pmtScore: 20,
    programmes: [],
    members: [
      { cnicHash: 'h-head', relation: 'head', gender: 'female', exclusions: [] },
      { cnicHash: 'h-son', relation: 'child', gender: 'male', exclusions: [] },
    ],
    status: 'active',
    ...overrides,
  };
}

function match(
  hh: HouseholdRecord | undefined,
  identity: 'ALIVE' | 'DECEASED' | 'BLOCKED' | 'NONE' = 'ALIVE',
): RegistryMatch {
  return {
    exclusions: [],
    ...(hh
      ? { person: { cnicHash: 'h-head', householdId: hh.householdId, relation: 'head' }, household: hh }
      : {}),
    ...(identity === 'NONE' ? {} : { identity: { cnicHash: 'h-head', status: identity, simPhones: [] } }),
  };
}

const decide = (m: RegistryMatch, campaigns: Campaign[] = [campaign()], cnicsFromPhone = 1) =>
  decideEligibility({ match: m, campaigns, cnicsFromPhone, now: NOW });

describe('decideEligibility', () => {
  it('makes a poor household in an affected district eligible as a new beneficiary', () => {
    const d = decide(match(household()));
    expect(d).toMatchObject({
      status: 'ELIGIBLE',
      category: 'NEW_BENEFICIARY',
      amount: 12000,
      campaignId: 'C-FLOOD1',
    });
    expect(d.ruleSetVersion).toBe('C-FLOOD1/v1');
    expect(d.inputs).toMatchObject({ pmtScore: 20, pmtThreshold: 32, district: 'Dadu' });
  });

  it('gives a top-up to a household already in the regular programme', () => {
    const d = decide(match(household({ programmes: ['KAFAALAT'] })));
    expect(d).toMatchObject({ status: 'ELIGIBLE', category: 'TOP_UP', amount: 6000 });
  });

  it('accepts a score exactly at the threshold', () => {
    expect(decide(match(household({ pmtScore: 32 }))).status).toBe('ELIGIBLE');
  });

  it('refuses a household just above the threshold', () => {
    const d = decide(match(household({ pmtScore: 32.01 })));
    expect(d).toMatchObject({ status: 'NOT_ELIGIBLE', reasons: ['SCORE_ABOVE_THRESHOLD'] });
  });

  it('excludes the whole household when a non-applicant member owns a vehicle', () => {
    const hh = household({
      members: [
        { cnicHash: 'h-head', relation: 'head', gender: 'female', exclusions: [] },
        { cnicHash: 'h-son', relation: 'child', gender: 'male', exclusions: ['VEHICLE_OWNER'] },
      ],
    });
    expect(decide(match(hh))).toMatchObject({ status: 'NOT_ELIGIBLE', reasons: ['EXCLUSION_VEHICLE_OWNER'] });
  });

  it('ignores exclusion flags the campaign does not apply', () => {
    const hh = household({
      members: [{ cnicHash: 'h-head', relation: 'head', gender: 'female', exclusions: ['HIGH_PHONE_BILL'] }],
    });
    expect(decide(match(hh)).status).toBe('ELIGIBLE');
  });

  it('lists every failed rule', () => {
    const hh = household({
      pmtScore: 50,
      members: [
        {
          cnicHash: 'h-head',
          relation: 'head',
          gender: 'male',
          exclusions: ['INTL_TRAVEL', 'GOVT_EMPLOYEE'],
        },
      ],
    });
    expect(decide(match(hh)).reasons).toEqual([
      'SCORE_ABOVE_THRESHOLD',
      'EXCLUSION_INTL_TRAVEL',
      'EXCLUSION_GOVT_EMPLOYEE',
    ]);
  });

  it('refuses a household outside the affected areas while a campaign is open elsewhere', () => {
    const d = decide(match(household({ district: 'Lahore', tehsil: 'Lahore City' })));
    expect(d).toMatchObject({ status: 'NOT_ELIGIBLE', reasons: ['OUTSIDE_AFFECTED_AREA'] });
  });

  it('honours a tehsil-level area: Thul is covered, Jacobabad tehsil is not', () => {
    expect(decide(match(household({ district: 'Jacobabad', tehsil: 'Thul' }))).status).toBe('ELIGIBLE');
    expect(decide(match(household({ district: 'Jacobabad', tehsil: 'Jacobabad' }))).reasons).toEqual([
      'OUTSIDE_AFFECTED_AREA',
    ]);
  });

  it('answers NO_ACTIVE_CAMPAIGN when no campaign is in force', () => {
    expect(decide(match(household()), []).status).toBe('NO_ACTIVE_CAMPAIGN');
  });

  it('answers NO_ACTIVE_CAMPAIGN before the window opens', () => {
    expect(decide(match(household()), [campaign({ opensAt: '2026-09-01T00:00:00Z' })]).status).toBe(
      'NO_ACTIVE_CAMPAIGN',
    );
  });

  it('answers CAMPAIGN_CLOSED for a closed campaign covering the area', () => {
    expect(decide(match(household()), [campaign({ status: 'closed' })]).status).toBe('CAMPAIGN_CLOSED');
  });

  it('answers CAMPAIGN_CLOSED once the window has passed', () => {
    expect(decide(match(household()), [campaign({ closesAt: '2026-08-15T00:00:00Z' })]).status).toBe(
      'CAMPAIGN_CLOSED',
    );
  });

  it('sends a CNIC not in the registry to verification', () => {
    expect(decide(match(undefined))).toMatchObject({
      status: 'PENDING_VERIFICATION',
      reasons: ['NOT_IN_REGISTRY'],
    });
  });

  it.each([
    ['DECEASED', 'IDENTITY_DECEASED'],
    ['BLOCKED', 'IDENTITY_BLOCKED'],
    ['NONE', 'IDENTITY_UNKNOWN'],
  ] as const)('refuses a CNIC the identity authority reports as %s', (status, reason) => {
    expect(decide(match(household(), status))).toMatchObject({
      status: 'IDENTITY_MISMATCH',
      reasons: [reason],
    });
  });

  it('flags a phone that registered more different CNICs than the limit', () => {
    expect(decide(match(household()), [campaign()], 6)).toMatchObject({
      status: 'RATE_LIMITED',
      reasons: ['PHONE_RATE_LIMITED'],
    });
    expect(decide(match(household()), [campaign()], 5).status).toBe('ELIGIBLE');
  });

  it('picks the campaign that covers the household when several are open', () => {
    const quake = campaign({
      campaignId: 'C-QUAKE1',
      ruleSetVersion: 'C-QUAKE1/v2',
      areas: [{ district: 'Lahore' }],
    });
    const d = decide(match(household({ district: 'Lahore', tehsil: 'Model Town' })), [campaign(), quake]);
    expect(d).toMatchObject({ status: 'ELIGIBLE', campaignId: 'C-QUAKE1', ruleSetVersion: 'C-QUAKE1/v2' });
  });

  it('never lets a draft campaign decide', () => {
    expect(decide(match(household()), [campaign({ status: 'draft' })]).status).toBe('NO_ACTIVE_CAMPAIGN');
  });
});
