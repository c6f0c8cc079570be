import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type AreaRecord,
  builtInGazetteer,
  type CodeMapping,
  Gazetteer,
  type GazetteerStore,
  type ImportFormat,
  importDecoder,
  importFormatOf,
} from '@madad/core';
import { RejectFile } from './reject-file.js';
import type { ImportSummary } from './run-import.js';

export interface AreasImportOptions {
  readonly file: string;
  readonly store: GazetteerStore;
  readonly rejectsPath?: string;
  readonly format?: ImportFormat;
  readonly codes?: CodeMapping;
  readonly maxLineLength?: number;
  readonly dryRun?: boolean;
}

/**
 * Stores the built-in gazetteer when none is stored yet (first start, or a first areas import into a
 * deployed stack), so an imported file adds to today's list instead of replacing it.
 */
export async function seedGazetteer(store: GazetteerStore): Promise<boolean> {
  if ((await store.readDistricts()).length > 0) return false;
  await store.writeDistricts(builtInGazetteer().districts);
  return true;
}

/**
 * Imports a gazetteer (areas) file: one line per tehsil with its district and province, PBS codes and
 * Urdu names. A file is small (thousands of lines), so it is read whole: each district it names is
 * written as one item listing the tehsils the file gives it (a district imported again is replaced:
 * a renamed tehsil is an edited line); districts it does not name stay as they are.
 */
export async function importAreasFile(options: AreasImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const decoder = importDecoder('areas', {
    format: options.format ?? importFormatOf(options.file),
    ...(options.codes ? { codes: options.codes } : {}),
    ...(options.maxLineLength ? { maxLineLength: options.maxLineLength } : {}),
  });
  const rejects = new RejectFile(options.rejectsPath ?? `${options.file}.rejects.ndjson`, !dryRun);
  const records: AreaRecord[] = [];
  const counts = { lines: 0, blank: 0 };
  const lines = createInterface({
    input: createReadStream(options.file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    for await (const text of lines) {
      const line = ++counts.lines;
      if (text.trim() === '') {
        counts.blank++;
        continue;
      }
      for (const r of decoder.push(line === 1 ? text.replace(/^\uFEFF/, '') : text, line)) {
        if (r.result.ok) records.push(r.result.value);
        else await rejects.add(r.line, r.result, r.raw);
      }
    }
    for (const r of decoder.end()) {
      if (r.result.ok) records.push(r.result.value);
      else await rejects.add(r.line, r.result, r.raw);
    }
  } finally {
    lines.close();
    await rejects.close();
  }
  const stored = await options.store.readDistricts();
  const current = stored.length > 0 ? new Gazetteer(stored) : builtInGazetteer();
  // A district without a CNIC digit takes its province's, as the gazetteer in force has it.
  const provinceCode = new Map(current.districts.map((d) => [d.province.toLowerCase(), d.cnicCode]));
  const districts = Gazetteer.fromRecords(records).districts.map((d) =>
    d.cnicCode > 0 ? d : { ...d, cnicCode: provinceCode.get(d.province.toLowerCase()) ?? 0 },
  );
  if (!dryRun) {
    if (stored.length === 0) await seedGazetteer(options.store);
    await options.store.writeDistricts(districts);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    kind: 'areas',
    file: options.file,
    rejectsPath: rejects.path,
    ...counts,
    imported: records.length,
    rejected: rejects.size,
    rejectedByReason: Object.fromEntries(rejects.counts),
    examples: Object.fromEntries(rejects.examples),
    ...(dryRun ? { dryRun } : {}),
    elapsedSeconds,
    linesPerSecond: elapsedSeconds > 0 ? counts.lines / elapsedSeconds : 0,
  };
}
