import {
  builtInGazetteer,
  isNormalizedCnic,
  type LineResult,
  normalizeCnic,
  validateExclusionLine,
  validateHouseholdLine,
  validateIdentityLine,
} from '@madad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

type Validator = (raw: string) => LineResult<unknown>;
const VALIDATORS: [string, Validator][] = [
  ['validateHouseholdLine', validateHouseholdLine],
  ['validateIdentityLine', validateIdentityLine],
  ['validateExclusionLine', validateExclusionLine],
];

/** Any UTF-16 unit, lone surrogates included: what a damaged export file can contain. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 400 }),
);

// --- valid values, spelled every way a data owner's file spells them ---

const DIGIT_BLOCKS = [0x30, 0x6f0, 0x660, 0xff10]; // ASCII, Urdu, Arabic-Indic, fullwidth
const digitsIn = (digits: string, zero: number) =>
  [...digits].map((d) => String.fromCharCode(zero + Number(d))).join('');

const cnicDigits = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.stringMatching(/^[0-9]{12}$/))
  .map(([province, rest]) => `${province}${rest}`);

/** A CNIC as written on the card, with spaces, or bare; in any digit block. At most 20 characters. */
const cnicSpelling = (digits: string) =>
  fc
    .tuple(fc.constantFrom('-', ' ', '', '.', '\u2013'), fc.constantFrom(...DIGIT_BLOCKS))
    .map(([sep, zero]) =>
      [digits.slice(0, 5), digits.slice(5, 12), digits.slice(12)]
        .map((part) => digitsIn(part, zero))
        .join(sep),
    );

const mobile = fc
  .tuple(fc.stringMatching(/^3[0-9]{9}$/), fc.constantFrom('0', '+92', '0092', '92', '+92 ', '+92-'))
  .map(([national, prefix]) => `${prefix}${national.slice(0, 3)} ${national.slice(3)}`);

/** Province, district and tehsil from the fixed list, in any case and spacing. */
const area = fc
  .constantFrom(
    ...builtInGazetteer()
      .provinces()
      .flatMap((p) =>
        p.districts.flatMap((d) => d.tehsils.map((tehsil) => [p.name, d.name, tehsil] as const)),
      ),
  )
  .chain((names) =>
    fc
      .tuple(...names.map((name) => fc.constantFrom(name, name.toUpperCase(), ` ${name.toLowerCase()}  `)))
      .map(([province = '', district = '', tehsil = '']) => ({ province, district, tehsil })),
  );

const isoDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const name = fc.string({ minLength: 1, maxLength: 120 });

const member = (digits: string) =>
  fc.record({
    cnic: cnicSpelling(digits),
    name,
    gender: fc.constantFrom('male', 'female'),
    birthYear: fc.integer({ min: 1900, max: 2100 }),
    relation: fc.constantFrom('head', 'spouse', 'child', 'parent', 'sibling', 'other'),
    maritalStatus: fc.constantFrom('single', 'married', 'widowed', 'divorced'),
    disabled: fc.boolean(),
  });

const household = fc
  .uniqueArray(cnicDigits, { minLength: 1, maxLength: 6 })
  .chain((cnics) =>
    fc.record(
      {
        householdId: fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
        area,
        pmtScore: fc.double({ min: 0, max: 100, noNaN: true }),
        surveyedAt: isoDate,
        programmes: fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 20 }),
        members: fc.tuple(...cnics.map(member)),
        phones: fc.array(mobile, { maxLength: 10 }),
        source: fc.constantFrom('survey', 'desk', 'self-registered'),
      },
      { requiredKeys: ['householdId', 'area', 'pmtScore', 'surveyedAt', 'programmes', 'members', 'phones'] },
    ),
  )
  .map(({ area: where, ...h }) => ({ ...h, ...where }));

const identity = cnicDigits.chain((digits) =>
  fc.record({
    cnic: cnicSpelling(digits),
    name,
    gender: fc.constantFrom('male', 'female'),
    birthYear: fc.integer({ min: 1900, max: 2100 }),
    status: fc.constantFrom('ALIVE', 'DECEASED', 'BLOCKED'),
    simPhones: fc.array(mobile, { maxLength: 20 }),
  }),
);

