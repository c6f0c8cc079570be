/**
 * The pure parts of `npm run bench -- --scale`: the sizes flag, each stage's rate and its ratio to the
 * raw reference measured in the same run, and the table printed and written to bench-results/.
 */

/**
 * What fits in 15 minutes on 2 cores: 25,000 households took 916 s (15.3 min) at load average 5-10,
 * so the default is 10,000 (docs/performance.md, "National-scale benchmark").
 */
export const DEFAULT_SCALE_SIZES: readonly number[] = [10_000];

import type { StageMemory } from './stage-memory.js';

/** The ratio each measured stage should reach against its raw reference. */
export const SCALE_RATIO_TARGET = 0.8;

export const SCALE_STAGES = [
  'import',
  'identity import',
  'activation',
  'batch make',
  'approve',
  'export',
  'results import',
] as const;
export type ScaleStageName = (typeof SCALE_STAGES)[number];

export interface ScaleStage {
  readonly stage: ScaleStageName;
  /** Households the stage handled (imported, enrolled, in batches, paid). */
  readonly households: number;
  readonly seconds: number;
  readonly householdsPerSecond: number;
  /** The raw database reference of the same work in the same run, when the stage has one. */
  readonly rawSeconds?: number;
  /** Raw seconds over the stage's seconds: 1 means no overhead over plain database calls. */
  readonly ratio?: number;
  /**
   * Activation only: the blind-write floor (the same range queries, one plain BatchWrite a page), an
   * informational second reference; the target is judged on `ratio` (the worker's own calls replayed).
   */
  readonly floorSeconds?: number;
  readonly floorRatio?: number;
  /** The process's memory during and after the stage (peak RSS, heap after a full GC). */
  readonly memory?: StageMemory;
}

export interface ScaleRun {
  readonly size: number;
  /** How the registry was imported: `single-process` (importFile) or `parallel-s3`. */
  readonly importPath: string;
  readonly stages: readonly ScaleStage[];
  readonly batches: number;
  /** File in (import start) to the last payment file written to S3. */
  readonly endToEndSeconds: number;
  /** Peak resident memory of the size's process (the handlers; the emulators run in children, see each stage's `memory.children`). */
  readonly peakRssMb: number;
  readonly loadAverage: readonly [number, number];
}

/** `--sizes 25000,50000`: positive integers, in the order given; anything else is refused. */
export function parseSizes(text: string | undefined): number[] | Error {
  if (text === undefined) return [...DEFAULT_SCALE_SIZES];
  const parts = text.split(',').map((p) => p.trim().replaceAll('_', ''));
  const sizes = parts.map(Number);
  if (parts.length === 0 || parts.some((p, i) => !/^\d+$/.test(p) || (sizes[i] ?? 0) < 1)) {
    return new Error(`--sizes takes positive whole numbers separated by commas, got "${text}"`);
  }
  return sizes;
}

export function stageOf(
  stage: ScaleStageName,
  households: number,
  seconds: number,
  rawSeconds?: number,
): ScaleStage {
  return {
    stage,
    households,
    seconds,
    householdsPerSecond: seconds > 0 ? households / seconds : Number.POSITIVE_INFINITY,
    ...(rawSeconds === undefined ? {} : { rawSeconds, ratio: rawSeconds / seconds }),
  };
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The emulators' children beside the handlers' process: `dynalite / fauxqs` peak RSS, when watched. */
function emulatorsMemory(memory: StageMemory | undefined): string {
  const children = memory?.children;
  if (!children) return '';
  const peak = (name: string) => {
    const child = children[name];
    return child ? fixed(child.peakRssMb, 0) : '-';
  };
  return `${peak('dynalite')} / ${peak('fauxqs')}`;
}

/** One row per size and stage, then one per size with its end-to-end time and peak memory. */
export function formatScaleTable(runs: readonly ScaleRun[], markdown = false): string {
  const head = [
    'size',
    'stage',
    'households',
    's',
    'households/s',
    'raw s',
    'ratio (>= 0.8)',
    'handlers peak RSS / heap after GC MB',
    'dynalite / fauxqs peak RSS MB',
  ];
  const rows: string[][] = [];
  for (const run of runs) {
    for (const s of run.stages) {
      const ratio =
        s.ratio === undefined
          ? ''
          : `${fixed(s.ratio, 2)}${s.ratio >= SCALE_RATIO_TARGET ? '' : ' (below target)'}${
              s.floorRatio === undefined ? '' : `; blind-write floor ${fixed(s.floorRatio, 2)}`
            }`;
      rows.push([
        String(run.size),
        s.stage === 'import' ? `import (${run.importPath})` : s.stage,
        String(s.households),
        fixed(s.seconds),
        fixed(s.householdsPerSecond, 0),
        s.rawSeconds === undefined ? '' : fixed(s.rawSeconds),
        ratio,
        s.memory ? `${fixed(s.memory.peakRssMb, 0)} / ${fixed(s.memory.heapAfterGcMb, 0)}` : '',
        emulatorsMemory(s.memory),
      ]);
    }
    rows.push([
      String(run.size),
      `end to end (${run.batches} batches)`,
      String(run.size),
      fixed(run.endToEndSeconds),
      fixed(run.size / run.endToEndSeconds, 0),
      `peak RSS ${fixed(run.peakRssMb, 0)} MB`,
      `load ${fixed(run.loadAverage[0])}->${fixed(run.loadAverage[1])}`,
      '',
      '',
    ]);
  }
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** `scale-2026-12-07T17-20-00Z`: one file pair per run, sortable, no colons. */
export function resultsBaseName(at: Date): string {
  return `scale-${at.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
}
