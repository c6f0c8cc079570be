import type { AreaRecord } from './gazetteer/area-record.js';
import { Gazetteer, type GazetteerDistrict } from './gazetteer/gazetteer.js';
// Generated from pakistan-areas.csv by `npm run areas:default` (tools/areas/default-areas.ts); a test
// fails when the two disagree. Edit the CSV, never the JSON.
import shipped from './gazetteer/pakistan-areas.json' with { type: 'json' };
import type { GazetteerReader } from './gazetteer/ports.js';

/** A district and its tehsils (sub-districts), spelled as in the registry. */
export interface District {
  readonly name: string;
  readonly tehsils: readonly string[];
  /** CNIC province digit when it differs from the province's (2 for the merged tribal districts). */
  readonly cnicCode?: number;
}

export interface Province {
  readonly name: string;
  /** First digit of CNICs issued there (1 KP, 2 tribal, 3 Punjab, 4 Sindh, 5 Balochistan, 6 ICT, 7 GB/AJK). */
  readonly cnicCode: number;
  readonly districts: readonly District[];
}

/** The canonical spelling of a known area, or why it is not known (with the nearest known names). */
export type AreaResult =
  | { ok: true; province: string; district: string; tehsil: string; cnicCode: number }
  | { ok: false; message: string; suggestions?: string[] };

const SHIPPED_DISTRICTS: readonly GazetteerDistrict[] = shipped;

let builtIn: Gazetteer | undefined;

/**
 * The gazetteer shipped with Madad: the shipped areas file (`gazetteer/pakistan-areas.csv`, real
 * provinces, districts and tehsils with Urdu names, a working subset of Pakistan's). The stack stores
 * it on first start and an areas file (`madad import areas FILE`) adds or replaces districts without
 * a code change; it applies only where no gazetteer is stored.
 */
export function builtInGazetteer(): Gazetteer {
  builtIn ??= new Gazetteer(SHIPPED_DISTRICTS);
  return builtIn;
}

/** The areas in force: what `reader` holds (the stored, cached gazetteer), else the built-in one. */
export function areasInForce(reader: GazetteerReader | undefined): Promise<Gazetteer> {
  return reader ? reader.current() : Promise.resolve(builtInGazetteer());
}

/** The shipped areas file's records (one per tehsil, in file order). */
export function builtInAreaRecords(): AreaRecord[] {
  return SHIPPED_DISTRICTS.flatMap((d) =>
    d.tehsils.map((t) => ({
      province: d.province,
      district: d.district,
      tehsil: t.name,
      ...(d.provinceCode ? { provinceCode: d.provinceCode } : {}),
      ...(d.districtCode ? { districtCode: d.districtCode } : {}),
      ...(t.code ? { tehsilCode: t.code } : {}),
      ...(d.provinceUr ? { provinceUr: d.provinceUr } : {}),
      ...(d.districtUr ? { districtUr: d.districtUr } : {}),
      ...(t.nameUr ? { tehsilUr: t.nameUr } : {}),
      cnicCode: d.cnicCode,
    })),
  );
}

/** Resolves a province / district / tehsil triple against the built-in list, in its canonical spelling. */
export function resolveArea(province: string, district: string, tehsil: string): AreaResult {
  return builtInGazetteer().resolve(province, district, tehsil);
}

/** True when the tehsil is in the district and the district in the province (built-in list). */
export function isKnownArea(province: string, district: string, tehsil: string): boolean {
  return resolveArea(province, district, tehsil).ok;
}
