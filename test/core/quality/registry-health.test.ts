import { computeRegistryHealth, DEFAULT_HEALTH_OPTIONS, type QualityHousehold } from '@madad/core';
import { describe, expect, it } from 'vitest';

const member = (cnicHash: string, relation = 'child', extra: object = {}) => ({
  cnicHash,
  name: `Person ${cnicHash}`,
  gender: 'female',
  birthYear: 1990,
  relation,
  maritalStatus: 'single',
  disabled: false,
  ...extra,
});

/** Six households: two stale surveys, one phone on five households, one person in two, one dead head. */
const registry: QualityHousehold[] = [
  {
    householdId: 'HH-1',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Model Town',
    enumerator: 'E1',
    surveyedAt: '2021-03-01',
    pmtScore: 20,
    phones: ['+923001111111'],
    members: [member('a', 'head'), member('b')],
  },
  {
    householdId: 'HH-2',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Model Town',
    enumerator: 'E1',
    surveyedAt: '2024-05-01',
    pmtScore: 30,
    phones: ['+923001111111'],
    members: [member('c', 'head'), member('b')],
  },
  {
    householdId: 'HH-3',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Cantt',
    surveyedAt: '2024-05-01',
    pmtScore: 30,
    phones: ['+923001111111'],
    members: [member('d', 'head', { name: '' })],
  },
  {
    householdId: 'HH-4',
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    enumerator: 'E2',
    surveyedAt: '2019-12-31',
    pmtScore: 10,
    phones: ['+923001111111', '+923002222222'],
    members: [member('dead', 'head')],
  },
  {
    householdId: 'HH-5',
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    enumerator: 'E2',
    surveyedAt: '2025-01-01',
    phones: ['+923001111111'],
    members: [member('e', 'head', { birthYear: undefined })],
  },
  {
    householdId: 'HH-6',
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Dadu',
    enumerator: 'E2',
    surveyedAt: '2025-01-01',
    pmtScore: 12,
    phones: [],
    members: [member('f', 'head')],
  },
];

async function* pagesOf(households: QualityHousehold[], size: number) {
  for (let i = 0; i < households.length; i += size) yield households.slice(i, i + size);
}

describe('computeRegistryHealth', () => {
  it('measures completeness, stale surveys, shared phones, repeated people and deceased heads', async () => {
    // Arrange
    const progress: number[] = [];
    const identities = {
      statusOf: async (hashes: readonly string[]) =>
        new Map(hashes.map((h) => [h, h === 'dead' ? ('DECEASED' as const) : ('ALIVE' as const)])),
    };

    // Act
    const report = await computeRegistryHealth(
      { pages: pagesOf(registry, 4), identities, onProgress: (n) => progress.push(n) },
      { ...DEFAULT_HEALTH_OPTIONS, now: new Date('2026-12-07T12:00:00Z') },
    );

    // Assert
    expect(report.households).toBe(6);
    expect(report.members).toBe(8);
    const filled = Object.fromEntries(
      report.completeness.map((c) => [`${c.level}.${c.field}`, `${c.filled}/${c.total}`]),
    );
    expect(filled).toMatchObject({
      'household.province': '6/6',
      'household.pmtScore': '5/6',
      'household.phones': '5/6',
      'household.enumerator': '5/6',
      'member.name': '7/8',
      'member.birthYear': '7/8',
      'member.gender': '8/8',
    });
    expect(report.staleSurveys).toEqual({
      olderThanYears: 4,
      cutoff: '2022-12-07',
      households: 2,
      examples: ['HH-1', 'HH-4'],
    });
    expect(report.sharedPhones).toEqual({
      threshold: 5,
      phones: 1,
      households: 5,
      top: [{ phone: '+92300****111', households: 5 }],
    });
    expect(report.membersInSeveralHouseholds).toEqual({
      people: 1,
      households: 2,
      examples: [['HH-1', 'HH-2']],
    });
    expect(report.deceasedHeads).toEqual({ households: 1, examples: ['HH-4'] });
    expect(progress).toEqual([4, 6]);
  });
});
