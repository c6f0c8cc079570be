import { formatDuration } from '@madad/cli/lab';
import type { ImportBenchResult, ImportRun } from './import-bench.js';

const MILLION = 1_000_000;
const TARGET_SECONDS = 600;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (x: number | undefined) => (x === undefined ? '?' : `${n(x)} MB`);

function runLine(label: string, run: ImportRun): string {
  return (
    `${label.padEnd(20)}${run.seconds.toFixed(1).padStart(8)} s  ${n(run.householdsPerSecond).padStart(6)} households/s  ` +
    `${n(run.itemsPerSecond).padStart(6)} items/s  ratio ${run.ratio.toFixed(2)} (in stack CPU ${run.cpuRatio.toFixed(2)})\n` +
    `${''.padEnd(20)}stack CPU ${run.stackCpuSeconds.toFixed(1)} s, peak RSS ${mb(run.stackPeakRssMb)}; ` +
    `importer CPU ${run.cpuSeconds.toFixed(1)} s, RSS ${mb(run.startRssMb)} at start, peak ${mb(run.peakRssMb)}`
  );
}

/** A million households at a measured rate, and which of the issue's two targets that meets. */
function verdict(label: string, run: ImportRun): string {
  const seconds = MILLION / run.householdsPerSecond;
  const time = seconds <= TARGET_SECONDS ? 'meets' : 'misses';
  const ratio = run.ratio >= 0.8 ? 'meets' : 'misses';
  return (
    `  ${label}: 1,000,000 households in ~${formatDuration(seconds)} (${time} the 10-minute target); ` +
    `ratio ${run.ratio.toFixed(2)}, ${run.cpuRatio.toFixed(2)} in stack CPU (${ratio} the 0.8-of-raw target)`
  );
}

/** The bench's figures as the lines it prints. */
export function formatImportBench(r: ImportBenchResult): string {
  const rawHouseholdsPerSecond = (r.rawItemsPerSecond * r.households) / r.items;
  return [
    `Import bench: ${n(r.households)} households (${n(r.items)} items), concurrency ${r.concurrency}, ${r.cpus} CPUs, load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' -> ')}`,
    `${'generate'.padEnd(20)}${r.generateSeconds.toFixed(1).padStart(8)} s`,
    `${'raw BatchWrite'.padEnd(20)}${r.rawSeconds.toFixed(1).padStart(8)} s  ${n(rawHouseholdsPerSecond).padStart(6)} households/s  ${n(r.rawItemsPerSecond).padStart(6)} items/s  (the reference)`,
    `${''.padEnd(20)}mean of ${r.rawSecondsBeforeAfter.map((x) => `${x.toFixed(1)} s`).join(' before and ')} after the imports; stack CPU ${r.rawStackCpuSeconds.toFixed(1)} s`,
    runLine('import (checked)', r),
    ...(r.fileOnly ? [runLine('import (file-only)', r.fileOnly)] : []),
    'Extrapolated (linear; dynalite slows as LevelDB grows, so treat these as optimistic):',
    `  raw BatchWrite: 1,000,000 households in ~${formatDuration(MILLION / rawHouseholdsPerSecond)}`,
    verdict('checked', r),
    ...(r.fileOnly ? [verdict('file-only', r.fileOnly)] : []),
  ].join('\n');
}
