import { type ImportFileKind, importDecoder } from '@madad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const HEADERS: Record<ImportFileKind, string> = {
  registry:
    'householdId,province,district,tehsil,pmtScore,surveyedAt,cnic,name,gender,birthYear,relation,maritalStatus,disabled',
  identity: 'cnic,name,gender,birthYear,status,simPhones',
  exclusions: 'cnic,filter,source,observedAt',
  areas: 'province,district,tehsil',
};

/** Lines a damaged or hostile file can hold: any UTF-16 units, commas, quotes, CSV-looking rows. */
const line = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('"', '""', ',', 'M', 'HEAD', '1')), {
      maxLength: 16,
    })
    .map((cells) => cells.join(',')),
  fc.string({ maxLength: 40 }).map((s) => s.repeat(60)),
);

describe('importDecoder (properties)', () => {
  it.each(['registry', 'identity', 'exclusions', 'areas'] as const)(
    'never throws on the lines of a %s file, CSV or NDJSON, and accounts for every line it was given',
    (kind) => {
      fc.assert(
        fc.property(
          fc.constantFrom('csv', 'ndjson') as fc.Arbitrary<'csv' | 'ndjson'>,
          fc.array(line, { maxLength: 30 }),
          (format, lines) => {
            // Arrange
            const decoder = importDecoder(kind, { format, header: HEADERS[kind], maxLineLength: 1000 });

            // Act
            const records = [...lines.flatMap((raw, i) => decoder.push(raw, i + 2)), ...decoder.end()];

            // Assert: each record is accepted or refused with a reason and names a line it was given
            for (const record of records) {
              expect(record.result.ok || typeof record.result.reason === 'string').toBe(true);
              expect(record.line).toBeGreaterThanOrEqual(2);
              expect(record.line).toBeLessThanOrEqual(lines.length + 1);
            }
            if (format === 'ndjson') expect(records).toHaveLength(lines.length);
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});
