import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

const BIN = new URL('../../packages/cli/bin/madad.js', import.meta.url).pathname;

let t: TestStack;
let dir: string;

/** Runs `madad ARGS` (the installed command) against the test's running stack. */
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

// A gazetteer update as a statistics office would send it: a new district (Kasur, with PBS codes and
// Urdu names) and Jacobabad again with its tehsil Thul spelled Thull, under a new Urdu name.
const AREAS = [
  'Province,District,Tehsil,District_Code,Tehsil_Code,District_Urdu,Tehsil_Urdu',
  'Punjab,Kasur,Kasur,3509,350901,قصور,قصور',
  'Punjab,Kasur,Chunian,3509,350902,قصور,چونیاں',
  'Punjab,Kasur,Pattoki,3509,350903,قصور,پتوکی',
  'Punjab,Kasur,Kot Radha Kishan,3509,350904,قصور,کوٹ رادھا کشن',
  'Sindh,Jacobabad,Jacobabad,,,,',
  'Sindh,Jacobabad,Garhi Khairo,,,,',
  'Sindh,Jacobabad,Thull,,,,ٹھل نیا',
];

const declare = (areas: unknown) =>
  t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Sutlej floods',
      nameUr: 'ستلج سیلاب',
      shockType: 'flood',
      areas,
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: { pmtThreshold: 32, exclusionFilters: [], amounts: { topUp: 6000, newBeneficiary: 12000 } },
      budgetCap: 1_000_000_000,
      maxHouseholds: 1000,
    }),
  });

beforeAll(async () => {
  t = await startTestStack();
  dir = await mkdtemp(join(tmpdir(), 'madad-gazetteer-'));
  await writeFile(join(dir, 'areas.csv'), `${AREAS.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('madad import areas (the gazetteer as data, on the embedded stack)', () => {
  it('adds a district and renames a tehsil without a code change; campaigns see both', async () => {
    // Act
    const run = await madad(['import', 'areas', join(dir, 'areas.csv'), '--json']);

    // Assert
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ kind: 'areas', imported: 7, rejected: 0 });
    const kasur = await declare([{ district: 'Kasur', tehsils: ['chunian', 'Pattoki'] }]);
    expect(kasur.status).toBe(201);
    expect(((await kasur.json()) as { areas: unknown }).areas).toEqual([
      { district: 'Kasur', tehsils: ['Chunian', 'Pattoki'] },
    ]);
    expect((await declare([{ district: 'Jacobabad', tehsils: ['Thull'] }])).status).toBe(201);
    // Districts the file did not name are as they were
    expect((await declare([{ district: 'Dadu', tehsils: ['Johi'] }])).status).toBe(201);
  });

  it('shows the renamed tehsil on the public form, under its new Urdu name on the Urdu page, and accepts it', async () => {
    // Arrange: the areas file above imported (again, if the first test ran: an import is idempotent)
    expect((await madad(['import', 'areas', join(dir, 'areas.csv'), '--json'])).code).toBe(0);
    const page = async (path: string) => (await fetch(`${t.stack.httpUrl}${path}`)).text();
    const tehsils = (html: string) => html.match(/<select id="tehsil"[\s\S]*?<\/select>/)?.[0] ?? '';

    // Act
    const english = tehsils(await page('/'));
    const urdu = tehsils(await page('/?lang=ur'));
    const registered = await fetch(`${t.stack.httpUrl}/api/v1/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cnic: '42101-1234567-3',
        phone: '0300 1234567',
        district: 'Jacobabad',
        tehsil: 'Thull',
      }),
    });

    // Assert
    expect(english).toContain('<option value="Thull">Thull</option>');
    expect(english).not.toContain('<option value="Thul">');
    expect(urdu).toContain('<option value="Thull">ٹھل نیا</option>');
    expect(urdu).toContain('<option value="Chunian">چونیاں</option>');
    expect(registered.status).toBe(202);
  });

  it('refuses an unknown tehsil with a 400 that names the nearest known ones', async () => {
    const response = await declare([
      { district: 'Jacobabad', tehsils: ['Thul'] },
      { district: 'Kasur', tehsils: ['Chunia'] },
    ]);

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; details: { areas: unknown[] } } };
    expect(body.error.message).toMatch(/unknown tehsil "Thul" in district Jacobabad; did you mean Thull/);
    expect(body.error.details.areas).toEqual([
      expect.objectContaining({ path: 'areas.0.tehsils.0', suggestions: expect.arrayContaining(['Thull']) }),
      expect.objectContaining({
        path: 'areas.1.tehsils.0',
        suggestions: expect.arrayContaining(['Chunian']),
      }),
    ]);
  });
});
