import {
  builtInGazetteer,
  isKnownArea,
  type RejectReason,
  resolveArea,
  validateExclusionLine,
  validateHouseholdLine,
  validateIdentityLine,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

const household = () => ({
  householdId: 'HH-0001',
  province: 'Punjab',
  district: 'Lahore',
  tehsil: 'Lahore City',
  pmtScore: 24.5,
  surveyedAt: '2022-04-01',
  programmes: ['KAFAALAT'],
  phones: ['0300-1234567'],
  members: [
    {
      cnic: '35202-1234567-1',
      name: 'Aslam',
      gender: 'male',
      birthYear: 1980,
      relation: 'head',
      maritalStatus: 'married',
      disabled: false,
    },
    {
      cnic: '3520276543212',
      name: 'Parveen',
      gender: 'female',
      birthYear: 1984,
      relation: 'spouse',
      maritalStatus: 'married',
      disabled: false,
    },
  ],
});
type Household = ReturnType<typeof household>;
const identity = () => ({
  cnic: '35202-1234567-1',
  name: 'Aslam',
  gender: 'male',
  birthYear: 1980,
  status: 'ALIVE',
  simPhones: ['+92 300 1234567'],
});
const exclusion = () => ({
  cnic: '35202-1234567-1',
  filter: 'VEHICLE_OWNER',
  source: 'Excise',
  observedAt: '2023-01-02',
});

const withHousehold = (change: (h: Household) => void) => {
  const h = household();
  change(h);
  return JSON.stringify(h);
};

describe('validateHouseholdLine', () => {
  it('accepts a valid line and returns normalized CNICs, E.164 phones and canonical area names', () => {
    const result = validateHouseholdLine(
      withHousehold((h) => {
        h.province = 'punjab';
        h.district = '  LAHORE ';
        h.tehsil = 'lahore  city';
      }),
    );

    expect(result).toMatchObject({
      ok: true,
      value: {
        province: 'Punjab',
        district: 'Lahore',
        tehsil: 'Lahore City',
        phones: ['+923001234567'],
        source: 'survey',
        members: [{ cnic: '3520212345671' }, { cnic: '3520276543212' }],
      },
    });
  });

  it.each<[string, string, RejectReason, RegExp]>([
    ['truncated JSON', '{"householdId": "HH-1", ', 'INVALID_JSON', /JSON/],
    ['not JSON at all', 'householdId,province', 'INVALID_JSON', /JSON/],
    [
      'a missing field',
      withHousehold((h) => Reflect.deleteProperty(h, 'surveyedAt')),
      'SCHEMA',
      /surveyedAt/,
    ],
    ['a wrong type', withHousehold((h) => Object.assign(h, { pmtScore: '24' })), 'SCHEMA', /pmtScore/],
    [
      'an unknown relation',
      withHousehold((h) => Object.assign(h.members[1] ?? {}, { relation: 'cousin' })),
      'SCHEMA',
      /members\.1\.relation/,
    ],
    ['a JSON array', '[1, 2]', 'SCHEMA', /\(line\)/],
    [
      'a CNIC of 12 digits',
      withHousehold((h) => Object.assign(h.members[0] ?? {}, { cnic: '352021234567 ' })),
      'BAD_CNIC',
      /members\.0\.cnic: WRONG_LENGTH/,
    ],
    [
      'a CNIC with letters',
      withHousehold((h) => Object.assign(h.members[1] ?? {}, { cnic: '35202-12345A7-1' })),
      'BAD_CNIC',
      /NOT_DIGITS/,
    ],
    [
      'a CNIC province digit 9',
      withHousehold((h) => Object.assign(h.members[0] ?? {}, { cnic: '9520212345671' })),
      'BAD_CNIC',
      /INVALID_PROVINCE/,
    ],
    [
      'a CNIC too short for the schema',
      withHousehold((h) => Object.assign(h.members[0] ?? {}, { cnic: '3520' })),
      'BAD_CNIC',
      /members\.0\.cnic/,
    ],
    [
      'the same CNIC twice',
      withHousehold((h) => Object.assign(h.members[1] ?? {}, { cnic: '3520212345671' })),
      'DUPLICATE_MEMBER',
      /twice/,
    ],
    [
      'a score above 100',
      withHousehold((h) => Object.assign(h, { pmtScore: 100.5 })),
      'SCORE_OUT_OF_RANGE',
      /pmtScore/,
    ],
    [
      'a negative score',
      withHousehold((h) => Object.assign(h, { pmtScore: -1 })),
      'SCORE_OUT_OF_RANGE',
      /pmtScore/,
    ],
    [
      'an unknown district',
      withHousehold((h) => Object.assign(h, { district: 'Atlantis' })),
      'UNKNOWN_AREA',
      /unknown district/,
    ],
    [
      'an unknown tehsil',
      withHousehold((h) => Object.assign(h, { tehsil: 'Gulberg' })),
      'UNKNOWN_AREA',
      /tehsil "Gulberg"/,
    ],
    [
      'a district of another province',
      withHousehold((h) => Object.assign(h, { province: 'Sindh' })),
      'UNKNOWN_AREA',
      /in Punjab, not Sindh/,
    ],
    [
      'an unknown province',
      withHousehold((h) => Object.assign(h, { province: 'Kashmir' })),
      'UNKNOWN_AREA',
      /province/,
    ],
    [
      'a landline as phone',
      withHousehold((h) => Object.assign(h, { phones: ['042-111'] })),
      'BAD_PHONE',
      /phones\.0/,
    ],
  ])('rejects %s as %s', (_case, raw, reason, message) => {
    const result = validateHouseholdLine(raw);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.message).toMatch(message);
  });

  it('names the zod issue path of a SCHEMA rejection', () => {
    const result = validateHouseholdLine(
      withHousehold((h) => Object.assign(h.members[1] ?? {}, { gender: 'x' })),
    );

    expect(result).toMatchObject({ ok: false, reason: 'SCHEMA', path: ['members', 1, 'gender'] });
  });
});

