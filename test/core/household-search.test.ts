import {
  hashCnic,
  maskCnicForStaff,
  maskCnicsInText,
  readHouseholdQuery,
  searchHouseholds,
  ValidationError,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';

const PEPPER = 'search-test-pepper';
const HASH = hashCnic(PEPPER, '3520212345672');

describe('readHouseholdQuery', () => {
  it.each(['35202-1234567-2', '3520212345672', ' 35202 1234567 2 ', '۳۵۲۰۲-۱۲۳۴۵۶۷-۲'])(
    'reads %j as a CNIC',
    (typed) => {
      expect(readHouseholdQuery(typed)).toEqual({ kind: 'cnic', cnic: '3520212345672' });
    },
  );

  it.each([
    '0300-1234567',
    '03001234567',
    '+92 300 1234567',
    '923001234567',
    '0092 300 1234567',
    '3001234567',
  ])('reads %j as the phone +923001234567', (typed) => {
    expect(readHouseholdQuery(typed)).toEqual({ kind: 'phone', phone: '+923001234567' });
  });

  it('reads eight letters and digits as a reference, O as 0 and I or L as 1, and anything else with a dash as a household id', () => {
    expect(readHouseholdQuery('w12o4567')).toEqual({ kind: 'reference', reference: 'W1204567' });
    expect(readHouseholdQuery('A1B2C3DL')).toEqual({ kind: 'reference', reference: 'A1B2C3D1' });
    expect(readHouseholdQuery('DEMO-0001')).toEqual({ kind: 'household', householdId: 'DEMO-0001' });
    expect(readHouseholdQuery('')).toBeUndefined();
    expect(readHouseholdQuery('not a key!')).toBeUndefined();
  });
});

describe('maskCnicForStaff and maskCnicsInText', () => {
  it('keeps the locality and the last three digits of a CNIC, in a member list and inside a text', () => {
    expect(maskCnicForStaff('35202-1234567-2')).toBe('35202-*****67-2');
    expect(maskCnicsInText('Madad: To check, send STATUS 35202-1234567-2 to 8171.')).toBe(
      'Madad: To check, send STATUS 35202-*****67-2 to 8171.',
    );
    expect(maskCnicsInText('حالت ۳۵۲۰۲۱۲۳۴۵۶۷۲ بھیجیں')).toBe('حالت 35202-*****67-2 بھیجیں');
  });
});

function finderWorld() {
  const audit = memoryAuditLog();
  const deps = {
    pepper: async () => PEPPER,
    audit: audit.log,
    finder: {
      householdIdOf: async (hash: string) => (hash === HASH ? 'DEMO-0001' : undefined),
      cnicHashesOfPhone: async (phone: string) =>
        phone === '+923001234567' ? [HASH, 'unknown-hash', HASH] : [],
      cnicHashOfReference: async (reference: string) => (reference === 'W1234567' ? HASH : undefined),
      householdExists: async (id: string) => id === 'DEMO-0001',
    },
  };
  return { deps, audit };
}

describe('searchHouseholds', () => {
  it.each([
    ['35202-1234567-2', 'cnic'],
    ['0300-1234567', 'phone'],
    ['W1234567', 'reference'],
    ['DEMO-0001', 'household'],
  ])(
    'finds the household by %j (%s), once however many times the phone sent its CNIC',
    async (typed, kind) => {
      const { deps } = finderWorld();

      const result = await searchHouseholds(deps, { user: 'pat', role: 'program-officer' }, typed);

      expect(result).toEqual({ query: expect.objectContaining({ kind }), householdIds: ['DEMO-0001'] });
    },
  );

  it('records every search in the ledger, found or not, with the query masked', async () => {
    const { deps, audit } = finderWorld();

    await searchHouseholds(deps, { user: 'pat', role: 'program-officer' }, '35202-1234567-2');
    await searchHouseholds(deps, { user: 'pat', role: 'program-officer' }, '35202-1234567-2');
    await searchHouseholds(deps, { user: 'noor', role: 'approver' }, '03339999999');

    expect(audit.entries.map((e) => [e.actor, e.action, e.subject, e.after])).toEqual([
      [
        'pat',
        'household.search',
        'household/DEMO-0001',
        { query: 'cnic 35***-*******-2', found: ['DEMO-0001'] },
      ],
      [
        'pat',
        'household.search',
        'household/DEMO-0001',
        { query: 'cnic 35***-*******-2', found: ['DEMO-0001'] },
      ],
      ['noor', 'household.search', 'household/none', { query: 'phone +92333****999', found: [] }],
    ]);
  });

  it('refuses a search that is no key, recording nothing', async () => {
    const { deps, audit } = finderWorld();

    await expect(
      searchHouseholds(deps, { user: 'pat', role: 'program-officer' }, '  '),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(audit.entries).toEqual([]);
  });
});
