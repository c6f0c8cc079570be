import { createHash } from 'node:crypto';
import {
  builtInGazetteer,
  type ExclusionFilter,
  type ExclusionImport,
  type HouseholdImport,
  type IdentityImport,
} from '@madad/core';
import { IdentifierSequence, SharedPhones } from './identifiers.js';
import { composeMembers, type Person } from './members.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES } from './names.js';
import { SeededRandom } from './prng.js';

/** One generated household with the ID authority's records of its members and any exclusion flags. */
export interface GeneratedHousehold {
  readonly household: HouseholdImport;
  readonly identities: IdentityImport[];
  readonly exclusions: ExclusionImport[];
}

export interface PopulationOptions {
  readonly households: number;
  readonly seed: string;
}

/** The shipped areas file's provinces, districts and tehsils (the default gazetteer). */
const SHIPPED_PROVINCES = builtInGazetteer().provinces();

// 2023 census population (millions), so provinces get their share of households.
const PROVINCE_WEIGHTS = SHIPPED_PROVINCES.map(
  (p) =>
    ({
      Punjab: 127.7,
      Sindh: 55.7,
      'Khyber Pakhtunkhwa': 40.9,
      Balochistan: 14.9,
      'Islamabad Capital Territory': 2.4,
      'Gilgit-Baltistan': 1.5,
      'Azad Jammu and Kashmir': 4.0,
    })[p.name] ?? 1,
);
// Poorer provinces score lower; shifts are population-weighted to about zero overall.
const SCORE_SHIFT: Record<string, number> = {
  Balochistan: -5,
  'Islamabad Capital Territory': 10,
  'Gilgit-Baltistan': -2,
};
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
// Household sizes as in the HIES, mean about 6.3.
const SIZE_WEIGHTS = [2, 5, 8, 12, 15, 15, 13, 10, 7, 5, 3, 2, 1.2, 0.8, 0.6];
const FILTERS: ExclusionFilter[] = [
  'VEHICLE_OWNER',
  'GOVT_EMPLOYEE',
  'INTL_TRAVEL',
  'HIGH_PHONE_BILL',
  'TAXPAYER',
  'PENSIONER',
  'EXECUTIVE_ID',
];
const FILTER_WEIGHTS = [30, 20, 15, 15, 10, 7, 3];
const FILTER_SOURCES: Record<ExclusionFilter, string> = {
  VEHICLE_OWNER: 'Excise and Taxation',
  GOVT_EMPLOYEE: 'AGPR',
  INTL_TRAVEL: 'FIA',
  HIGH_PHONE_BILL: 'PTA',
  TAXPAYER: 'FBR',
  PENSIONER: 'AGPR',
  EXECUTIVE_ID: 'NADRA',
};

const pad2 = (n: number) => String(n).padStart(2, '0');
const date = (rng: SeededRandom, fromYear: number, toYear: number) =>
  `${rng.int(fromYear, toYear)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`;

/**
 * A synthetic, reproducible population, one household at a time (so a million need no more memory
 * than one): the same seed always yields the same households in the same order.
 */
export function* generatePopulation(options: PopulationOptions): Generator<GeneratedHousehold> {
  const rng = new SeededRandom(`madad-population:${options.seed}`);
  const ids = new IdentifierSequence(rng);
  const phones = new SharedPhones(rng, ids, 0.03);
  const tag = options.seed.replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || 'S';
  for (let i = 1; i <= options.households; i++) {
    yield generateHousehold(rng, ids, phones, `HH-${tag}-${String(i).padStart(8, '0')}`);
  }
}

/**
 * The enumerator who surveyed a household: one of eight per district, from a hash of the household
 * id rather than the seeded stream, so adding it changed no other generated value.
 */
function enumeratorOf(district: string, householdId: string): string {
  const n = createHash('sha256').update(householdId).digest().readUInt8(0) % 8;
  const code = district
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 3)
    .toUpperCase();
  return `${code}-E${n + 1}`;
}

