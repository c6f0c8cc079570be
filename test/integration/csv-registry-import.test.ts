import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayDelivery, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

const BIN = new URL('../../packages/cli/bin/madad.js', import.meta.url).pathname;

let t: TestStack;
let dir: string;

/** Runs `madad ARGS` (the installed command) against the test's running stack, as an operator would. */
function madad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MADAD_DATA_DIR: t.stack.dataDir, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A roster extract as a registry hands it over: one row per member, household columns repeated, codes
// in capitals (M/F, HEAD, MARRIED, Yes/No) and, in one household, numeric codes a mapping explains.
const HEADER =
  'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,Programme,Mobile,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head,Marital_Status,Disability';
const ROWS = [
  'CSV-1,SINDH,Jacobabad,THUL,18.5,2022-05-01,,0300-7770001,41503-7770001-1,Ghulam Nabi,M,1978,HEAD,MARRIED,No',
  'CSV-1,SINDH,Jacobabad,THUL,18.5,2022-05-01,,0300-7770001,41503-7770002-2,Zainab,F,1982,WIFE,MARRIED,No',
  'CSV-1,SINDH,Jacobabad,THUL,18.5,2022-05-01,,0300-7770001,41503-7770003-3,Ali,M,2008,SON,SINGLE,Yes',
  'CSV-2,Sindh,Jacobabad,Thul,61,2022-05-01,,0300-7770004,41503-7770004-4,Rasool Bux,M,1970,HEAD,MARRIED,No',
  'CSV-3,Sindh,Jacobabad,Garhi Khairo,22,2022-05-01,,0300-7770005,41503-7770005-5,Sakina,2,1965,1,3,0',
  'CSV-4,Sindh,Jacobabad,Thul,20,2022-05-01,,0300-7770006,41503-7770006-6,Bashir,X,1990,HEAD,MARRIED,No',
  `CSV-5,Sindh,Jacobabad,Thul,20,2022-05-01,,0300-7770007,41503-7770007-7,${'A'.repeat(3000)},M,1990,HEAD,MARRIED,No`,
];
const CODES = {
  gender: { '1': 'male', '2': 'female' },
  relation: { '1': 'head' },
  maritalStatus: { '3': 'widowed' },
};
const IDENTITY = [
  'CNIC,Name,Gender,Birth_Year,Status,SIM_Phones',
  ...[
    ['41503-7770001-1', 'Ghulam Nabi', 'M', 1978],
    ['41503-7770002-2', 'Zainab', 'F', 1982],
    ['41503-7770003-3', 'Ali', 'M', 2008],
    ['41503-7770004-4', 'Rasool Bux', 'M', 1970],
    ['41503-7770005-5', 'Sakina', 'F', 1965],
  ].map(([cnic, name, sex, year]) => `${cnic},${name},${sex},${year},Alive,`),
];

