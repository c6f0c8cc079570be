/**
 * The built-in gazetteer the product embeds, generated from the one shipped areas file
 * (packages/core/src/registry/gazetteer/pakistan-areas.csv, the file an operator copies, edits and
 * imports with `madad import areas`). `npm run areas:default` writes pakistan-areas.json beside it
 * (`npm start` and `npm run synth` run it first); test/tools/default-areas.test.ts fails when the
 * two disagree. Edit the CSV, never the JSON.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Gazetteer, type GazetteerDistrict, importDecoder } from '@madad/core';

const HERE = '../../packages/core/src/registry/gazetteer/';
export const AREAS_CSV_PATH = fileURLToPath(new URL(`${HERE}pakistan-areas.csv`, import.meta.url));
export const AREAS_JSON_PATH = fileURLToPath(new URL(`${HERE}pakistan-areas.json`, import.meta.url));

/** The districts an areas import of `csv` stores, read with the import's own decoder; any reject throws. */
export function districtsOfAreasFile(csv: string): GazetteerDistrict[] {
  const decoder = importDecoder('areas', { format: 'csv' });
  const lines = [
    ...csv.split('\n').flatMap((raw, i) => (raw === '' ? [] : decoder.push(raw, i + 1))),
    ...decoder.end(),
  ];
  const records = lines.map((line) => {
    if (!line.result.ok)
      throw new Error(`pakistan-areas.csv line ${line.line}: ${JSON.stringify(line.result)}`);
    return line.result.value;
  });
  return [...Gazetteer.fromRecords(records).districts];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const districts = districtsOfAreasFile(readFileSync(AREAS_CSV_PATH, 'utf8'));
  writeFileSync(AREAS_JSON_PATH, JSON.stringify(districts));
  // In the repository's format (a tehsil a line), so that a change to the CSV reads as a small diff.
  const biome = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));
  execFileSync(biome, ['format', '--write', AREAS_JSON_PATH], { stdio: 'ignore' });
  console.log(`${AREAS_JSON_PATH}: ${districts.length} districts`);
}
