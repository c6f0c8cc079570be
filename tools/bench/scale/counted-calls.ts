/**
 * Counted calls per household for each stage of the national chain (issue 19's plan for 35 million):
 * the registry, identity and exclusion files through the parallel import (upload to the files bucket,
 * the splitter, the import workers), activation, batch make, approve, export and results import, on a
 * fresh embedded stack in this process with every DynamoDB, SQS and S3 request and every Lambda
 * invocation counted (counted-stack.ts). Writes the raw counts per stage to a JSON file that
 * tools/cost-model/national-plan.ts reads.
 *
 *   node --import tsx tools/bench/scale/counted-calls.ts [--sizes 1000,3000] [--out bench/national-calls.json]
 *
 * Each size runs in a fresh process; two sizes give the marginal cost of a household (the plan's input).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  followImport,
  importIdFor,
  importSplitterDeps,
  issueStaffToken,
  loadSecrets,
  type PARALLEL_IMPORT_KINDS,
  uploadPrefix,
} from '@madad/adapters';
import { POPULATION_FILES, writePopulation } from '@madad/cli/lab';
import type { StaffRole } from '@madad/core';
import type { CountedRun, CountedStage, NationalCalls } from '../../cost-model/national-calls.js';
import { invocationLabel } from '../sdk-call-counter.js';
import { type CountedSnapshot, startCountedStack } from './counted-stack.js';

const MAX_LINES = 5000;
const AREAS_IN_PARALLEL = 4;
const CONSUMERS = 4;
/** Small chunks, so that even 2,000 households make several work items (the cloud's default is 8 MiB). */
const CHUNK_BYTES = 256 * 1024;
const CELL = { user: 'cell-count', roles: ['emergency-cell'] as StaffRole[] };
const MAKER = { user: 'officer-count', roles: ['program-officer'] as StaffRole[] };
const CHECKER = { user: 'approver-count', roles: ['approver'] as StaffRole[] };
type Who = typeof CELL;

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function countChain(households: number, dataDir: string): Promise<CountedRun> {
  process.env.MADAD_IMPORT_CHUNK_BYTES = String(CHUNK_BYTES);
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const load0 = loadavg()[0] ?? 0;
  const log = (line: string) => console.error(`  [count ${households}] ${line}`);
  const stack = await startCountedStack(join(dataDir, 'stack'), CONSUMERS);
  const stages: CountedStage[] = [];
  const record = (stage: string, basis: number, seconds: number, snapshot: CountedSnapshot) => {
    stages.push({ stage, households: basis, seconds, ...snapshot });
    log(`${stage}: ${basis} households in ${seconds.toFixed(1)} s`);
  };
  try {
    const { jwtSecret } = await loadSecrets();
    // `counted`: the stage's own requests, through the timed api function; otherwise bookkeeping.
    const staff = async (path: string, who: Who, init: RequestInit = {}, counted = true) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await issueStaffToken(jwtSecret, who)}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const base = counted ? stack.apiUrl : stack.bookkeepingUrl;
      return fetch(`${base}${path}`, { ...init, headers });
    };
    const json = async (response: Response, status: number, what: string) => {
      if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const popDir = join(dataDir, 'population');
    const counts = await writePopulation({ households, seed: 'national-calls', outDir: popDir });
    const file = join(popDir, POPULATION_FILES.households);
    const districts = [
      ...new Set(
        (await readFile(file, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).district),
      ),
    ].sort() as string[];
    stack.take();

    const deps = importSplitterDeps();
    const imports: [string, (typeof PARALLEL_IMPORT_KINDS)[number], string][] = [
      ['registry import', 'registry', POPULATION_FILES.households],
      ['identity import', 'identity', POPULATION_FILES.identities],
      ['exclusion import', 'exclusions', POPULATION_FILES.exclusions],
    ];
    for (const [stage, kind, name] of imports) {
      const started = performance.now();
      const key = `${uploadPrefix(kind)}count-${name}`;
      await invocationLabel.run('upload', () => deps.files.upload(key, createReadStream(join(popDir, name))));
      await stack.split(deps.files.bucket, key);
      const head = await deps.files.head(key);
      if (!head) throw new Error(`upload ${key} not found`);
      const summary = await followImport(deps, importIdFor(deps.files.bucket, key, head.etag), {
        poll: () => new Promise((r) => setTimeout(r, 500)),
      });
      await stack.settled();
      const seconds = (performance.now() - started) / 1000;
      if (summary.rejected > 0) log(`${stage}: ${summary.rejected} rejected of ${summary.lines}`);
      record(stage, households, seconds, stack.take());
      log(`  ${summary.lines} lines, ${summary.chunks} chunks, ${summary.imported} imported`);
    }

    const created = await json(
      await staff(
        '/api/v1/campaigns',
        CELL,
        {
          method: 'POST',
          body: JSON.stringify({
            name: 'National calls',
            nameUr: 'سیلاب',
            shockType: 'flood',
            areas: districts.map((district) => ({ district })),
            opensAt: new Date(Date.now() - 3600_000).toISOString(),
            closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
            rules: {
              pmtThreshold: 100,
              exclusionFilters: [],
              amounts: { topUp: 6000, newBeneficiary: 12000 },
            },
            budgetCap: 1e12,
            maxHouseholds: 1e8,
            notifyTopUps: false,
          }),
        },
        false,
      ),
      201,
      'campaign',
    );
    const campaignId = String(created.campaignId);
    stack.take();
    let started = performance.now();
    await json(
      await staff(`/api/v1/campaigns/${campaignId}/activate`, CELL, { method: 'POST' }),
      200,
      'activate',
    );
    for (;;) {
      const body = await json(
        await staff(`/api/v1/campaigns/${campaignId}/activation`, CELL, {}, false),
        200,
        'progress',
      );
      if (body.done) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await stack.settled();
    record('activation', households, (performance.now() - started) / 1000, stack.take());

    const batches: { batchId: string; lineCount: number }[] = [];
    started = performance.now();
    await inParallel(districts, AREAS_IN_PARALLEL, async (district) => {
      for (;;) {
        const made = await staff('/api/v1/payment-batches', MAKER, {
          method: 'POST',
          body: JSON.stringify({ campaignId, district, maxLines: MAX_LINES }),
        });
        if (made.status === 409) return;
        // The api function timed out (a loaded machine): the batch may still be made; ask again.
        if (made.status === 503) continue;
        await json(made, 201, `batch ${district}`);
      }
    });
    await stack.settled();
    // Every batch made, including one whose request timed out while its work went on.
    const listed = await json(
      await staff(`/api/v1/payment-batches?campaignId=${campaignId}`, MAKER, {}, false),
      200,
      'batches',
    );
    batches.push(...(listed.items as (typeof batches)[number][]));
    const lines = batches.reduce((sum, b) => sum + b.lineCount, 0);
    record('batch make', lines, (performance.now() - started) / 1000, stack.take());
    // A request that timed out (503) is asked again; a 409 then means the first one finished.
    const post = async (path: string, who: Who, status: number, init: RequestInit = {}) => {
      for (let attempt = 0; ; attempt++) {
        const response = await staff(path, who, { method: 'POST', ...init });
        if (response.status === 503 && attempt < 5) continue;
        if (response.status === 409 && attempt > 0) return {};
        return json(response, status, path);
      }
    };
    const stage = async (name: string, work: (b: (typeof batches)[number]) => Promise<void>) => {
      const begun = performance.now();
      await inParallel(batches, AREAS_IN_PARALLEL, work);
      await stack.settled();
      record(name, lines, (performance.now() - begun) / 1000, stack.take());
    };
    await stage('approve', async (b) => {
      await post(`/api/v1/payment-batches/${b.batchId}/approve`, CHECKER, 200);
    });
    await stage('export', async (b) => {
      await post(`/api/v1/payment-batches/${b.batchId}/file`, MAKER, 201);
    });
    // The bank's results file is built from the batch's lines through the bookkeeping bridge (uncounted).
    const csvs = new Map<string, string>();
    for (const b of batches) {
      const batch = (await json(
        await staff(`/api/v1/payment-batches/${b.batchId}`, CHECKER, {}, false),
        200,
        'lines',
      )) as {
        lines?: { paymentReference: string }[];
      };
      const refs = (batch.lines ?? []).map((l) => `${l.paymentReference},PAID`);
      csvs.set(b.batchId, ['paymentReference,status', ...refs].join('\n'));
    }
    stack.take();
    await stage('results import', async (b) => {
      const staged = await post(`/api/v1/payment-batches/${b.batchId}/results`, MAKER, 202, {
        body: csvs.get(b.batchId) ?? '',
        headers: { 'content-type': 'text/csv' },
      });
      await post(
        `/api/v1/payment-batches/${b.batchId}/results/${String(staged.importId)}/confirm`,
        CHECKER,
        200,
      );
    });
    return {
      households,
      members: counts.members,
      batches: batches.length,
      loadAverage: [load0, loadavg()[0] ?? 0],
      stages,
    };
  } finally {
    await stack.stop();
  }
}

