import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCALE_SIZES,
  formatScaleTable,
  parseSizes,
  resultsBaseName,
  type ScaleRun,
  stageOf,
} from '../../tools/bench/scale/scale-report.js';

describe('the scale bench sizes flag', () => {
  it('reads comma-separated sizes in the order given, with or without underscores', () => {
    expect(parseSizes('25000,50_000, 100000')).toEqual([25_000, 50_000, 100_000]);
  });

  it('falls back to the default sizes when the flag is absent', () => {
    expect(parseSizes(undefined)).toEqual([...DEFAULT_SCALE_SIZES]);
  });

  it.each(['', '25k', '0', '1,,2', '-5', '2.5'])('refuses %j naming the flag', (text) => {
    const parsed = parseSizes(text);
    expect(parsed).toBeInstanceOf(Error);
    expect((parsed as Error).message).toMatch(/--sizes/);
  });
});

describe('a scale stage', () => {
  it('gives households per second and, with a raw reference, raw seconds over its own', () => {
    expect(stageOf('import', 25_000, 50, 40)).toEqual({
      stage: 'import',
      households: 25_000,
      seconds: 50,
      householdsPerSecond: 500,
      rawSeconds: 40,
      ratio: 0.8,
    });
  });

  it('has no ratio when the stage has no reference', () => {
    expect(stageOf('approve', 100, 4)).not.toHaveProperty('ratio');
  });
});

describe('the scale table', () => {
  const run: ScaleRun = {
    size: 2000,
    importPath: 'single-process',
    stages: [stageOf('import', 2000, 10, 7.5), stageOf('activation', 1000, 4, 4), stageOf('export', 1000, 2)],
    batches: 3,
    endToEndSeconds: 40,
    peakRssMb: 512.4,
    loadAverage: [6.7, 9.1],
  };

  it('prints each stage with its rate, and flags a ratio below 0.8', () => {
    const table = formatScaleTable([run]);
    expect(table).toMatch(/import \(single-process\)\s+2000\s+10\.0\s+200\s+7\.5\s+0\.75 \(below target\)/);
    expect(table).toMatch(/activation\s+1000\s+4\.0\s+250\s+4\.0\s+1\.00\s*$/m);
    expect(table).toMatch(/end to end \(3 batches\)\s+2000\s+40\.0\s+50\s+peak RSS 512 MB\s+load 6\.7->9\.1/);
  });

  it('writes the same rows as a markdown table', () => {
    const lines = formatScaleTable([run], true).split('\n');
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(lines).toHaveLength(2 + run.stages.length + 1);
    expect(lines[2]).toBe(
      '| 2000 | import (single-process) | 2000 | 10.0 | 200 | 7.5 | 0.75 (below target) |  |  |',
    );
  });

  it("prints a stage's peak RSS and its heap after a full collection", () => {
    const memory = {
      peakRssMb: 812.6,
      heapAfterGcMb: 140.2,
      heapTotalMb: 160,
      rssAfterGcMb: 700,
      externalMb: 12,
    };
    const table = formatScaleTable([{ ...run, stages: [{ ...stageOf('approve', 1000, 4), memory }] }]);
    expect(table).toMatch(/approve\s+1000\s+4\.0\s+250\s+813 \/ 140\s*$/m);
  });

  it("prints the emulators' peak RSS beside the handlers' process when their children were watched", () => {
    const child = (peakRssMb: number) => ({ peakRssMb, rssMb: 1, anonRssMb: 1, fileRssMb: 0, cpuSeconds: 1 });
    const memory = {
      peakRssMb: 300.2,
      heapAfterGcMb: 80.4,
      heapTotalMb: 120,
      rssAfterGcMb: 290,
      externalMb: 3,
      children: { dynalite: child(912.6), fauxqs: child(141.1) },
    };
    const table = formatScaleTable([{ ...run, stages: [{ ...stageOf('approve', 1000, 4), memory }] }]);
    expect(table).toMatch(/approve\s+1000\s+4\.0\s+250\s+300 \/ 80\s+913 \/ 141\s*$/m);
  });

  it('names the results file by the UTC time without colons', () => {
    expect(resultsBaseName(new Date('2026-12-07T17:20:05.123Z'))).toBe('scale-2026-12-07T17-20-05Z');
  });
});
