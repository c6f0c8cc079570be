import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateWriteStream, PRIVATE_DIR_MODE } from '@madad/adapters';
import { ErrorPlanter } from './plant-errors.js';
import { generatePopulation, type PopulationOptions } from './population.js';

export const POPULATION_FILES = {
  households: 'households.ndjson',
  identities: 'identity.ndjson',
  exclusions: 'exclusions.ndjson',
} as const;

/** Written with `errors`: every field where the registry and the ID authority's file disagree. */
export const GROUND_TRUTH_FILE = 'ground-truth.ndjson';

export interface PopulationCounts {
  households: number;
  members: number;
  identities: number;
  exclusions: number;
  /** With `errors`: fields planted wrong, and all disagreements (planted and the population's own deceased). */
  planted?: number;
  discrepancies?: number;
}

const FLUSH_CHARS = 1 << 20;

/** An NDJSON file written through a string buffer, waiting for the disk when the stream is full. */
class NdjsonWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;

  constructor(path: string) {
    // Generated people look real (CNICs, names, phones): owner-only, like real imports.
    this.stream = createPrivateWriteStream(path);
  }

  async write(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/**
 * Writes a generated population as the three import files in `outDir`. Streams, so a million
 * households take the memory of one; `onProgress` is called every 10,000 households.
 */
export async function writePopulation(
  options: PopulationOptions & {
    readonly outDir: string;
    /** Plants roster errors at this rate per member and writes {@link GROUND_TRUTH_FILE}. */
    readonly errors?: number;
    readonly onProgress?: (households: number) => void;
  },
): Promise<PopulationCounts> {
  await mkdir(options.outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const households = new NdjsonWriter(join(options.outDir, POPULATION_FILES.households));
  const identities = new NdjsonWriter(join(options.outDir, POPULATION_FILES.identities));
  const exclusions = new NdjsonWriter(join(options.outDir, POPULATION_FILES.exclusions));
  const planter = options.errors === undefined ? undefined : new ErrorPlanter(options.seed, options.errors);
  const truth = planter ? new NdjsonWriter(join(options.outDir, GROUND_TRUTH_FILE)) : undefined;
  const counts: PopulationCounts = {
    households: 0,
    members: 0,
    identities: 0,
    exclusions: 0,
    ...(planter ? { planted: 0, discrepancies: 0 } : {}),
  };
  try {
    for (const raw of generatePopulation(options)) {
      const planted = planter?.plant(raw);
      const generated = planted?.generated ?? raw;
      for (const error of planted?.truth ?? []) {
        await truth?.write(error);
        counts.discrepancies = (counts.discrepancies ?? 0) + 1;
        if (error.planted) counts.planted = (counts.planted ?? 0) + 1;
      }
      await households.write(generated.household);
      for (const identity of generated.identities) await identities.write(identity);
      for (const exclusion of generated.exclusions) await exclusions.write(exclusion);
      counts.households++;
      counts.members += generated.household.members.length;
      counts.identities += generated.identities.length;
      counts.exclusions += generated.exclusions.length;
      if (counts.households % 10_000 === 0) options.onProgress?.(counts.households);
    }
  } finally {
    await Promise.all([households.close(), identities.close(), exclusions.close(), truth?.close()]);
  }
  return counts;
}