/** Each size in a process of its own: the runtime's clients are bound to the first stack's endpoints. */
function runChild(size: number, out: string): Promise<void> {
  return new Promise((done, fail) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('MADAD_')),
    );
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(size), '--out', out];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`count of ${size} exited with ${code}`)),
    );
  });
}

/**
 * `npm run bench -- --scale --count [--sizes 1000,3000]`: counts the chain at each size in a fresh
 * process and writes the runs to `out` (bench/national-calls.json), with the commit they measured.
 */
export async function countNationalCalls(
  sizes: readonly number[],
  out = 'bench/national-calls.json',
): Promise<NationalCalls> {
  // The commit the children load (with whatever the tree holds uncommitted), taken before they start.
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dataDir = await mkdtemp(join(tmpdir(), 'madad-count-'));
  try {
    const runs: CountedRun[] = [];
    for (const size of sizes) {
      const part = join(dataDir, `run-${size}.json`);
      await runChild(size, part);
      runs.push(JSON.parse(await readFile(part, 'utf8')) as CountedRun);
    }
    const result: NationalCalls = {
      measuredAt: new Date().toISOString(),
      commit,
      chunkBytes: CHUNK_BYTES,
      consumersPerQueue: CONSUMERS,
      runs,
    };
    const path = resolve(out);
    await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
    // In the repository's JSON style, so that `npm run lint` passes on the committed counts.
    spawnSync(
      process.execPath,
      [resolve('node_modules/@biomejs/biome/bin/biome'), 'format', '--write', path],
      {
        stdio: 'ignore',
      },
    );
    console.error(`Wrote ${path}`);
    return result;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,3000' },
      child: { type: 'string' },
      out: { type: 'string', default: 'bench/national-calls.json' },
    },
  });
  if (values.child) {
    const dataDir = await mkdtemp(join(tmpdir(), 'madad-count-'));
    try {
      await writeFile(values.out, JSON.stringify(await countChain(Number(values.child), dataDir)));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  } else await countNationalCalls(values.sizes.split(',').map(Number), values.out);
  process.exit(0);
}
