import { join, resolve } from 'node:path';
import { type CommandInput, UsageError, wholeNumber } from '../command.js';
import type { generateOptions } from '../declarations/generate.js';
import { POPULATION_FILES, writePopulation } from '../generate/write-population.js';

/** `madad generate --households N --seed S --out DIR`: writes a synthetic, reproducible registry. */
export async function generateCommand({ values }: CommandInput<typeof generateOptions>): Promise<number> {
  if (values.households === undefined) throw new UsageError('--households is required');
  const households = wholeNumber(values.households, '--households');
  const outDir = resolve(values.out);
  const started = performance.now();
  const counts = await writePopulation({
    households,
    seed: values.seed,
    outDir,
    onProgress: (n) => process.stderr.write(`  ${n.toLocaleString('en-US')} households\r`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    const files = Object.fromEntries(
      Object.entries(POPULATION_FILES).map(([kind, file]) => [kind, join(outDir, file)]),
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
      `Import them with: npx madad import registry ${values.out}/${POPULATION_FILES.households}`,
    ].join('\n'),
  );
  return 0;
}
