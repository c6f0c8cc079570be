import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { batchPutAll, householdItems } from '@madad/adapters';
import { generatePopulation } from '../generate/population.js';
import { POPULATION_FILES, writePopulation } from '../generate/write-population.js';
import { importFile } from '../import/run-import.js';
import { type BenchStack, startBenchStack } from './bench-stack.js';

export interface ImportBenchOptions {
  readonly households: number;
  readonly dataDir: string;
  /** Chunks (BatchWrites) in flight, for the import and the raw reference alike; default 8. */
  readonly concurrency?: number;
  readonly seed?: string;
  /** Also import with `--skip-registry-check` (file-only duplicate check) on a fresh stack. Default true. */
  readonly fileOnly?: boolean;
  readonly log?: (line: string) => void;
}

export interface ImportRun {
  readonly seconds: number;
  readonly householdsPerSecond: number;
  readonly itemsPerSecond: number;
  /** Import rate over the raw BatchWrite rate for the same items: 1 means no overhead at all. */
  readonly ratio: number;
  /** Peak resident memory of the importing process during the import, and when it started. */
  readonly peakRssMb: number;
  readonly startRssMb: number;
  /** CPU time the importing process used (on a 2-core machine, taken from dynalite's share). */
  readonly cpuSeconds: number;
  /** Peak resident memory of the stack's process (dynalite). */
  readonly stackPeakRssMb: number | undefined;
}

export interface ImportBenchResult extends ImportRun {
  readonly households: number;
  readonly items: number;
  readonly concurrency: number;
  readonly cpus: number;
  /** 1-minute load average at the start and the end: other work on the machine skews every figure. */
  readonly loadAverage: readonly [number, number];
  readonly generateSeconds: number;
  /** Mean of the raw reference measured before and after the imports. */
  readonly rawSeconds: number;
  readonly rawSecondsBeforeAfter: readonly [number, number];
  readonly rawItemsPerSecond: number;
  /** `madad import registry --skip-registry-check`, when measured. */
  readonly fileOnly?: ImportRun;
}

/**
 * Measures `madad import registry` against the embedded stack, and in the same run the reference: the
 * embedded DynamoDB's raw BatchWrite rate for the same items at the same concurrency, each on a fresh
 * stack in its own process. The figures on top are the default import (duplicates checked against
 * the registry too); `fileOnly` is the bulk-load mode.
 */
export async function benchImport(options: ImportBenchOptions): Promise<ImportBenchResult> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 8;
  const seed = options.seed ?? 'bench';
  const households = options.households;

  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  const counts = await writePopulation({ households, seed, outDir: join(options.dataDir, 'population') });
  const generateSeconds = (performance.now() - started) / 1000;
  const items = counts.households + counts.members;
  log(`generated ${households} households (${items} items) in ${generateSeconds.toFixed(1)} s`);

  // The reference is measured before and after the imports and averaged, so that load from other
  // processes drifting during the run skews the ratio less; both are reported.
  const measureRaw = async (name: string) => {
    const run = await withStack(join(options.dataDir, name), async (stack) => {
      const rawStarted = performance.now();
      await rawBatchWrite(stack, households, seed, concurrency);
      return (performance.now() - rawStarted) / 1000;
    });
    log(`${name}: ${run.value.toFixed(1)} s, ${Math.round(items / run.value)} items/s`);
    return run.value;
  };
  const rawBefore = await measureRaw('raw-before');
  const measure = async (name: string, checkRegistry: boolean): Promise<Omit<ImportRun, 'ratio'>> => {
    const run = await withStack(join(options.dataDir, name), (stack) =>
      timedImport(
        stack,
        join(options.dataDir, 'population', POPULATION_FILES.households),
        concurrency,
        checkRegistry,
      ),
    );
    const { seconds, imported, peakRssMb, startRssMb, cpuSeconds } = run.value;
    if (imported !== households) throw new Error(`${name}: imported ${imported} of ${households} households`);
    const result = {
      seconds,
      householdsPerSecond: households / seconds,
      itemsPerSecond: items / seconds,
      peakRssMb,
      startRssMb,
      cpuSeconds,
      stackPeakRssMb: run.stackPeakRssMb,
    };
    log(`${name}: ${seconds.toFixed(1)} s, ${Math.round(result.householdsPerSecond)} households/s`);
    return result;
  };
  const checkedRun = await measure('import', true);
  const fileOnlyRun = (options.fileOnly ?? true) ? await measure('import-file-only', false) : undefined;
  const rawAfter = await measureRaw('raw-after');
  const rawSeconds = (rawBefore + rawAfter) / 2;
  const withRatio = (run: Omit<ImportRun, 'ratio'>): ImportRun => ({
    ...run,
    ratio: rawSeconds / run.seconds,
  });
  const checked = withRatio(checkedRun);
  const fileOnly = fileOnlyRun ? withRatio(fileOnlyRun) : undefined;
  return {
    households,
    items,
    concurrency,
    cpus: availableParallelism(),
    loadAverage: [loadAtStart, loadavg()[0] ?? 0],
    generateSeconds,
    rawSeconds,
    rawSecondsBeforeAfter: [rawBefore, rawAfter],
    rawItemsPerSecond: items / rawSeconds,
    ...checked,
    ...(fileOnly ? { fileOnly } : {}),
  };
}

async function withStack<T>(dataDir: string, work: (stack: BenchStack) => Promise<T>) {
  const stack = await startBenchStack(dataDir);
  try {
    const value = await work(stack);
    return { value, stackPeakRssMb: await stack.peakRssMb() };
  } finally {
    await stack.stop();
  }
}

/** The reference: the same items, generated in memory, put in BatchWrites of 25 by `concurrency` workers. */
async function rawBatchWrite(stack: BenchStack, households: number, seed: string, concurrency: number) {
  const population = generatePopulation({ households, seed });
  const pending: Record<string, unknown>[] = [];
  const take = (): Record<string, unknown>[] => {
    while (pending.length < 25) {
      const next = population.next();
      if (next.done) break;
      pending.push(...householdItems(stack.pepper, next.value.household));
    }
    return pending.splice(0, 25);
  };
  const worker = async () => {
    for (let batch = take(); batch.length > 0; batch = take())
      await batchPutAll(stack.doc, stack.table, batch);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function timedImport(stack: BenchStack, file: string, concurrency: number, checkRegistry: boolean) {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const cpu = process.cpuUsage();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  const started = performance.now();
  try {
    const target = { doc: stack.doc, table: stack.table, pepper: stack.pepper };
    const summary = await importFile({ kind: 'registry', file, target, concurrency, checkRegistry });
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - started) / 1000,
      imported: summary.imported,
      peakRssMb: peak / 2 ** 20,
      startRssMb: startRss / 2 ** 20,
      cpuSeconds: (used.user + used.system) / 1e6,
    };
  } finally {
    clearInterval(sampler);
  }
}

// `npx tsx packages/cli/src/bench/import-bench.ts --households 20000 [--concurrency 8] [--data-dir D] [--keep]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      households: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '8' },
      'data-dir': { type: 'string' },
      'no-file-only': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'madad-import-bench-')));
  try {
    const result = await benchImport({
      households: Number(values.households),
      concurrency: Number(values.concurrency),
      dataDir,
      fileOnly: !values['no-file-only'],
      log: (line) => console.error(`  ${line}`),
    });
    const { formatImportBench } = await import('./import-bench-report.js');
    console.log(values.json ? JSON.stringify(result, null, 2) : formatImportBench(result));
  } finally {
    if (!values.keep) await rm(dataDir, { recursive: true, force: true });
  }
}
