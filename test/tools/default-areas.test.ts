import { readFileSync } from 'node:fs';
import { builtInAreaRecords, builtInGazetteer } from '@madad/core';
import { describe, expect, it } from 'vitest';
import { AREAS_CSV_PATH, AREAS_JSON_PATH, districtsOfAreasFile } from '../../tools/areas/default-areas.js';

describe('the built-in gazetteer (one definition: the shipped areas file)', () => {
  it('is the shipped CSV as an areas import reads it: run `npm run areas:default` after editing the CSV', () => {
    // Arrange: the file an operator copies, edits and imports with `madad import areas`
    const fromCsv = districtsOfAreasFile(readFileSync(AREAS_CSV_PATH, 'utf8'));

    // Act: what the product embeds (generated JSON) and what it serves from it
    const embedded: unknown = JSON.parse(readFileSync(AREAS_JSON_PATH, 'utf8'));

    // Assert
    expect(embedded).toEqual(fromCsv);
    expect(builtInGazetteer().districts).toEqual(fromCsv);
    expect(builtInAreaRecords()).toHaveLength(fromCsv.flatMap((d) => d.tehsils).length);
  });
});
