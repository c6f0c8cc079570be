import { readFileSync } from 'node:fs';
import {
  type AreaRecord,
  builtInAreaRecords,
  builtInGazetteer,
  type CampaignInput,
  CampaignInputSchema,
  type CampaignServiceDeps,
  cachedGazetteer,
  createCampaign,
  Gazetteer,
  type GazetteerDistrict,
  importDecoder,
  nearestNames,
  ValidationError,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryAuditLog } from '../support/audit-fakes.js';

const KASUR: AreaRecord[] = ['Kasur', 'Chunian', 'Pattoki', 'Kot Radha Kishan'].map((tehsil, i) => ({
  province: 'Punjab',
  district: 'Kasur',
  tehsil,
  districtCode: '3509',
  tehsilCode: `35090${i + 1}`,
  districtUr: 'قصور',
  cnicCode: 3,
}));

const campaignInput = (areas: CampaignInput['areas']): CampaignInput =>
  CampaignInputSchema.parse({
    name: 'Floods 2026',
    nameUr: 'سیلاب ۲۰۲۶',
    shockType: 'flood',
    areas,
    opensAt: '2026-08-01T00:00:00Z',
    closesAt: '2026-10-01T00:00:00Z',
    rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
    budgetCap: 1_000_000,
    maxHouseholds: 100,
  });

/** Campaign deps in memory whose gazetteer is `districts` (what an areas import stored). */
function deps(districts: readonly GazetteerDistrict[]): CampaignServiceDeps {
  const saved = new Map<string, unknown>();
  const clock = { now: () => new Date('2026-08-02T09:00:00Z') };
  return {
    campaigns: {
      get: async () => undefined,
      list: async () => [],
      save: async (c) => void saved.set(c.campaignId, c),
      saveRuleSet: async () => undefined,
    },
    activationQueue: { enqueueAll: async () => undefined },
    audit: memoryAuditLog().log,
    clock,
    gazetteer: cachedGazetteer({ readDistricts: async () => [...districts] }, clock, builtInGazetteer),
  };
}

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe('the built-in gazetteer (the default areas file)', () => {
  it('holds every district and tehsil of the built-in list with its CNIC digit and Urdu names', () => {
    const records = builtInAreaRecords();
    const provinces = builtInGazetteer().provinces();
    const tehsils = provinces.flatMap((p) => p.districts.flatMap((d) => d.tehsils));

    expect(records).toHaveLength(tehsils.length);
    expect(records).toHaveLength(290);
    expect(records.find((r) => r.tehsil === 'Thul')).toMatchObject({
      province: 'Sindh',
      district: 'Jacobabad',
      cnicCode: 4,
      districtUr: 'جیکب آباد',
    });
    expect(provinces.map((p) => p.name)).toEqual([...new Set(records.map((r) => r.province))]);
  });
});

describe('the shipped areas file (packages/core/src/registry/gazetteer/pakistan-areas.csv)', () => {
  it('is the built-in gazetteer, line for line, and reads as an areas import without a reject', () => {
    // Arrange: the file an operator copies, edits and imports with `madad import areas`
    const text = readFileSync(
      new URL('../../packages/core/src/registry/gazetteer/pakistan-areas.csv', import.meta.url),
      'utf8',
    );
    const decoder = importDecoder('areas', { format: 'csv' });

    // Act
    const records = [
      ...text.split('\n').flatMap((raw, i) => (raw === '' ? [] : decoder.push(raw, i + 1))),
      ...decoder.end(),
    ];

    // Assert
    expect(records.filter((r) => !r.result.ok)).toEqual([]);
    expect(records.map((r) => r.result.ok && r.result.value)).toEqual(builtInAreaRecords());
  });
});

