import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../packages/cli/bin/madad.js', import.meta.url).pathname;
const STACK_TRACE = /^\s+at .+:\d+/m;

let dataDir: string;

/** Runs the installed `madad` command (bin/madad.js and its esbuild bundle) as an operator would. */
function madad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, MADAD_DATA_DIR: dataDir, NODE_OPTIONS: '' },
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

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'madad-cli-bin-'));
  // The first call may build the bundle (the sources changed since the last build): not timed here.
  await madad(['--help']);
}, 180_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the madad command (bin/madad.js and its bundle)', () => {
  it('prints the command list on --help with exit 0 and nothing on stderr', async () => {
    const { code, stdout, stderr } = await madad(['--help']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^COMMANDS$/m);
    expect(stdout).toMatch(/^\s+import\s/m);
  }, 60_000);

  it('refuses an unknown flag with the usage and exit 2, without a stack trace', async () => {
    const { code, stdout, stderr } = await madad(['import', 'registry', 'x.ndjson', '--bogus']);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^madad import: Unknown option '--bogus'/);
    expect(stderr).not.toMatch(STACK_TRACE);
  }, 60_000);

  it('prints a failure as one line, with no warning (import no longer loads node:sqlite)', async () => {
    const { code, stderr } = await madad(['import', 'registry', 'households.ndjson']);

    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `No running local stack found in ${dataDir}: start it with npm start, or set MADAD_DYNAMODB_ENDPOINT ` +
        'and the MADAD_TABLE_* variables to import elsewhere.',
    );
  }, 60_000);

  it('reports as one JSON document on stdout with --json, and no warning on stderr', async () => {
    const out = join(dataDir, 'generated');

    const { code, stdout, stderr } = await madad(['generate', '--households', '3', '--out', out, '--json']);

    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ households: 3, seed: '1' });
    expect((await readFile(report.files.households, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(stderr).not.toMatch(/Warning|at .+:\d+/);
  }, 60_000);
});