function generateHousehold(
  rng: SeededRandom,
  ids: IdentifierSequence,
  phones: SharedPhones,
  householdId: string,
) {
  const province = rng.weighted(SHIPPED_PROVINCES, PROVINCE_WEIGHTS);
  const district = rng.pick(province.districts);
  const size = rng.weighted(SIZES, SIZE_WEIGHTS);
  const surveyedAt = date(rng, 2021, 2023);
  const cnicCode = district.cnicCode ?? province.cnicCode;
  const people = composeMembers(rng, ids, phones, {
    size,
    surveyYear: Number(surveyedAt.slice(0, 4)),
    cnicCode,
    familyName: rng.pick(FAMILY_NAMES),
  });
  // Bigger households tend to be poorer; N(42, 15) puts about a quarter at or below 32.
  const raw = rng.normal(42 + (SCORE_SHIFT[province.name] ?? 0) - (size - 6) * 0.6, 15);
  const pmtScore = Math.round(Math.min(100, Math.max(0, raw)) * 100) / 100;
  const household: HouseholdImport = {
    householdId,
    province: province.name,
    district: district.name,
    tehsil: rng.pick(district.tehsils),
    pmtScore,
    surveyedAt,
    programmes: programmesFor(rng, pmtScore, people),
    members: people.map((p) => p.member),
    phones: [
      ...new Set(
        people
          .filter((p) => p.member.relation === 'head' || p.member.relation === 'spouse')
          .flatMap((p) => p.simPhones),
      ),
    ].slice(0, 2),
    source: rng.weighted(['survey', 'desk', 'self-registered'] as const, [92, 6, 2]),
    enumerator: enumeratorOf(district.name, householdId),
  };
  const identities = people.map((p) => identityOf(rng, p));
  // A few adults hold a CNIC but were never surveyed: the people dynamic inclusion is for.
  if (rng.chance(0.05)) {
    const gender = rng.chance(0.5) ? 'male' : 'female';
    identities.push({
      cnic: ids.nextCnic(cnicCode, gender),
      name: `${rng.pick(gender === 'male' ? MALE_NAMES : FEMALE_NAMES)} ${rng.pick(FAMILY_NAMES)}`,
      gender,
      birthYear: 1960 + rng.int(0, 45),
      status: 'ALIVE',
      simPhones: rng.chance(0.6) ? [phones.next()] : [],
    });
  }
  return { household, identities, exclusions: exclusionsFor(rng, pmtScore, people) };
}

// About 30% enrolled in the regular programme, mostly the poorest; some of those also in Taleemi (schooling).
function programmesFor(rng: SeededRandom, pmtScore: number, people: Person[]): string[] {
  const enrolled = rng.chance(pmtScore <= 32 ? 0.85 : pmtScore <= 40 ? 0.35 : 0.035);
  if (!enrolled) return [];
  const schoolAge = people.some((p) => p.member.relation === 'child' && p.age >= 4 && p.age <= 16);
  return schoolAge && rng.chance(0.4) ? ['KAFAALAT', 'TALEEMI'] : ['KAFAALAT'];
}

function identityOf(rng: SeededRandom, p: Person): IdentityImport {
  const deceased = rng.chance(p.age >= 60 ? 0.04 : 0.003);
  const status = deceased ? 'DECEASED' : rng.chance(0.004) ? 'BLOCKED' : 'ALIVE';
  const { cnic, name, gender, birthYear } = p.member;
  return { cnic, name, gender, birthYear, status, simPhones: p.simPhones };
}

// Wealth signals from administrative data, more frequent the higher the score.
function exclusionsFor(rng: SeededRandom, pmtScore: number, people: Person[]): ExclusionImport[] {
  const rate = pmtScore > 50 ? 0.04 : pmtScore > 32 ? 0.012 : 0.003;
  return people
    .filter((p) => p.age >= 18 && rng.chance(rate))
    .flatMap((p) => {
      const first = rng.weighted(FILTERS, FILTER_WEIGHTS);
      const second = rng.chance(0.1) ? rng.weighted(FILTERS, FILTER_WEIGHTS) : first;
      return [...new Set([first, second])].map((filter) => ({
        cnic: p.member.cnic,
        filter,
        source: FILTER_SOURCES[filter],
        observedAt: date(rng, 2022, 2024),
      }));
    });
}
