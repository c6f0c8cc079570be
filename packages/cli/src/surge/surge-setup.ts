import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportKindName } from '@madad/adapters';
import { importFile, registryKeys } from '@madad/adapters';
import { type GeneratedHousehold, generatePopulation } from '../generate/population.js';
import { POPULATION_FILES, writePopulation } from '../generate/write-population.js';
import { startProgress } from '../progress.js';
import type { LocalAccess, SurgeTarget } from './surge-target.js';

/** Share of households the rehearsal campaign covers (the busiest districts first). */
const COVERED_SHARE = 0.6;
const IMPORTS: readonly [ImportKindName, string][] = [
  ['registry', POPULATION_FILES.households],
  ['identity', POPULATION_FILES.identities],
  ['exclusions', POPULATION_FILES.exclusions],
];

/**
 * The seeded population in memory, and in the local stack's registry: imported unless its last
 * household is already there (the same seed and size were imported before, so it is reused).
 */
export async function preparePopulation(options: {
  households: number;
  seed: string;
  dir: string;
  local?: LocalAccess;
  log: (line: string) => void;
  progress?: boolean;
}): Promise<GeneratedHousehold[]> {
  const population = [...generatePopulation({ households: options.households, seed: options.seed })];
  const { local } = options;
  if (!local) return population;
  const last = population.at(-1)?.household.householdId ?? '';
  const existing = await local.doc.send(
    new GetCommand({ TableName: local.config.tables.registry, Key: registryKeys.household(last) }),
  );
  if (existing.Item) {
    options.log(
      `Registry already holds the ${options.households} households of seed "${options.seed}": reused`,
    );
    return population;
  }
  await writePopulation({ households: options.households, seed: options.seed, outDir: options.dir });
  const target = { doc: local.doc, table: local.config.tables.registry, pepper: local.pepper };
  for (const [kind, file] of IMPORTS) {
    const summary = await importFile({
      kind,
      file: join(options.dir, file),
      target,
      concurrency: 8,
      ...(options.progress
        ? { progress: (totalBytes: number) => startProgress({ label: `import ${kind}`, totalBytes }) }
        : {}),
    });
    options.log(
      `Imported ${summary.imported} ${kind} lines (${summary.rejected} rejected) in ${summary.elapsedSeconds.toFixed(1)} s`,
    );
  }
  return population;
}

/** The busiest districts, until they hold `COVERED_SHARE` of the households (at most 200 areas). */
export function chooseDistricts(population: readonly GeneratedHousehold[]): string[] {
  const counts = new Map<string, number>();
  for (const g of population) counts.set(g.household.district, (counts.get(g.household.district) ?? 0) + 1);
  const chosen: string[] = [];
  let covered = 0;
  for (const [district, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    if (covered >= COVERED_SHARE * population.length || chosen.length >= 200) break;
    chosen.push(district);
    covered += n;
  }
  return chosen;
}

/** A flood rehearsal's Urdu name ("flood drill"): the API requires one, and Urdu replies show it. */
export const REHEARSAL_NAME_UR = 'سیلاب کی مشق';

/** A flood campaign over `districts` with the 2020-like rules the integration tests use. */
export function rehearsalCampaign(name: string, districts: readonly string[], nameUr = REHEARSAL_NAME_UR) {
  return {
    name,
    nameUr,
    shockType: 'flood',
    areas: districts.map((district) => ({ district })),
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
    rules: {
      pmtThreshold: 32,
      exclusionFilters: ['VEHICLE_OWNER', 'GOVT_EMPLOYEE', 'INTL_TRAVEL'],
      amounts: { topUp: 6000, newBeneficiary: 12000 },
    },
    budgetCap: 1_000_000_000_000,
    maxHouseholds: 10_000_000,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the named queues are empty (nothing visible, nothing in flight) on two polls in a row;
 * returns false on timeout. `onPoll` sees every reading (for progress bars and samples).
 */
export async function waitForQueues(
  target: SurgeTarget,
  campaignId: string,
  names: readonly string[],
  timeoutMs: number,
  onPoll?: (depths: Record<string, { visible: number; inFlight: number; deadLetters: number }>) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let emptyPolls = 0;
  while (Date.now() < deadline) {
    const depths = await target.queueDepths(campaignId);
    onPoll?.(depths);
    const busy = names.some((name) => (depths[name]?.visible ?? 0) + (depths[name]?.inFlight ?? 0) > 0);
    emptyPolls = busy ? 0 : emptyPolls + 1;
    if (emptyPolls >= 2) return true;
    await sleep(500);
  }
  return false;
}
