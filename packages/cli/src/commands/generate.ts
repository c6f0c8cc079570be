import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { POPULATION_FILES, writePopulation } from '../generate/write-population.js';

const USAGE = 'usage: madad generate --households N [--seed S] [--out DIR]';

/** `madad generate --households N --seed S --out DIR`: writes a synthetic, reproducible registry. */
export async function generateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      households: { type: 'string' },
      seed: { type: 'string', default: '1' },
      // Under the git-ignored local data folder by default: generated people are not source.
      out: { type: 'string', default: '.madad/generated' },
    },
  });
  const households = Number(values.households);
  if (!Number.isInteger(households) || households < 1) {
    console.error(USAGE);
    return 2;
  }
  const outDir = resolve(values.out);
  const started = performance.now();
  const counts = await writePopulation({
    households,
    seed: values.seed,
    outDir,
    onProgress: (n) => process.stderr.write(`  ${n.toLocaleString('en-US')} households\r`),
  });
  const seconds = (performance.now() - started) / 1000;
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
