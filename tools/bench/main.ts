import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatBench, formatIntake } from './bench-report.js';
import { type BenchSizes, runBench, runIntakeBench } from './run-bench.js';
import { benchScale } from './scale/scale-bench.js';
import { parseSizes } from './scale/scale-report.js';

const USAGE = [
  'usage: npm run bench [-- --quick] [--households N] [--unique N] [--duplicates N] [--import-households N]',
  '                     [--concurrency C] [--consumers P] [--out DIR] [--keep] [--only intake]',
  '  Writes DIR/results.json and DIR/results.md (default DIR: bench) and prints the table.',
  '  --only intake: measures the intake phase alone, prints its figure and writes nothing.',
  '       npm run bench -- --scale [--sizes 25000,50000,100000]',
  '  --scale: file to payment file per registry size, each on a fresh stack in its own process;',
  '  writes bench-results/scale-<date>.json and .md (default size 10000).',
  '       npm run bench -- --scale --count [--sizes 1000,3000]',
  '  --count: the calls per household of each stage, counted at each size; writes bench/national-calls.json.',
].join('\n');

// Sized to finish in under 10 minutes on a fresh clone of a 2-core machine (measured: docs/performance.md).
const DEFAULT_SIZES: BenchSizes = {
  households: 10_000,
  unique: 8_000,
  duplicates: 8_000,
  importHouseholds: 8_000,
  intakeConcurrency: 32,
  pollerConcurrency: 4,
};
const QUICK_SIZES: BenchSizes = {
  households: 1_200,
  unique: 1_000,
  duplicates: 1_000,
  importHouseholds: 1_000,
  intakeConcurrency: 16,
  pollerConcurrency: 4,
};

/** `npm run bench`: every figure of issue 8 with its same-run reference, into `bench/results.*`. */
export async function benchCommand(args: string[]): Promise<number> {
  const parsed = parseBenchArgs(args);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (values.scale && values.count) {
    const sizes = values.sizes === undefined ? [1000, 3000] : parseSizes(values.sizes);
    if (sizes instanceof Error) {
      console.error(`${USAGE}\n(${sizes.message})`);
      return 2;
    }
    const { countNationalCalls } = await import('./scale/counted-calls.js');
    await countNationalCalls(sizes);
    return 0;
  }
  if (values.scale) {
    const sizes = parseSizes(values.sizes);
    if (sizes instanceof Error) {
      console.error(`${USAGE}\n(${sizes.message})`);
      return 2;
    }
    await benchScale(sizes);
    return 0;
  }
  if (values.sizes !== undefined) {
    console.error(`${USAGE}\n(--sizes goes with --scale)`);
    return 2;
  }
  const base = values.quick ? QUICK_SIZES : DEFAULT_SIZES;
  const pick = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);
  const sizes: BenchSizes = {
    households: pick(values.households, base.households),
    unique: pick(values.unique, base.unique),
    duplicates: pick(values.duplicates, base.duplicates),
    importHouseholds: pick(values['import-households'], base.importHouseholds),
    intakeConcurrency: pick(values.concurrency, base.intakeConcurrency),
    pollerConcurrency: pick(values.consumers, base.pollerConcurrency),
  };
  if (values.only !== undefined && values.only !== 'intake') {
    console.error(`${USAGE}\n(--only takes one phase: intake)`);
    return 2;
  }
  if (Object.values(sizes).some((v) => !Number.isInteger(v) || v < 1) || sizes.unique > sizes.households) {
    console.error(`${USAGE}\n(--unique must not exceed --households)`);
    return 2;
  }
  console.error(
    `Bench sizes: ${sizes.households} households, ${sizes.unique} unique + ${sizes.duplicates} duplicate registrations, ` +
      `${sizes.importHouseholds} households imported, ${sizes.intakeConcurrency} connections, ${sizes.pollerConcurrency} consumers per queue`,
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'madad-bench-'));
  try {
    const log = (line: string) => console.error(`  ${line}`);
    if (values.only === 'intake') {
      const intake = await runIntakeBench(dataDir, sizes, log);
      console.log(formatIntake(intake));
      console.log(JSON.stringify(intake));
      return 0;
    }
    const result = await runBench(dataDir, sizes, log);
    const outDir = resolve(values.out);
    await mkdir(outDir, { recursive: true });
    const json = join(outDir, 'results.json');
    await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
    // In the repository's JSON style, so that `npm run lint` passes on the committed figures.
    spawnSync(
      process.execPath,
      [resolve('node_modules/@biomejs/biome/bin/biome'), 'format', '--write', json],
      {
        stdio: 'ignore',
      },
    );
    await writeFile(join(outDir, 'results.md'), formatBench(result, true));
    console.log(formatBench(result));
    console.error(`Wrote ${json} and ${join(outDir, 'results.md')}`);
    return 0;
  } finally {
    if (values.keep) console.error(`Kept the bench data in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

function parseBenchArgs(args: string[]) {
  try {
    const parsed = parseArgs({
      args,
      options: {
        help: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        households: { type: 'string' },
        unique: { type: 'string' },
        duplicates: { type: 'string' },
        'import-households': { type: 'string' },
        concurrency: { type: 'string' },
        consumers: { type: 'string' },
        out: { type: 'string', default: 'bench' },
        keep: { type: 'boolean', default: false },
        only: { type: 'string' },
        scale: { type: 'boolean', default: false },
        count: { type: 'boolean', default: false },
        sizes: { type: 'string' },
      },
    });
    if (!parsed.values.help) return parsed;
    console.log(USAGE);
    return 0;
  } catch (error) {
    console.error(`${USAGE}\n(${(error as Error).message})`);
    return 2;
  }
}

// `npm run bench` runs this file: the lab is not a command of the product's CLI.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await benchCommand(process.argv.slice(2));
}