describe('Gazetteer', () => {
  it('names the nearest known tehsils of the district when a tehsil is unknown', () => {
    const result = builtInGazetteer().resolve('Sindh', 'Jacobabad', 'Thull');

    expect(result).toMatchObject({ ok: false, suggestions: expect.arrayContaining(['Thul']) });
    expect(result.ok === false && result.message).toMatch(
      /unknown tehsil "Thull" in district Jacobabad; did you mean Thul/,
    );
  });

  it('names the nearest districts when a district is unknown', () => {
    expect(nearestNames('Jacobabd', ['Lahore', 'Jacobabad', 'Jhang'])[0]).toBe('Jacobabad');
    expect(builtInGazetteer().checkDistricts([{ district: 'Muzafargarh' }])).toMatchObject({
      ok: false,
      problems: [{ path: 'areas.0.district', suggestions: expect.arrayContaining(['Muzaffargarh']) }],
    });
  });

  it('takes a new district from its records, codes and Urdu names included', () => {
    const gazetteer = Gazetteer.fromRecords([...builtInAreaRecords(), ...KASUR]);

    expect(gazetteer.resolve('punjab', 'KASUR', 'chunian')).toEqual({
      ok: true,
      province: 'Punjab',
      district: 'Kasur',
      tehsil: 'Chunian',
      cnicCode: 3,
    });
    expect(gazetteer.nameUr('Kasur')).toBe('قصور');
    expect(gazetteer.districts.find((d) => d.district === 'Kasur')?.tehsils[1]).toEqual({
      name: 'Chunian',
      code: '350902',
    });
  });
});

describe('createCampaign checks its areas against the gazetteer in force', () => {
  it('declares a campaign over a district an areas import added, without a code change', async () => {
    const withKasur = Gazetteer.fromRecords([...builtInAreaRecords(), ...KASUR]).districts;

    const campaign = await createCampaign(
      deps(withKasur),
      campaignInput([{ district: 'kasur', tehsils: ['pattoki'] }]),
      'cell',
    );

    expect(campaign.areas).toEqual([{ district: 'Kasur', tehsils: ['Pattoki'] }]);
  });

  it('refuses the same district while the gazetteer does not know it, naming the nearest', async () => {
    const error = await refusal(createCampaign(deps([]), campaignInput([{ district: 'Kasur' }]), 'cell'));

    expect(error.status).toBe(400);
    expect(error.message).toMatch(/unknown district "Kasur"; did you mean/);
  });

  it('accepts a renamed tehsil and refuses its old name once the district is imported again', async () => {
    const renamed = Gazetteer.fromRecords([
      ...builtInAreaRecords().filter((r) => r.district !== 'Jacobabad'),
      ...['Jacobabad', 'Garhi Khairo', 'Thull'].map((tehsil) => ({
        province: 'Sindh',
        district: 'Jacobabad',
        tehsil,
        cnicCode: 4,
      })),
    ]).districts;

    const campaign = await createCampaign(
      deps(renamed),
      campaignInput([{ district: 'Jacobabad', tehsils: ['Thull'] }]),
      'cell',
    );
    const error = await refusal(
      createCampaign(deps(renamed), campaignInput([{ district: 'Jacobabad', tehsils: ['Thul'] }]), 'cell'),
    );

    expect(campaign.areas).toEqual([{ district: 'Jacobabad', tehsils: ['Thull'] }]);
    expect(error.details).toEqual({
      areas: [
        {
          path: 'areas.0.tehsils.0',
          message: expect.stringMatching(/did you mean Thull/),
          suggestions: expect.arrayContaining(['Thull']),
        },
      ],
    });
  });
});

describe('cachedGazetteer', () => {
  it('reads the store once per lifetime and again after it', async () => {
    let reads = 0;
    let now = Date.parse('2026-08-02T09:00:00Z');
    const reader = cachedGazetteer(
      {
        readDistricts: async () => {
          reads++;
          return [];
        },
      },
      { now: () => new Date(now) },
      builtInGazetteer,
      60_000,
    );

    await reader.current();
    await reader.current();
    now += 60_000;
    await reader.current();

    expect(reads).toBe(2);
  });

  it('answers the last gazetteer read when a refresh fails, and reads again at the next call', async () => {
    // Arrange: a store that holds an imported gazetteer, then fails once (a throttled Query)
    const imported = Gazetteer.fromRecords([...builtInAreaRecords(), ...KASUR]).districts;
    const answers: (() => Promise<GazetteerDistrict[]>)[] = [
      async () => [...imported],
      async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      async () => [...imported],
    ];
    let reads = 0;
    let now = Date.parse('2026-08-02T09:00:00Z');
    const reader = cachedGazetteer(
      {
        readDistricts: () => {
          const answer = answers[reads++];
          if (!answer) throw new Error('read more often than the test expects');
          return answer();
        },
      },
      { now: () => new Date(now) },
      builtInGazetteer,
      60_000,
    );
    await reader.current();
    now += 60_000;

    // Act
    const duringFailure = await reader.current();
    const next = await reader.current();

    // Assert
    expect(duringFailure.nameUr('Kasur')).toBe('قصور');
    expect(next.nameUr('Kasur')).toBe('قصور');
    expect(reads).toBe(3);
  });
});
