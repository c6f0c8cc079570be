import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cnicGender,
  type ExclusionImport,
  type HouseholdImport,
  type IdentityImport,
  isKnownArea,
  resolveArea,
  validateExclusionLine,
  validateHouseholdLine,
  validateIdentityLine,
} from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POPULATION_FILES, writePopulation } from '../../packages/cli/src/generate/write-population.js';

const HOUSEHOLDS = 5_000;
let dir: string;
let households: HouseholdImport[];
let identities: IdentityImport[];
let exclusions: ExclusionImport[];

const readLines = async (path: string) => (await readFile(path, 'utf8')).trimEnd().split('\n');
const parse = <T>(lines: string[]) => lines.map((line) => JSON.parse(line) as T);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madad-generate-'));
  await writePopulation({ households: HOUSEHOLDS, seed: 'spec', outDir: join(dir, 'a') });
  households = parse(await readLines(join(dir, 'a', POPULATION_FILES.households)));
  identities = parse(await readLines(join(dir, 'a', POPULATION_FILES.identities)));
  exclusions = parse(await readLines(join(dir, 'a', POPULATION_FILES.exclusions)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePopulation', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    await writePopulation({ households: 500, seed: 'same', outDir: join(dir, 'b') });
    await writePopulation({ households: 500, seed: 'same', outDir: join(dir, 'c') });
    await writePopulation({ households: 500, seed: 'other', outDir: join(dir, 'd') });

    for (const file of Object.values(POPULATION_FILES)) {
      const [b, c, d] = await Promise.all(['b', 'c', 'd'].map((x) => readFile(join(dir, x, file))));
      expect(b?.equals(c ?? Buffer.alloc(0)), file).toBe(true);
      expect(b?.equals(d ?? Buffer.alloc(0)), file).toBe(false);
    }
  });

  it('writes lines that the importer accepts', async () => {
    const [h, i, e] = await Promise.all(
      Object.values(POPULATION_FILES).map((f) => readLines(join(dir, 'a', f))),
    );

    expect(h?.filter((line) => !validateHouseholdLine(line).ok)).toEqual([]);
    expect(i?.filter((line) => !validateIdentityLine(line).ok)).toEqual([]);
    expect(e?.filter((line) => !validateExclusionLine(line).ok)).toEqual([]);
  });

  it('puts about a quarter of households at or below a PMT score of 32', () => {
    const poor = households.filter((h) => h.pmtScore <= 32).length / HOUSEHOLDS;

    expect(poor).toBeGreaterThan(0.22);
    expect(poor).toBeLessThan(0.28);
    expect(households.every((h) => h.pmtScore >= 0 && h.pmtScore <= 100)).toBe(true);
  });

  it('gives households of 1 to 15 members, about 6 on average', () => {
    const sizes = households.map((h) => h.members.length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;

    expect(mean).toBeGreaterThan(5.5);
    expect(mean).toBeLessThan(6.8);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(15);
    expect(households.every((h) => h.members.filter((m) => m.relation === 'head').length === 1)).toBe(true);
  });

  it('codes the province in the first CNIC digit and the gender in the last', () => {
    for (const h of households) {
      const area = resolveArea(h.province, h.district, h.tehsil);
      expect(area.ok && isKnownArea(h.province, h.district, h.tehsil)).toBe(true);
      for (const m of h.members) {
        expect(m.cnic).toMatch(/^\d{13}$/);
        expect(Number(m.cnic[0])).toBe(area.ok ? area.cnicCode : -1);
        expect(cnicGender(m.cnic)).toBe(m.gender);
      }
    }
  });

  it('never repeats a CNIC, and gives every member an identity record', () => {
    const memberCnics = households.flatMap((h) => h.members.map((m) => m.cnic));
    const identityCnics = new Set(identities.map((i) => i.cnic));

    expect(new Set(memberCnics).size).toBe(memberCnics.length);
    expect(identityCnics.size).toBe(identities.length);
    expect(memberCnics.every((c) => identityCnics.has(c))).toBe(true);
  });

  it('spreads households over every province, about 30% in the regular programme, mostly poor', () => {
    const provinces = new Set(households.map((h) => h.province));
    const enrolled = households.filter((h) => h.programmes.includes('KAFAALAT'));

    expect(provinces.size).toBe(7);
    expect(enrolled.length / HOUSEHOLDS).toBeGreaterThan(0.25);
    expect(enrolled.length / HOUSEHOLDS).toBeLessThan(0.35);
    expect(enrolled.filter((h) => h.pmtScore <= 40).length / enrolled.length).toBeGreaterThan(0.8);
  });

  it('flags a few percent of households, marks about 1% deceased or blocked, and shares some phones', () => {
    const flagged = new Set(exclusions.map((e) => e.cnic));
    const householdsFlagged = households.filter((h) => h.members.some((m) => flagged.has(m.cnic))).length;
    const unavailable = identities.filter((i) => i.status !== 'ALIVE').length / identities.length;
    const owners = new Map<string, number>();
    for (const phone of identities.flatMap((i) => i.simPhones))
      owners.set(phone, (owners.get(phone) ?? 0) + 1);
    const shared = [...owners.values()].filter((n) => n > 1).length;

    expect(householdsFlagged / HOUSEHOLDS).toBeGreaterThan(0.02);
    expect(householdsFlagged / HOUSEHOLDS).toBeLessThan(0.1);
    expect(unavailable).toBeGreaterThan(0.005);
    expect(unavailable).toBeLessThan(0.02);
    expect(shared).toBeGreaterThan(50);
    expect(shared / owners.size).toBeLessThan(0.1);
    expect(households.filter((h) => h.phones.length > 0).length / HOUSEHOLDS).toBeGreaterThan(0.8);
  });
});