const exclusion = cnicDigits.chain((digits) =>
  fc.record({
    cnic: cnicSpelling(digits),
    filter: fc.constantFrom('VEHICLE_OWNER', 'INTL_TRAVEL', 'GOVT_EMPLOYEE', 'HIGH_PHONE_BILL', 'TAXPAYER'),
    source: fc.string({ minLength: 1, maxLength: 60 }),
    observedAt: isoDate,
  }),
);

// --- invalid CNICs: near misses first, then anything at all ---

const invalidCnic = fc
  .oneof(
    fc.stringMatching(/^[1-7][0-9]{11}$/), // 12 digits
    fc.stringMatching(/^[1-7][0-9]{13}$/), // 14 digits
    fc.stringMatching(/^[089][0-9]{12}$/), // a province never issued
    fc.stringMatching(/^[1-7][0-9]{4}-[0-9]{6}[A-Za-z]-[0-9]$/), // a letter in it
    cnicDigits.map((d) => `${d.slice(0, 12)}\u0661\u0662`), // one Arabic-Indic digit too many
    cnicDigits.map((d) => d.replace(/^./, '\u0669')), // province 9 in Arabic-Indic digits
    anyText,
  )
  .filter((raw) => !normalizeCnic(raw).ok);

/** Every CNIC an accepted value carries. */
function cnicsOf(value: unknown): string[] {
  const v = value as { cnic?: string; members?: { cnic: string }[] };
  return v.members ? v.members.map((m) => m.cnic) : v.cnic !== undefined ? [v.cnic] : [];
}

/** A valid record with one field replaced by arbitrary JSON: the line a buggy exporter writes. */
const mutated = <T extends object>(valid: fc.Arbitrary<T>) =>
  fc.tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue(), fc.nat()).map(([record, key, junk, pick]) => {
    const keys = Object.keys(record);
    const target = pick % 3 === 0 ? key : (keys[pick % keys.length] ?? key);
    return JSON.stringify({ ...record, [target]: junk });
  });

describe.each(VALIDATORS)('%s (properties)', (_name, validate) => {
  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.jsonValue().map((v) => JSON.stringify(v)),
          mutated(household),
          mutated(identity),
          mutated(exclusion),
        ),
        (raw) => {
          const result = validate(raw);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.message).toEqual(expect.any(String));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('accepts only normalized CNICs, whatever the line', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(household), mutated(identity), mutated(exclusion)), (raw) => {
        const result = validate(raw);
        if (result.ok) for (const cnic of cnicsOf(result.value)) expect(isNormalizedCnic(cnic)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});

describe('import lines with an invalid CNIC', () => {
  it('are refused as BAD_CNIC, wherever the CNIC is', () => {
    fc.assert(
      fc.property(household, identity, exclusion, invalidCnic, fc.nat(), (h, i, e, bad, at) => {
        const members = h.members.map((m, n) => (n === at % h.members.length ? { ...m, cnic: bad } : m));
        const lines = [
          validateHouseholdLine(JSON.stringify({ ...h, members })),
          validateIdentityLine(JSON.stringify({ ...i, cnic: bad })),
          validateExclusionLine(JSON.stringify({ ...e, cnic: bad })),
        ];
        for (const result of lines) expect(result).toMatchObject({ ok: false, reason: 'BAD_CNIC' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('accepted import lines', () => {
  it.each([
    ['household', household, validateHouseholdLine],
    ['identity', identity, validateIdentityLine],
    ['exclusion', exclusion, validateExclusionLine],
  ] as [string, fc.Arbitrary<object>, Validator][])(
    'round-trip: a %s line, however spelled, validates to a value that validates to itself',
    (_kind, valid, validate) => {
      fc.assert(
        fc.property(valid, (record) => {
          const first = validate(JSON.stringify(record));
          expect(first).toMatchObject({ ok: true });
          if (!first.ok) return;
          // The CNICs are the ones the file meant, in 13 ASCII digits.
          const meant = cnicsOf(record).map((raw) => normalizeCnic(raw));
          expect(cnicsOf(first.value)).toEqual(meant.map((m) => (m.ok ? m.cnic : 'not a CNIC')));

          const again = validate(JSON.stringify(first.value));

          expect(again).toEqual(first);
        }),
        { numRuns: 400 },
      );
    },
  );
});
