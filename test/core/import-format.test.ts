import {
  type DecodedRecord,
  type DecoderOptions,
  type ImportFileKind,
  ImportHeaderError,
  type ImportRecords,
  importDecoder,
  importFormatOf,
  UnknownCodeTargetError,
} from '@madad/core';
import { describe, expect, it } from 'vitest';

/** Feeds the lines of a text to a fresh decoder, as the importers do, and returns every record. */
function decodeText<K extends ImportFileKind>(
  kind: K,
  text: string,
  options: Partial<DecoderOptions> = {},
): DecodedRecord<ImportRecords[K]>[] {
  const decoder = importDecoder(kind, { format: 'csv', ...options });
  const out: DecodedRecord<ImportRecords[K]>[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() !== '') out.push(...decoder.push(raw, i + 1));
  });
  return [...out, ...decoder.end()];
}

const REGISTRY_HEADER =
  'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,Programme,Mobile,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head,Marital_Status,Disability';

describe('importDecoder (CSV registry extract, one row per member)', () => {
  it('maps coded values whatever their case: F/M, HEAD, MARRIED, Yes/No', () => {
    // Arrange: a roster extract as registries export it, household columns repeated on each member row
    const csv = [
      REGISTRY_HEADER,
      'HH-1,punjab,LAHORE,Lahore City,21.5,2022-04-01,KAFAALAT,0300-1234567,35202-1234567-1,Aslam,M,1980,HEAD,MARRIED,No',
      'HH-1,punjab,LAHORE,Lahore City,21.5,2022-04-01,KAFAALAT,0300-1234567,35202-7654321-2,Parveen,F,1984,Wife,Married,yes',
    ].join('\r\n');

    // Act
    const records = decodeText('registry', csv);

    // Assert: one household, canonical area, stored codes
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.line).toBe(2);
    expect(record?.result).toMatchObject({
      ok: true,
      value: {
        householdId: 'HH-1',
        province: 'Punjab',
        district: 'Lahore',
        pmtScore: 21.5,
        programmes: ['KAFAALAT'],
        phones: ['+923001234567'],
        members: [
          {
            cnic: '3520212345671',
            gender: 'male',
            relation: 'head',
            maritalStatus: 'married',
            disabled: false,
          },
          { cnic: '3520276543212', gender: 'female', relation: 'spouse', disabled: true },
        ],
      },
    });
  });

  it('maps roster answer labels (Son/Daughter, Grandchild, Non-relative) and disability words', () => {
    const csv = [
      REGISTRY_HEADER,
      'HH-9,Punjab,Lahore,Raiwind,30,2022-04-01,,,35202-1111111-1,Bano,F,1950,Head of household,Widow,Not disabled',
      'HH-9,Punjab,Lahore,Raiwind,30,2022-04-01,,,35202-1111112-2,Kamran,M,1980,Son/Daughter,MARRIED,Disabled',
      'HH-9,Punjab,Lahore,Raiwind,30,2022-04-01,,,35202-1111113-3,Hina,F,2010,GRANDCHILD,Never_Married,None',
    ].join('\n');

    const [record] = decodeText('registry', csv);

    expect(
      record?.result.ok && record.result.value.members.map((m) => [m.relation, m.maritalStatus, m.disabled]),
    ).toEqual([
      ['head', 'widowed', false],
      ['child', 'married', true],
      ['other', 'single', false],
    ]);
  });

  it('maps numeric codes only where a mapping configures them (1/2)', () => {
    // Arrange
    const csv = [
      'household_id,province,district,tehsil,pmt,surveyed_at,cnic,name,gender,birth_year,relation,marital_status,disabled',
      'HH-2,Sindh,Jacobabad,Thul,12,2021-01-01,41503-1234567-1,Sakina,2,1970,1,3,0',
    ].join('\n');
    const codes = {
      gender: { '1': 'male', '2': 'female' },
      relation: { '1': 'head', '2': 'spouse' },
      maritalStatus: { '1': 'single', '2': 'married', '3': 'widowed' },
    };

    // Act
    const unmapped = decodeText('registry', csv);
    const mapped = decodeText('registry', csv, { codes });

    // Assert
    expect(unmapped[0]?.result).toMatchObject({ ok: false, reason: 'UNKNOWN_CODE' });
    expect(mapped[0]?.result).toMatchObject({
      ok: true,
      value: { members: [{ gender: 'female', relation: 'head', maritalStatus: 'widowed', disabled: false }] },
    });
  });

  it('refuses a household whose rows disagree on a household column, naming the lines', () => {
    const csv = [
      REGISTRY_HEADER,
      'HH-3,Punjab,Lahore,Lahore City,20,2022-04-01,,,35202-1234567-1,Aslam,M,1980,HEAD,MARRIED,No',
      'HH-3,Punjab,Lahore,Raiwind,20,2022-04-01,,,35202-7654321-2,Parveen,F,1984,SPOUSE,MARRIED,No',
    ].join('\n');

    const [record] = decodeText('registry', csv);

    expect(record?.result).toMatchObject({ ok: false, reason: 'SCHEMA' });
    expect(record?.result.ok === false && record.result.message).toMatch(
      /tehsil "Lahore City" on line 2 but "Raiwind" on line 3/,
    );
  });

  it('reads quoted cells holding a comma and a newline as one record', () => {
    const csv = [
      'cnic,name,gender,birthYear,status,simPhones',
      '35202-1234567-1,"Aslam, son of Akram",male,1980,ALIVE,"0300-1234567;',
      '0301-7654321"',
    ].join('\n');

    const records = decodeText('identity', csv);

    expect(records).toHaveLength(1);
    expect(records[0]?.result).toMatchObject({
      ok: true,
      value: { name: 'Aslam, son of Akram', simPhones: ['+923001234567', '+923017654321'] },
    });
  });

  it('rejects a line over the maximum length with the reason, and goes on with the next line', () => {
    const csv = [
      'cnic,filter,source,observedAt',
      `35202-1234567-1,VEHICLE_OWNER,${'x'.repeat(500)},2023-01-02`,
      '35202-1234567-1,vehicle owner,Excise,2023-01-02',
    ].join('\n');

    const records = decodeText('exclusions', csv, { maxLineLength: 200 });

    expect(records.map((r) => r.result.ok || r.result.reason)).toEqual(['LINE_TOO_LONG', true]);
    expect(records[0]?.result.ok === false && records[0].result.message).toMatch(/over the maximum of 200/);
    expect(records[0]?.raw.length).toBeLessThan(300);
  });

  it('stops before reading when the header lacks a needed column', () => {
    expect(() => decodeText('identity', 'cnic,name\n35202-1234567-1,Aslam')).toThrow(ImportHeaderError);
    expect(() => decodeText('identity', 'cnic,name\n', {})).toThrow(/gender, birthYear, status/);
  });

  it('reads a chunk of a file with the header passed in', () => {
    const decoder = importDecoder('exclusions', {
      format: 'csv',
      header: '\uFEFFCNIC,Filter,Source,Observed_At',
    });

    const records = [...decoder.push('35202-1234567-1,Intl Travel,FIA,2023-01-02', 41), ...decoder.end()];

    expect(records).toEqual([
      expect.objectContaining({
        line: 41,
        result: expect.objectContaining({
          ok: true,
          value: expect.objectContaining({ filter: 'INTL_TRAVEL' }),
        }),
      }),
    ]);
  });

  it('refuses a mapping to a value the field does not have', () => {
    expect(() => importDecoder('registry', { format: 'csv', codes: { gender: { '1': 'man' } } })).toThrow(
      UnknownCodeTargetError,
    );
  });
});

describe('importDecoder (NDJSON)', () => {
  it('maps upper-case codes in NDJSON too (F, HEAD, MARRIED, deceased)', () => {
    const decoder = importDecoder('identity', { format: 'ndjson' });
    const line = JSON.stringify({
      cnic: '35202-1234567-1',
      name: 'Aslam',
      gender: 'M',
      birthYear: 1980,
      status: 'deceased',
      simPhones: [],
    });

    const [record] = decoder.push(line, 1);

    expect(record?.result).toMatchObject({ ok: true, value: { gender: 'male', status: 'DECEASED' } });
  });
});

describe('importFormatOf', () => {
  it('knows the format from the file name, else from the first line', () => {
    expect(importFormatOf('extract.CSV')).toBe('csv');
    expect(importFormatOf('households.ndjson')).toBe('ndjson');
    expect(importFormatOf('dump.txt', '{"cnic":"1"}')).toBe('ndjson');
    expect(importFormatOf('dump.txt', 'cnic,filter')).toBe('csv');
  });
});
