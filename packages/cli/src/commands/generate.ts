import { join, resolve } from 'node:path';
import { type CommandInput, UsageError, wholeNumber } from '../command.js';
import type { generateOptions } from '../declarations/generate.js';
import { GROUND_TRUTH_FILE, POPULATION_FILES, writePopulation } from '../generate/write-population.js';

/** `madad generate --households N --seed S --out DIR`: writes a synthetic, reproducible registry. */
export async function generateCommand({ values }: CommandInput<typeof generateOptions>): Promise<number> {
  if (values.households === undefined) throw new UsageError('--households is required');
  const households = wholeNumber(values.households, '--households');
  const errors = values.errors === undefined ? undefined : Number(values.errors);
  if (errors !== undefined && !(Number.isFinite(errors) && errors >= 0 && errors <= 1))
    throw new UsageError('--errors is a rate between 0 and 1 (0.03 plants errors in 3% of members)');
  const outDir = resolve(values.out);
  const started = performance.now();
  const counts = await writePopulation({
    households,
    seed: values.seed,
    outDir,
    ...(errors === undefined ? {} : { errors }),
    onProgress: (n) => process.stderr.write(`  ${n.toLocaleString('en-US')} households\r`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    const files = Object.fromEntries(
      Object.entries({
        ...POPULATION_FILES,
        ...(errors === undefined ? {} : { groundTruth: GROUND_TRUTH_FILE }),
      }).map(([kind, file]) => [kind, join(outDir, file)]),
    );
    console.log(JSON.stringify({ ...counts, seed: values.seed, files, seconds }));
    return 0;
  }
  console.log(
    [
      `Generated ${counts.households.toLocaleString('en-US')} households (${counts.members.toLocaleString('en-US')} members) with seed "${values.seed}" in ${seconds.toFixed(1)} s:`,
      `  ${outDir}/${POPULATION_FILES.households}`,
      `  ${outDir}/${POPULATION_FILES.identities}   ${counts.identities.toLocaleString('en-US')} identities`,
      `  ${outDir}/${POPULATION_FILES.exclusions}   ${counts.exclusions.toLocaleString('en-US')} exclusion flags`,
      ...(errors === undefined
        ? []
        : [
            `  ${outDir}/${GROUND_TRUTH_FILE}   ${counts.planted?.toLocaleString('en-US')} planted errors (rate ${errors}), ${counts.discrepancies?.toLocaleString('en-US')} disagreements with the ID authority in all`,
          ]),
      `Import them with: npx madad import registry ${values.out}/${POPULATION_FILES.households}`,
    ].join('\n'),
  );
  return 0;
}