beforeAll(async () => {
  t = await startTestStack({ seed: false });
  dir = await mkdtemp(join(tmpdir(), 'madad-csv-import-'));
  await writeFile(join(dir, 'extract.csv'), `\uFEFF${[HEADER, ...ROWS].join('\r\n')}\r\n`);
  await writeFile(join(dir, 'codes.json'), JSON.stringify(CODES));
  await writeFile(join(dir, 'identity.csv'), `${IDENTITY.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

const extract = () => join(dir, 'extract.csv');
const repliesTo = (phone: string): Promise<GatewayDelivery[]> => listSmsGatewayDeliveries(t.stack.env, phone);

async function decisionFor(messageId: string, from: string) {
  return waitFor(
    async () => {
      const response = await t.staff(
        `/api/v1/registrations?messageId=${messageId}&from=${encodeURIComponent(from)}`,
        ['program-officer'],
      );
      if (response.status !== 200) return undefined;
      const body = (await response.json()) as { decision?: { status: string; reasons: string[] } };
      return body.decision;
    },
    60_000,
    `the decision on ${messageId}`,
  );
}

describe('madad import registry extract.csv (a coded CSV registry extract, end to end)', () => {
  it('dry run: counts, the top reasons for rejects with their first line, and nothing written', async () => {
    // Act
    const run = await madad([
      'import',
      'registry',
      extract(),
      '--codes',
      join(dir, 'codes.json'),
      '--max-line-length',
      '2000',
      '--dry-run',
      '--json',
    ]);

    // Assert
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+/m);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      dryRun: true,
      format: 'csv',
      imported: 3,
      rejected: 2,
      rejectedByReason: { UNKNOWN_CODE: 1, LINE_TOO_LONG: 1 },
      examples: { UNKNOWN_CODE: { line: 7 }, LINE_TOO_LONG: { line: 8 } },
    });
    const household = await t.staff('/api/v1/households/CSV-1', ['program-officer']);
    expect(household.status).toBe(404);
  });

  it('imports the households, then each is decided by SMS under a campaign over its tehsils', async () => {
    // Arrange: the extract and the ID authority's CSV imported through the command
    const registry = await madad([
      'import',
      'registry',
      extract(),
      '--codes',
      join(dir, 'codes.json'),
      '--max-line-length',
      '2000',
    ]);
    expect(registry.code).toBe(0);
    expect(registry.stdout).toMatch(/imported\s+3 households/);
    expect(registry.stdout).toMatch(
      /UNKNOWN_CODE\s+1\s+first on line 7: members\.0\.gender: "X" is not a known code/,
    );
    const identity = await madad(['import', 'identity', join(dir, 'identity.csv'), '--json']);
    expect(JSON.parse(identity.stdout)).toMatchObject({ imported: 5, rejected: 0 });
    const stored = (await (await t.staff('/api/v1/households/CSV-1', ['program-officer'])).json()) as {
      members: { relation: string; gender: string; disabled: boolean }[];
    };
    expect(stored.members.map((m) => [m.relation, m.gender, m.disabled])).toEqual([
      ['head', 'male', false],
      ['spouse', 'female', false],
      ['child', 'male', true],
    ]);
    const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({
        name: 'Jacobabad floods',
        nameUr: 'جیکب آباد سیلاب',
        shockType: 'flood',
        areas: [{ district: 'Jacobabad', tehsils: ['Thul', 'Garhi Khairo'] }],
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
        budgetCap: 1_000_000_000,
        maxHouseholds: 1000,
      }),
    });
    expect(created.status).toBe(201);
    const { campaignId } = (await created.json()) as { campaignId: string };
    expect(
      (await t.staff(`/api/v1/campaigns/${campaignId}/activate`, ['emergency-cell'], { method: 'POST' }))
        .status,
    ).toBe(200);

    // Act: a member of each household texts a CNIC from the household's phone
    await t.sms({ from: '+923007770001', text: '41503-7770002-2', messageId: 'csv-sms-1' });
    await t.sms({ from: '+923007770004', text: '41503-7770004-4', messageId: 'csv-sms-2' });
    await t.sms({ from: '+923007770005', text: '41503-7770005-5', messageId: 'csv-sms-3' });

    // Assert: decided from the imported extract, and answered
    expect(await decisionFor('csv-sms-1', '+923007770001')).toMatchObject({ status: 'ELIGIBLE' });
    expect(await decisionFor('csv-sms-2', '+923007770004')).toMatchObject({
      status: 'NOT_ELIGIBLE',
      reasons: expect.arrayContaining(['SCORE_ABOVE_THRESHOLD']),
    });
    expect(await decisionFor('csv-sms-3', '+923007770005')).toMatchObject({ status: 'ELIGIBLE' });
    const reply = await waitFor(
      async () => (await repliesTo('+923007770001'))[0],
      30_000,
      'the reply to csv-sms-1',
    );
    expect(reply.text).toMatch(/^Madad: /);
  });
});
