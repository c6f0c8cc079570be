import { HouseholdImportSchema, importDecoder } from '@madad/core';
import { describe, expect, it } from 'vitest';

describe('the enumerator code in registry imports', () => {
  it('reads an Enumerator_Code column of a CSV roster extract into the household', () => {
    const decoder = importDecoder('registry', { format: 'csv' });
    const lines = [
      'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,Enumerator_Code,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head,Marital_Status,Disability',
      'HH-1,Punjab,Lahore,Lahore City,21.5,2022-04-01, LHR-07 ,35202-1234567-1,Aslam,M,1980,HEAD,MARRIED,No',
    ];

    const records = [...lines.flatMap((line, i) => decoder.push(line, i + 1)), ...decoder.end()];

    expect(records[0]?.result).toMatchObject({
      ok: true,
      value: { householdId: 'HH-1', enumerator: 'LHR-07' },
    });
  });

  it('keeps the field optional, and refuses an empty or over-long code in NDJSON', () => {
    const base = {
      householdId: 'HH-2',
      province: 'Sindh',
      district: 'Dadu',
      tehsil: 'Dadu',
      pmtScore: 12,
      surveyedAt: '2021-01-01',
      programmes: [],
      members: [
        {
          cnic: '4130112345671',
          name: 'Ali',
          gender: 'male',
          birthYear: 1970,
          relation: 'head',
          maritalStatus: 'married',
          disabled: false,
        },
      ],
      phones: [],
    };

    expect(HouseholdImportSchema.safeParse(base).success).toBe(true);
    expect(HouseholdImportSchema.safeParse({ ...base, enumerator: '  ' }).success).toBe(false);
    expect(HouseholdImportSchema.safeParse({ ...base, enumerator: 'E'.repeat(41) }).success).toBe(false);
  });
});
