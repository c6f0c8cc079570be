import { ChangeSchema, nameProblem, validateHouseholdLine, validateIdentityLine } from '@madad/core';
import { describe, expect, it } from 'vitest';

/** Issue 13, finding 9 (names): a name must not carry control, line-break or bidi characters. */
const member = (name: string) => ({
  cnic: '35202-1234567-1',
  name,
  gender: 'male',
  birthYear: 1980,
  relation: 'head',
  maritalStatus: 'married',
  disabled: false,
});
const householdLine = (name: string) =>
  JSON.stringify({
    householdId: 'HH-0001',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Lahore City',
    pmtScore: 24.5,
    surveyedAt: '2022-04-01',
    programmes: ['KAFAALAT'],
    phones: ['0300-1234567'],
    members: [member(name)],
  });
const identityLine = (name: string) =>
  JSON.stringify({
    cnic: '35202-1234567-1',
    name,
    gender: 'male',
    birthYear: 1980,
    status: 'ALIVE',
    simPhones: [],
  });

const HOSTILE: [string, string][] = [
  ['a NUL', 'Aslam\u0000'],
  ['a TAB first', '\t=HYPERLINK("x")'],
  ['a line feed (a forged row)', 'Aslam\n123,35202-0000000-1,Forged,99999,Lahore'],
  ['a carriage return', 'Aslam\rForged'],
  ['a C1 control (NEL)', 'Aslam\u0085Forged'],
  ['DEL', 'Aslam\u007F'],
  ['a right-to-left override', 'Aslam\u202Emalsa'],
  ['a left-to-right embedding', '\u202AAslam'],
  ['a first-strong isolate', 'Aslam\u2068x\u2069'],
  ['a right-to-left mark', 'Aslam\u200F'],
  ['a left-to-right mark', '\u200EAslam'],
  ['a line separator', 'Aslam\u2028Forged'],
];

describe('finding 9: hostile names are refused at import and at change time', () => {
  it.each(HOSTILE)('rejects a household member name with %s as BAD_NAME', (_case, name) => {
    const result = validateHouseholdLine(householdLine(name));

    expect(result).toMatchObject({ ok: false, reason: 'BAD_NAME', path: ['members', 0, 'name'] });
    if (!result.ok) expect(result.message).toMatch(/members\.0\.name: name contains a control or bidi/);
  });

  it.each(HOSTILE)('rejects an identity name with %s as BAD_NAME', (_case, name) => {
    expect(validateIdentityLine(identityLine(name))).toMatchObject({ ok: false, reason: 'BAD_NAME' });
  });

  it.each([
    ['an Urdu name', 'محمد اسلم'],
    ['an Urdu name with a zero-width non-joiner', 'فاطمہ\u200Cبی بی'],
    ['an Urdu name with diacritics', 'عَلی'],
    ['a Latin name with an apostrophe and a hyphen', "Noor-ul-Ain D'Souza"],
  ])('keeps %s valid', (_case, name) => {
    expect(nameProblem(name)).toBeUndefined();
    expect(validateHouseholdLine(householdLine(name))).toMatchObject({ ok: true });
  });

  it('refuses a change request adding a member whose name holds a bidi override', () => {
    const parsed = ChangeSchema.safeParse({ type: 'member-born', member: member('Baby\u202Eeno') });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['member', 'name'] });
  });
});
