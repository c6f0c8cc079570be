import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DistrictCounts,
  type OutcomeCounts,
  type PublicCell,
  type PublicRow,
  publicPaid,
  suppressSmallCells,
} from '../../packages/core/src/stats/public-figures.js';

const counts = (eligible: number, notEligible: number): OutcomeCounts => ({ eligible, notEligible });
const exact = (cell: PublicCell) => (cell.kind === 'count' ? cell.value : undefined);
/** What anyone can compute from an exact row: registered, eligible and their difference. */
const exactRow = (row: PublicRow) => {
  const registered = exact(row.registered);
  const eligible = exact(row.eligible);
  return registered === undefined || eligible === undefined
    ? undefined
    : { eligible, notEligible: registered - eligible };
};
const sum = (rows: readonly OutcomeCounts[]) =>
  rows.reduce((a, b) => counts(a.eligible + b.eligible, a.notEligible + b.notEligible), counts(0, 0));

// Small counts on purpose: most areas are sparse, which is where suppression must hold.
const anyCounts = fc.record({ eligible: fc.nat(12), notEligible: fc.nat(12) });
const anyDistricts: fc.Arbitrary<DistrictCounts[]> = fc
  .uniqueArray(
    fc.record({
      district: fc.constantFrom('Lahore', 'Karachi', 'Diamer', 'Multan', 'Swat', 'Thatta'),
      tehsils: fc.uniqueArray(
        fc.record({ tehsil: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5', 'T6'), counts: anyCounts }),
        { selector: (t) => t.tehsil, maxLength: 6 },
      ),
      withoutTehsil: fc.record({ eligible: fc.nat(3), notEligible: fc.nat(3) }),
    }),
    { selector: (d) => d.district, maxLength: 6 },
  )
  .map((ds) =>
    ds.map(({ district, tehsils, withoutTehsil }) => ({
      district,
      tehsils,
      total: sum([withoutTehsil, ...tehsils.map((t) => t.counts)]),
    })),
  );

/** Every exact row with its true counts, and each parent's exact children. */
function checkTable(input: DistrictCounts[]) {
  const table = suppressSmallCells(input);
  const truth = new Map(input.map((d) => [d.district, d]));
  const total = sum(input.map((d) => d.total));
  return { table, truth, total };
}

describe('small cells on the public campaign page (suppressSmallCells)', () => {
  it('never shows a count from 0 to 4: every published number is at least 5', () => {
    fc.assert(
      fc.property(anyDistricts, (input) => {
        const { table } = checkTable(input);
        const rows = [
          table.total,
          ...(table.otherDistricts ? [table.otherDistricts] : []),
          ...table.districts.flatMap((d) => [
            d.figures,
            ...d.tehsils.map((t) => t.figures),
            ...(d.otherTehsils ? [d.otherTehsils] : []),
          ]),
        ];
        for (const row of rows) {
          for (const cell of [row.registered, row.eligible]) {
            if (cell.kind === 'count') expect(cell.value).toBeGreaterThanOrEqual(5);
          }
          // Nor by subtraction within a row: registered minus eligible.
          const derived = exactRow(row);
          if (derived) expect(derived.notEligible).toBeGreaterThanOrEqual(5);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('publishes true figures whose parts add up: shown areas plus "other" equal their total', () => {
    fc.assert(
      fc.property(anyDistricts, (input) => {
        const { table, truth, total } = checkTable(input);
        if (table.districts.length > 0) {
          expect(exactRow(table.total)).toEqual(total);
          const parts = table.districts.map((d) => exactRow(d.figures) ?? counts(NaN, NaN));
          const other = table.otherDistricts ? exactRow(table.otherDistricts) : counts(0, 0);
          expect(sum([...parts, other ?? counts(NaN, NaN)])).toEqual(total);
        }
        for (const d of table.districts) {
          const known = truth.get(d.district);
          expect(exactRow(d.figures)).toEqual(known?.total);
          for (const t of d.tehsils) {
            expect(exactRow(t.figures)).toEqual(known?.tehsils.find((x) => x.tehsil === t.tehsil)?.counts);
          }
          if (d.tehsils.length > 0) {
            const parts = d.tehsils.map((t) => exactRow(t.figures) ?? counts(NaN, NaN));
            const other = d.otherTehsils ? exactRow(d.otherTehsils) : counts(0, 0);
            expect(sum([...parts, other ?? counts(NaN, NaN)])).toEqual(known?.total);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('lets no subtraction reveal a suppressed cell: a total minus its shown areas is 0 or at least 5 of each', () => {
    fc.assert(
      fc.property(anyDistricts, (input) => {
        const { table } = checkTable(input);
        const remainderOk = (parent: PublicRow, shown: readonly PublicRow[]) => {
          const whole = exactRow(parent);
          if (!whole || shown.length === 0) return;
          const rest = sum(shown.map((r) => exactRow(r) ?? counts(NaN, NaN)));
          const eligible = whole.eligible - rest.eligible;
          const notEligible = whole.notEligible - rest.notEligible;
          if (eligible === 0 && notEligible === 0) return;
          expect(eligible).toBeGreaterThanOrEqual(5);
          expect(notEligible).toBeGreaterThanOrEqual(5);
        };
        remainderOk(
          table.total,
          table.districts.map((d) => d.figures),
        );
        for (const d of table.districts) {
          remainderOk(
            d.figures,
            d.tehsils.map((t) => t.figures),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('names no area with fewer than 5 eligible or fewer than 5 not eligible', () => {
    fc.assert(
      fc.property(anyDistricts, (input) => {
        const { table, truth } = checkTable(input);
        for (const d of table.districts) {
          const known = truth.get(d.district);
          expect(known && known.total.eligible >= 5 && known.total.notEligible >= 5).toBe(true);
          for (const t of d.tehsils) {
            const c = known?.tehsils.find((x) => x.tehsil === t.tehsil)?.counts;
            expect(c && c.eligible >= 5 && c.notEligible >= 5).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('shows the only household of Darel as "fewer than 5", with no tehsil or district named', () => {
    const table = suppressSmallCells([
      { district: 'Diamer', total: counts(0, 1), tehsils: [{ tehsil: 'Darel', counts: counts(0, 1) }] },
    ]);

    expect(table).toEqual({
      total: { registered: { kind: 'fewer-than-5' }, eligible: { kind: 'fewer-than-5' } },
      districts: [],
    });
  });

  it('folds a shown tehsil into "other tehsils" when the remainder alone would be small', () => {
    const table = suppressSmallCells([
      {
        district: 'Lahore',
        total: counts(20, 14),
        tehsils: [
          { tehsil: 'Model Town', counts: counts(12, 8) },
          { tehsil: 'Raiwind', counts: counts(6, 5) },
          { tehsil: 'Shalimar', counts: counts(2, 1) },
        ],
      },
    ]);

    expect(table.districts[0]?.tehsils.map((t) => t.tehsil)).toEqual(['Model Town']);
    expect(table.districts[0]?.otherTehsils).toEqual({
      registered: { kind: 'count', value: 14 },
      eligible: { kind: 'count', value: 8 },
    });
  });

  it('withholds the eligible count of a total when fewer than 5 are not eligible', () => {
    const table = suppressSmallCells([{ district: 'Swat', total: counts(9, 2), tehsils: [] }]);

    expect(table.total).toEqual({ registered: { kind: 'count', value: 11 }, eligible: { kind: 'withheld' } });
  });

  it('withholds the amount paid while fewer than 5 households are paid', () => {
    expect(publicPaid({ households: 1, amount: 12000 })).toEqual({
      households: { kind: 'fewer-than-5' },
      amount: { kind: 'withheld' },
    });
    expect(publicPaid({ households: 5, amount: 60000 })).toEqual({
      households: { kind: 'count', value: 5 },
      amount: { kind: 'count', value: 60000 },
    });
  });
});
