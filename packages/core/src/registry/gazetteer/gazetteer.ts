import { distance } from 'fastest-levenshtein';
import type { Language } from '../../schemas.js';
import type { AreaResult, Province } from '../areas.js';
import type { AreaRecord } from './area-record.js';

/** One district of the gazetteer, with its tehsils, codes and Urdu names. */
export interface GazetteerDistrict {
  readonly province: string;
  readonly district: string;
  readonly tehsils: readonly { readonly name: string; readonly code?: string; readonly nameUr?: string }[];
  readonly cnicCode: number;
  readonly provinceCode?: string;
  readonly districtCode?: string;
  readonly provinceUr?: string;
  readonly districtUr?: string;
}

/** Registry files and staff forms come from many hands: case and spacing do not matter. */
const fold = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** The (at most three) known names nearest to what was typed, nearest first. */
export function nearestNames(typed: string, known: Iterable<string>, count = 3): string[] {
  const target = fold(typed);
  return (
    [...new Set(known)]
      // A name that contains what was typed (Johi -> Johi Taluka) is nearest whatever the edit distance.
      .map((name) => ({ name, d: fold(name).includes(target) ? 0 : distance(target, fold(name)) }))
      .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
      .slice(0, count)
      .map((x) => x.name)
  );
}

const didYouMean = (names: readonly string[]) => (names.length ? `; did you mean ${names.join(', ')}?` : '');

/**
 * The areas in force: provinces, districts and tehsils with PBS codes and Urdu names. Built from the
 * gazetteer file's records (imported, or the built-in list); resolves what a file or a form names to
 * the canonical spelling, and names the nearest known areas when it does not know one.
 */
export class Gazetteer {
  readonly districts: readonly GazetteerDistrict[];
  private readonly byProvince = new Map<string, string>();
  private readonly byDistrict = new Map<string, GazetteerDistrict[]>();
  private readonly urdu = new Map<string, string>();

  constructor(districts: readonly GazetteerDistrict[]) {
    this.districts = districts;
    for (const d of districts) {
      this.byProvince.set(fold(d.province), d.province);
      const list = this.byDistrict.get(fold(d.district)) ?? [];
      list.push(d);
      this.byDistrict.set(fold(d.district), list);
      if (d.provinceUr) this.urdu.set(d.province, d.provinceUr);
      if (d.districtUr) this.urdu.set(d.district, d.districtUr);
      for (const t of d.tehsils) if (t.nameUr) this.urdu.set(t.name, t.nameUr);
    }
  }

  /** Groups area records (one per tehsil) by district; a later record of a district's tehsil wins. */
  static fromRecords(records: readonly AreaRecord[]): Gazetteer {
    const byKey = new Map<string, GazetteerDistrict>();
    for (const r of records) {
      const key = `${fold(r.province)}|${fold(r.district)}`;
      const had = byKey.get(key);
      const tehsils = (had?.tehsils ?? []).filter((t) => fold(t.name) !== fold(r.tehsil));
      tehsils.push({ name: r.tehsil, ...optional({ code: r.tehsilCode, nameUr: r.tehsilUr }) });
      byKey.set(key, {
        province: had?.province ?? r.province,
        district: had?.district ?? r.district,
        tehsils,
        cnicCode: r.cnicCode ?? had?.cnicCode ?? 0,
        ...optional({
          provinceCode: r.provinceCode ?? had?.provinceCode,
          districtCode: r.districtCode ?? had?.districtCode,
          provinceUr: r.provinceUr ?? had?.provinceUr,
          districtUr: r.districtUr ?? had?.districtUr,
        }),
      });
    }
    return new Gazetteer([...byKey.values()]);
  }

  /** The provinces in the shape of the built-in list, for forms and the generator. */
  provinces(): Province[] {
    const out = new Map<
      string,
      { name: string; cnicCode: number; districts: Province['districts'][number][] }
    >();
    for (const d of this.districts) {
      const p = out.get(d.province) ?? { name: d.province, cnicCode: d.cnicCode, districts: [] };
      p.districts.push({ name: d.district, tehsils: d.tehsils.map((t) => t.name), cnicCode: d.cnicCode });
      out.set(d.province, p);
    }
    return [...out.values()];
  }

