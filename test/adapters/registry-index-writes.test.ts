import { householdItems, provisionalItems, tables } from '@madad/adapters';
import type { HouseholdImport } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/env.js';

/** The attributes of an item that name a global secondary index's keys (`gsi<n>pk`, `gsi<n>sk`). */
const indexAttributes = (item: Record<string, unknown>) =>
  Object.keys(item)
    .filter((name) => /^gsi\d+(pk|sk)$/.test(name))
    .sort();

/** Every key attribute of an index the registry table declares: nothing else is worth a write. */
const declared = new Set<string>(
  tables.registry.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
);

const household: HouseholdImport = {
  householdId: 'HH-IDX-1',
  province: 'Sindh',
  district: 'Tharparkar',
  tehsil: 'Mithi',
  pmtScore: 18.4,
  surveyedAt: '2022-08-30',
  programmes: ['BISP'],
  phones: ['0333-1234567'],
  source: 'survey',
  members: [
    {
      cnic: '41303-1234567-1',
      name: 'Person 0',
      gender: 'male',
      birthYear: 1970,
      relation: 'head',
      maritalStatus: 'married',
      disabled: false,
    },
  ],
};

describe('registry items write only the keys of indexes the registry table has', () => {
  it("an imported household carries the byDistrict keys and no other index's", () => {
    const [item] = householdItems(TEST_SECRETS.pepper, household);

    expect(indexAttributes(item ?? {})).toEqual(['gsi1pk', 'gsi1sk']);
  });

  it('every index attribute of an imported household and its people is a declared index key', () => {
    const items = householdItems(TEST_SECRETS.pepper, household);

    const written = new Set(items.flatMap(indexAttributes));

    expect([...written].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('a provisional household and its person write only declared index keys', () => {
    const items = provisionalItems({
      cnic: '4130376543212',
      cnicHash: 'a'.repeat(64),
      phone: '+923331234567',
      registeredAt: '2026-08-20T10:00:00.000Z',
      district: 'Tharparkar',
      tehsil: 'Mithi',
    });

    const written = new Set(items.flatMap(indexAttributes));

    expect([...written].filter((name) => !declared.has(name))).toEqual([]);
  });
});
