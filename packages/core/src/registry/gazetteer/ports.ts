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
 * path costs no read at all most of the time; an import is seen everywhere within that time.
 */
export function cachedGazetteer(
  store: Pick<GazetteerStore, 'readDistricts'>,
  clock: Clock,
  fallback: () => Gazetteer,
  ttlMs = 60_000,
): GazetteerReader {
  let cached: { at: number; value: Promise<Gazetteer> } | undefined;
  return {
    current() {
      const now = clock.now().getTime();
      if (!cached || now - cached.at >= ttlMs) {
        const value = store
          .readDistricts()
          .then((districts) => (districts.length > 0 ? new Gazetteer(districts) : fallback()));
        // A failed read is not cached: the next call tries again.
        value.catch(() => {
          if (cached?.value === value) cached = undefined;
        });
        cached = { at: now, value };
      }
      return cached.value;
    },
  };
}