  /** The Urdu name of a province, district or tehsil, when the gazetteer has one. */
  nameUr(name: string): string | undefined {
    return this.urdu.get(name);
  }

  /**
   * An area's name as a page in `lang` shows it: its Urdu name on Urdu pages, the registry spelling
   * everywhere else (English and Roman Urdu read Latin letters). A name without an Urdu one is shown as given.
   */
  nameIn(name: string, lang: Language): string {
    return lang === 'ur' ? (this.nameUr(name) ?? name) : name;
  }

  /** A province / district / tehsil triple in its canonical spelling, or why not (with the nearest names). */
  resolve(province: string, district: string, tehsil: string): AreaResult {
    const p = this.byProvince.get(fold(province));
    if (!p)
      return unknown(`unknown province "${province}"`, nearestNames(province, this.byProvince.values()));
    const candidates = this.byDistrict.get(fold(district));
    if (!candidates) {
      const inProvince = this.districts.filter((d) => d.province === p).map((d) => d.district);
      return unknown(`unknown district "${district}" in ${p}`, nearestNames(district, inProvince));
    }
    const entry = candidates.find((c) => c.province === p);
    if (!entry) {
      const where = candidates.map((c) => c.province).join(', ');
      return { ok: false, message: `district "${district}" is in ${where}, not ${p}`, suggestions: [where] };
    }
    const t = entry.tehsils.find((x) => fold(x.name) === fold(tehsil));
    if (!t) return this.unknownTehsil(tehsil, entry);
    return { ok: true, province: p, district: entry.district, tehsil: t.name, cnicCode: entry.cnicCode };
  }

  /**
   * Checks the areas a campaign declares (a district, optionally some of its tehsils): each problem
   * names the nearest known names. Returns the areas in canonical spelling when all are known.
   */
  checkDistricts<A extends { district: string; tehsils?: string[] | undefined }>(
    areas: readonly A[],
  ):
    | { ok: true; areas: A[] }
    | { ok: false; problems: { path: string; message: string; suggestions: string[] }[] } {
    const problems: { path: string; message: string; suggestions: string[] }[] = [];
    const canonical = areas.map((area, i) => {
      const entry = this.byDistrict.get(fold(area.district))?.[0];
      if (!entry) {
        const suggestions = nearestNames(
          area.district,
          this.districts.map((d) => d.district),
        );
        problems.push({
          path: `areas.${i}.district`,
          message: `unknown district "${area.district}"${didYouMean(suggestions)}`,
          suggestions,
        });
        return area;
      }
      const tehsils = (area.tehsils ?? []).map((tehsil, j) => {
        const t = entry.tehsils.find((x) => fold(x.name) === fold(tehsil));
        if (t) return t.name;
        const miss = this.unknownTehsil(tehsil, entry);
        problems.push({
          path: `areas.${i}.tehsils.${j}`,
          message: miss.message,
          suggestions: miss.suggestions ?? [],
        });
        return tehsil;
      });
      return { ...area, district: entry.district, ...(area.tehsils ? { tehsils } : {}) };
    });
    return problems.length ? { ok: false, problems } : { ok: true, areas: canonical };
  }

  private unknownTehsil(tehsil: string, entry: GazetteerDistrict) {
    const suggestions = nearestNames(
      tehsil,
      entry.tehsils.map((x) => x.name),
    );
    return unknown(`unknown tehsil "${tehsil}" in district ${entry.district}`, suggestions) as Extract<
      AreaResult,
      { ok: false }
    >;
  }
}

function unknown(message: string, suggestions: string[]): AreaResult {
  return { ok: false, message: `${message}${didYouMean(suggestions)}`, suggestions };
}

/** The defined entries only (exactOptionalPropertyTypes: no `key: undefined`). */
function optional<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, string>
  >;
}
