/** The kinds of file an import reads. */
export type ImportFileKind = 'registry' | 'identity' | 'exclusions' | 'areas';

/** How a CSV cell becomes a field: text, a number, a list (`;` or `|` between items) or a year. */
export type CellType = 'text' | 'number' | 'list' | 'year';

export interface ColumnSpec {
  /** The field of the NDJSON record (`members.` fields are per member). */
  readonly field: string;
  readonly type: CellType;
  /** Other header names for it, as registries spell them (compared folded: case, spaces, `_`, `-` ignored). */
  readonly aliases: readonly string[];
  readonly required?: boolean;
}

const col = (field: string, type: CellType, aliases: string[], required = false): ColumnSpec => ({
  field,
  type,
  aliases,
  required,
});

const MEMBER: readonly ColumnSpec[] = [
  col('members.cnic', 'text', ['member cnic', 'cnic no', 'cnic number', 'national id', 'nic'], true),
  col('members.name', 'text', ['member name', 'full name', 'person name'], true),
  col('members.gender', 'text', ['sex']),
  col('members.birthYear', 'year', ['birth year', 'year of birth', 'yob', 'dob', 'date of birth']),
  col('members.relation', 'text', ['relationship', 'relation to head', 'rel to head']),
  col('members.maritalStatus', 'text', ['marital status', 'marital']),
  col('members.disabled', 'text', ['disability', 'is disabled', 'disabled flag']),
];

/**
 * Column names per kind. A registry CSV has one row per member with the household's columns
 * repeated (as NSER-style roster extracts come); rows of one household follow each other.
 */
export const COLUMNS: { readonly [K in ImportFileKind]: readonly ColumnSpec[] } = {
  registry: [
    col('householdId', 'text', ['household id', 'hh id', 'hhid', 'household no', 'household number'], true),
    col('province', 'text', ['province name', 'prov'], true),
    col('district', 'text', ['district name', 'dist'], true),
    col('tehsil', 'text', ['tehsil name', 'taluka', 'sub district', 'subdivision'], true),
    col('pmtScore', 'number', ['pmt score', 'pmt', 'score'], true),
    col('surveyedAt', 'text', ['surveyed at', 'survey date', 'interview date'], true),
    col('programmes', 'list', ['programs', 'programme', 'program']),
    col('phones', 'list', ['phone', 'mobile', 'mobile no', 'phone numbers', 'contact']),
    col('source', 'text', ['data source']),
    col('enumerator', 'text', ['enumerator code', 'enumerator id', 'interviewer', 'interviewer code']),
    ...MEMBER,
  ],
  identity: [
    col('cnic', 'text', ['cnic no', 'cnic number', 'national id', 'nic'], true),
    col('name', 'text', ['full name', 'person name'], true),
    col('gender', 'text', ['sex'], true),
    col('birthYear', 'year', ['birth year', 'year of birth', 'yob', 'dob', 'date of birth'], true),
    col('status', 'text', ['cnic status', 'life status'], true),
    col('simPhones', 'list', ['sim phones', 'sims', 'sim numbers', 'mobiles']),
  ],
  exclusions: [
    col('cnic', 'text', ['cnic no', 'cnic number', 'national id', 'nic'], true),
    col('filter', 'text', ['exclusion', 'flag', 'exclusion filter'], true),
    col('source', 'text', ['data source', 'agency'], true),
    col('observedAt', 'text', ['observed at', 'observed on', 'date'], true),
  ],
  areas: [
    col('province', 'text', ['province name'], true),
    col('district', 'text', ['district name'], true),
    col('tehsil', 'text', ['tehsil name', 'taluka', 'sub district'], true),
    col('provinceCode', 'text', ['province code', 'pbs province code']),
    col('districtCode', 'text', ['district code', 'pbs district code']),
    col('tehsilCode', 'text', ['tehsil code', 'pbs tehsil code']),
    col('provinceUr', 'text', ['province urdu', 'province name ur']),
    col('districtUr', 'text', ['district urdu', 'district name ur']),
    col('tehsilUr', 'text', ['tehsil urdu', 'tehsil name ur']),
    col('cnicCode', 'number', ['cnic code', 'cnic province digit']),
  ],
};

/** Header names compare without case, spaces, `_`, `-` or `.`: `Household ID` = `household_id`. */
export const foldColumn = (name: string): string => name.toLowerCase().replace(/[\s_.-]+/g, '');

/** The field each header column fills (undefined: a column the import does not read). */
export function mapHeader(
  kind: ImportFileKind,
  header: readonly string[],
): { columns: (ColumnSpec | undefined)[]; missing: string[]; ignored: string[] } {
  const byName = new Map<string, ColumnSpec>();
  for (const spec of COLUMNS[kind]) {
    const short = spec.field.replace(/^members\./, '');
    for (const name of [short, spec.field, ...spec.aliases]) byName.set(foldColumn(name), spec);
  }
  const columns = header.map((name) => byName.get(foldColumn(name)));
  const present = new Set(columns.filter((c) => c !== undefined).map((c) => c.field));
  const missing = COLUMNS[kind].filter((c) => c.required && !present.has(c.field)).map((c) => c.field);
  const ignored = header.filter((_, i) => columns[i] === undefined);
  return { columns, missing, ignored };
}

/** A cell as its field's type; empty cells are absent (undefined), so the schema names what is missing. */
export function cellValue(type: CellType, cell: string): unknown {
  const text = cell.trim();
  if (text === '') return type === 'list' ? [] : undefined;
  switch (type) {
    case 'text':
      return text;
    case 'number':
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 'list':
      return text
        .split(/[;|]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'year': {
      // A year, or a date of birth (1985-03-02, 02/03/1985): its four-digit year.
      const year = /^\d{4}$/.test(text) ? text : /\b(\d{4})\b/.exec(text)?.[1];
      return year ? Number(year) : text;
    }
  }
}
