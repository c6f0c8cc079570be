import * as z from 'zod';

const code = z.string().regex(/^[0-9A-Za-z-]{1,12}$/, 'a PBS code: digits (letters and dashes allowed)');
const nameUr = z.string().min(1).max(80);

/**
 * One line of a gazetteer (areas) file: a tehsil, its district and province, their census (PBS)
 * codes and Urdu names. A district's rows together list all its tehsils: importing a district replaces
 * its tehsil list, so a renamed tehsil is one edited row.
 */
export const AreaImportSchema = z.object({
  province: z.string().trim().min(1).max(60),
  district: z.string().trim().min(1).max(60),
  tehsil: z.string().trim().min(1).max(60),
  provinceCode: code.optional(),
  districtCode: code.optional(),
  tehsilCode: code.optional(),
  provinceUr: nameUr.optional(),
  districtUr: nameUr.optional(),
  tehsilUr: nameUr.optional(),
  /** First digit of CNICs issued there; default the province's in the gazetteer in force. */
  cnicCode: z.number().int().min(1).max(9).optional(),
});
export type AreaRecord = z.infer<typeof AreaImportSchema>;
