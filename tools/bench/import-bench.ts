import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { batchPutAll, householdItems, importFile } from '@madad/adapters';
import { generatePopulation, POPULATION_FILES, writePopulation } from '@madad/cli/lab';
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
  /**
   * The same ratio in CPU time of the stack's process (raw over import): how much more work the import
   * gives DynamoDB per item. Unlike wall-clock time, it barely moves when other work shares the machine.
   */
  readonly cpuRatio: number;
  /** CPU time the stack's process (dynalite) used during the import. */
  readonly stackCpuSeconds: number;
  /** CPU time the importing process used (on a 2-core machine, taken from dynalite's share). */
  readonly cpuSeconds: number;
  /** Peak resident memory of the importing process during the import, and when it started. */
  readonly peakRssMb: number;
  readonly startRssMb: number;
  /** Peak resident memory of the stack's process (dynalite). */
  readonly stackPeakRssMb: number | undefined;
}

export interface ImportBenchResult extends ImportRun {
  readonly households: number;
  readonly items: number;
  readonly concurrency: number;
  readonly cpus: number;
  /** 1-minute load average at the start and the end: other work on the machine skews wall-clock figures. */
  readonly loadAverage: readonly [number, number];
  readonly generateSeconds: number;
  /** Mean of the raw reference measured before and after the imports. */
  readonly rawSeconds: number;
  readonly rawSecondsBeforeAfter: readonly [number, number];
  readonly rawItemsPerSecond: number;
  readonly rawStackCpuSeconds: number;
  /** `madad import registry --skip-registry-check`, when measured. */
  readonly fileOnly?: ImportRun;
}

interface Phase<T> {
  readonly value: T;
  readonly seconds: number;
  readonly stackCpuSeconds: number;
  readonly stackPeakRssMb: number | undefined;
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

  const generated = performance.now();
  const counts = await writePopulation({ households, seed, outDir: join(options.dataDir, 'population') });
  const generateSeconds = (performance.now() - generated) / 1000;
  const items = counts.households + counts.members;
  log(`generated ${households} households (${items} items) in ${generateSeconds.toFixed(1)} s`);
  const file = join(options.dataDir, 'population', POPULATION_FILES.households);

  const raw = (name: string) =>
    inStack(join(options.dataDir, name), (stack) => rawBatchWrite(stack, households, seed, concurrency));
  const load = (name: string, checkRegistry: boolean) =>
    inStack(join(options.dataDir, name), async (stack) => {
      const run = await importWithMetrics(stack, file, concurrency, checkRegistry);
      if (run.imported !== households)
        throw new Error(`${name}: imported ${run.imported} of ${households} households`);
      return run;
    });
  const report = (name: string, phase: Phase<unknown>) =>
    log(
      `${name}: ${phase.seconds.toFixed(1)} s, ${Math.round(items / phase.seconds)} items/s, stack CPU ${phase.stackCpuSeconds.toFixed(1)} s`,
    );

  // The reference runs before and after the imports and is averaged, so that load from other
  // processes drifting during the run skews the ratio less; both are reported.
  const rawBefore = await raw('raw-before');
  report('raw-before', rawBefore);
  const checked = await load('import', true);
  report('import', checked);
  const fileOnly = (options.fileOnly ?? true) ? await load('import-file-only', false) : undefined;
  if (fileOnly) report('import-file-only', fileOnly);
  const rawAfter = await raw('raw-after');
  report('raw-after', rawAfter);

  const rawSeconds = (rawBefore.seconds + rawAfter.seconds) / 2;
  const rawStackCpuSeconds = (rawBefore.stackCpuSeconds + rawAfter.stackCpuSeconds) / 2;
  const summarize = (phase: Phase<ImportMetrics>): ImportRun => ({
    seconds: phase.seconds,
    householdsPerSecond: households / phase.seconds,
    itemsPerSecond: items / phase.seconds,
    ratio: rawSeconds / phase.seconds,
    cpuRatio: rawStackCpuSeconds / phase.stackCpuSeconds,
    stackCpuSeconds: phase.stackCpuSeconds,
    cpuSeconds: phase.value.cpuSeconds,
    peakRssMb: phase.value.peakRssMb,
    startRssMb: phase.value.startRssMb,
    stackPeakRssMb: phase.stackPeakRssMb,
  });
  return {
    households,
    items,
    concurrency,
    cpus: availableParallelism(),
    loadAverage: [loadAtStart, loadavg()[0] ?? 0],
    generateSeconds,
    rawSeconds,
    rawSecondsBeforeAfter: [rawBefore.seconds, rawAfter.seconds],
    rawItemsPerSecond: items / rawSeconds,
    rawStackCpuSeconds,
    ...summarize(checked),
    ...(fileOnly ? { fileOnly: summarize(fileOnly) } : {}),
  };
}

/** Runs `work` against a fresh stack, timing it and the stack's CPU use from when it was ready. */
async function inStack<T>(dataDir: string, work: (stack: BenchStack) => Promise<T>): Promise<Phase<T>> {
  const stack = await startBenchStack(dataDir);
  try {
    const cpuBefore = (await stack.cpuSeconds()) ?? 0;
    const started = performance.now();
    const value = await work(stack);
    const seconds = (performance.now() - started) / 1000;
    const stackCpuSeconds = ((await stack.cpuSeconds()) ?? Number.NaN) - cpuBefore;
    return { value, seconds, stackCpuSeconds, stackPeakRssMb: await stack.peakRssMb() };
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

interface ImportMetrics {
  readonly imported: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly startRssMb: number;
}

async function importWithMetrics(
  stack: BenchStack,
  file: string,
  concurrency: number,
  checkRegistry: boolean,
): Promise<ImportMetrics> {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const cpu = process.cpuUsage();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  try {
    const target = { doc: stack.doc, table: stack.table, pepper: stack.pepper };
    const summary = await importFile({ kind: 'registry', file, target, concurrency, checkRegistry });
    const used = process.cpuUsage(cpu);
    return {
      imported: summary.imported,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakRssMb: peak / 2 ** 20,
      startRssMb: startRss / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

// `npx tsx tools/bench/import-bench.ts --households 20000 [--concurrency 8] [--data-dir D] [--keep]`
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