describe('validateIdentityLine', () => {
  it('accepts a valid line with normalized CNIC and SIMs', () => {
    expect(validateIdentityLine(JSON.stringify(identity()))).toEqual({
      ok: true,
      value: { ...identity(), cnic: '3520212345671', simPhones: ['+923001234567'] },
    });
  });

  it.each<[string, string, RejectReason]>([
    ['broken JSON', '{"cnic":', 'INVALID_JSON'],
    ['an unknown status', JSON.stringify({ ...identity(), status: 'MISSING' }), 'SCHEMA'],
    ['a CNIC of 14 digits', JSON.stringify({ ...identity(), cnic: '35202123456712' }), 'BAD_CNIC'],
    ['a SIM that is not a mobile', JSON.stringify({ ...identity(), simPhones: ['12345'] }), 'BAD_PHONE'],
  ])('rejects %s as %s', (_case, raw, reason) => {
    expect(validateIdentityLine(raw)).toMatchObject({ ok: false, reason });
  });
});

describe('validateExclusionLine', () => {
  it('accepts a valid line with a normalized CNIC', () => {
    expect(validateExclusionLine(JSON.stringify(exclusion()))).toMatchObject({
      ok: true,
      value: { cnic: '3520212345671' },
    });
  });

  it.each<[string, string, RejectReason]>([
    ['an empty object', '{}', 'SCHEMA'],
    ['an unknown filter', JSON.stringify({ ...exclusion(), filter: 'CAT_OWNER' }), 'SCHEMA'],
    [
      'a CNIC with a bad province digit',
      JSON.stringify({ ...exclusion(), cnic: '0520212345671' }),
      'BAD_CNIC',
    ],
    ['trailing garbage', `${JSON.stringify(exclusion())}x`, 'INVALID_JSON'],
  ])('rejects %s as %s', (_case, raw, reason) => {
    expect(validateExclusionLine(raw)).toMatchObject({ ok: false, reason });
  });
});

describe('the built-in gazetteer (the shipped areas file)', () => {
  it('lists the seven provinces and territories with at least two tehsils per district', () => {
    const provinces = builtInGazetteer().provinces();

    expect(provinces.map((p) => p.name)).toEqual([
      'Punjab',
      'Sindh',
      'Khyber Pakhtunkhwa',
      'Balochistan',
      'Islamabad Capital Territory',
      'Gilgit-Baltistan',
      'Azad Jammu and Kashmir',
    ]);
    const districts = provinces.flatMap((p) => p.districts);
    expect(districts.length).toBeGreaterThanOrEqual(40);
    expect(districts.every((d) => d.tehsils.length >= 2)).toBe(true);
  });

  it('gives the CNIC province digit of a district, 2 for the merged tribal districts', () => {
    expect(resolveArea('Khyber Pakhtunkhwa', 'Bajaur', 'Khar')).toMatchObject({ ok: true, cnicCode: 2 });
    expect(resolveArea('Khyber Pakhtunkhwa', 'Peshawar', 'Mathra')).toMatchObject({ ok: true, cnicCode: 1 });
    expect(isKnownArea('Sindh', 'Karachi Central', 'Gulberg')).toBe(true);
  });
});
