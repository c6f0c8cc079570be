import {
  batchPutAll,
  DynamoDbQualityStore,
  drawBackCheckSampleJob,
  dynamoGazetteerStore,
  householdItems,
  identityItem,
  importBackCheckResultsJob,
  inviteDueHouseholdsJob,
  type QualityJobContext,
  runRegistryHealthJob,
} from '@madad/adapters';
import { builtInGazetteer, type HouseholdImport, type OutboundSms } from '@madad/core';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/env.js';
import { type RegistryTable, startRegistryTable } from './registry-table.js';

const pepper = TEST_SECRETS.pepper;
const cnic = (i: number, member: number) =>
  `35202${String(i * 10 + member).padStart(7, '0')}${member % 2 === 0 ? 2 : 1}`;

/** 120 households in two districts; every 20th surveyed in 2020 (due), E3's heads recorded born 1900. */
function household(i: number): HouseholdImport {
  const enumerator = `E${i % 4}`;
  return {
    householdId: `HH-Q-${String(i).padStart(4, '0')}`,
    province: 'Punjab',
    district: i % 3 === 0 ? 'Multan' : 'Lahore',
    tehsil: i % 3 === 0 ? 'Multan City' : 'Lahore City',
    pmtScore: 20 + (i % 30),
    surveyedAt: i % 20 === 0 ? '2020-02-01' : '2024-02-01',
    programmes: [],
    members: [
      {
        cnic: cnic(i, 1),
        name: `Head ${i}`,
        gender: 'male',
        birthYear: enumerator === 'E3' ? 1900 : 1970,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
      {
        cnic: cnic(i, 2),
        name: `Wife ${i}`,
        gender: 'female',
        birthYear: 1975,
        relation: 'spouse',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
    phones: [`+92300${String(1_000_000 + i)}`],
    source: 'survey',
    enumerator,
  };
}

let registry: RegistryTable;
let ctx: QualityJobContext;
const sent: OutboundSms[] = [];

beforeAll(async () => {
  registry = await startRegistryTable();
  const items = Array.from({ length: 120 }, (_, i) => householdItems(pepper, household(i))).flat();
  const dead = identityItem(pepper, {
    cnic: cnic(7, 1),
    name: 'Head 7',
    gender: 'male',
    birthYear: 1970,
    status: 'DECEASED',
    simPhones: [],
  });
  await batchPutAll(registry.doc, registry.table, [...items, dead]);
  ctx = {
    doc: registry.doc,
    registryTable: registry.table,
    operationsTable: registry.table,
    replies: { enqueue: async (replies) => void sent.push(...replies) },
    now: () => new Date('2026-12-07T09:00:00Z'),
  };
}, 120_000);
afterAll(async () => {
  await registry?.stop();
});

describe('quality jobs on the embedded DynamoDB', () => {
  it('stores the registry health report the console reads by key', async () => {
    const report = await runRegistryHealthJob(ctx);

    const stored = await new DynamoDbQualityStore(registry.doc, registry.table).healthReport();
    expect(stored).toEqual(report);
    expect(report.households).toBe(120);
    expect(report.staleSurveys.households).toBe(6);
    expect(report.deceasedHeads).toEqual({ households: 1, examples: ['HH-Q-0007'] });
    expect(report.completeness.find((c) => c.field === 'enumerator')).toMatchObject({
      filled: 120,
      total: 120,
    });
  });

  it('round-trips a back-check: the same seed draws the same sample, the results give rates and flag E3', async () => {
    // Arrange: draw twice with one seed
    const spec = { seed: 'walk-r1', by: 'district', confidence: 0.95, margin: 0.1 } as const;
    const first = await drawBackCheckSampleJob(ctx, spec);
    const again = await drawBackCheckSampleJob(ctx, spec);
    expect(again.sample.households).toEqual(first.sample.households);
    expect(again.csv).toBe(first.csv);

    // The validator fills the file with what it finds: every head truly born in 1970
    const rows: Record<string, string>[] = parse(first.csv, { columns: true });
    const filled = rows.map((row) => ({
      ...row,
      memberCount: '2',
      headGender: 'M',
      headBirthYear: '1970',
      headMaritalStatus: 'married',
      disabledMembers: '0',
      phone: '',
    }));
    const text = `\uFEFF${stringify(filled, { header: true, record_delimiter: '\r\n' })}${first.sample.sampleId},LAHORE,HH-NOT-DRAWN,,,,,,,2,M,1970,married,0,\r\n`;

    // Act
    const { report, rejected } = await importBackCheckResultsJob(ctx, {
      sampleId: first.sample.sampleId,
      text,
    });

    // Assert: only E3's birth years are wrong, a quarter of the households
    const birth = report.fields.find((f) => f.field === 'headBirthYear')?.overall;
    const e3 = rows.filter((r) => r.enumerator === 'E3').length;
    expect(report.visited).toBe(rows.length);
    expect(birth?.errors).toBe(e3);
    expect(birth?.lower).toBeLessThan(0.25);
    expect(birth?.upper).toBeGreaterThan(0.25);
    expect(report.fields.find((f) => f.field === 'headGender')?.overall.errors).toBe(0);
    expect(report.outliers.map((o) => `${o.kind} ${o.unit}`)).toEqual(['enumerator E3']);
    expect(rejected).toEqual([{ line: rows.length + 2, reason: 'HH-NOT-DRAWN is not in the sample' }]);
    expect(
      await new DynamoDbQualityStore(registry.doc, registry.table).sampleReport(first.sample.sampleId),
    ).toEqual(report);
  });

  it('invites each household due for an update once, in Urdu script when its phone never wrote', async () => {
    const first = await inviteDueHouseholdsJob(ctx, { round: '2026', olderThanYears: 4, limit: 100 });
    const second = await inviteDueHouseholdsJob(ctx, { round: '2026', olderThanYears: 4, limit: 100 });

    expect(first).toEqual({ due: 6, invited: 6, alreadyInvited: 0, withoutPhone: 0 });
    expect(second).toEqual({ due: 6, invited: 0, alreadyInvited: 6, withoutPhone: 0 });
    expect(sent).toHaveLength(6);
    expect(sent.map((s) => s.id).sort()).toContain('update-2026-HH-Q-0000');
    expect(sent[0]?.text).toMatch(/^مدد: آپ کے گھر کی معلومات 2020 کے سروے کی ہیں/);
  });
});

describe('update invitations name the tehsil as the stored gazetteer does', () => {
  it('writes the Urdu tehsil name an imported areas file gave, not the built-in one', async () => {
    // Arrange: an areas import gave Lahore City a new Urdu name (stored as the districts are)
    const lahore = builtInGazetteer().districts.find((d) => d.district === 'Lahore');
    if (!lahore) throw new Error('the built-in gazetteer has no Lahore');
    const renamed = lahore.tehsils.map((t) =>
      t.name === 'Lahore City' ? { ...t, nameUr: 'شہر لاہور نیا' } : t,
    );
    await dynamoGazetteerStore(registry.doc, registry.table).writeDistricts([
      { ...lahore, tehsils: renamed },
    ]);

    // Act
    await inviteDueHouseholdsJob(ctx, { round: '2027', olderThanYears: 4, limit: 100 });

    // Assert: households 20, 40, 80 and 100 are in Lahore City (60 and 0 in Multan City)
    const lahoreCity = sent.filter((s) => /^update-2027-HH-Q-0(020|040|080|100)$/.test(s.id));
    expect(lahoreCity).toHaveLength(4);
    for (const sms of lahoreCity) expect(sms.text).toContain('تحصیل شہر لاہور نیا');
  });
});
