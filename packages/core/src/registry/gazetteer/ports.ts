import type { Clock } from '../../time/clock.js';
import type { GazetteerDistrict } from './gazetteer.js';
import { Gazetteer } from './gazetteer.js';

/** Where the gazetteer is kept (the registry table); read by key, never scanned. */
export interface GazetteerStore {
  /** Every district stored; empty when no areas file was ever imported (the built-in list applies). */
  readDistricts(): Promise<GazetteerDistrict[]>;
  /** Stores districts (each replaces the district of the same province and name). */
  writeDistricts(districts: readonly GazetteerDistrict[]): Promise<void>;
}

/** The gazetteer in force, for whoever checks areas (campaign declaration, imports, verification). */
export interface GazetteerReader {
  current(): Promise<Gazetteer>;
}

/**
 * Reads the stored gazetteer at most once per `ttlMs` (default a minute) per process, so a request
 * path costs no read at all most of the time; an import is seen everywhere within that time. A failed
 * refresh answers the last gazetteer read (the public form keeps working through a throttled read) and
 * is tried again at the next call; with none read yet, the error is the caller's.
 */
export function cachedGazetteer(
  store: Pick<GazetteerStore, 'readDistricts'>,
  clock: Clock,
  fallback: () => Gazetteer,
  ttlMs = 60_000,
): GazetteerReader {
  let cached: { at: number; value: Promise<Gazetteer> } | undefined;
  let lastRead: Gazetteer | undefined;
  return {
    current() {
      const now = clock.now().getTime();
      if (!cached || now - cached.at >= ttlMs) {
        const previous = lastRead;
        const read = store.readDistricts().then((districts) => {
          lastRead = districts.length > 0 ? new Gazetteer(districts) : fallback();
          return lastRead;
        });
        const value = previous ? read.catch(() => previous) : read;
        // A failed read is not cached: the next call tries again.
        read.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
        cached = { at: now, value };
      }
      return cached.value;
    },
  };
}
