/** A household being read from its member rows (one row per member, household columns repeated). */
export interface PendingHousehold {
  readonly householdId: string;
  readonly line: number;
  readonly raws: string[];
  readonly record: Record<string, unknown>;
  readonly members: Record<string, unknown>[];
  readonly conflicts: string[];
}

const LISTS = new Set(['phones', 'programmes']);
const same = (a: unknown, b: unknown) =>
  String(a).trim().replace(/\s+/g, ' ').toLowerCase() === String(b).trim().replace(/\s+/g, ' ').toLowerCase();

/** Starts a household at its first row. */
export function startHousehold(
  line: number,
  raw: string,
  record: Record<string, unknown>,
  member: Record<string, unknown>,
): PendingHousehold {
  return {
    householdId: String(record.householdId),
    line,
    raws: [raw],
    record: { ...record },
    members: Object.keys(member).length > 0 ? [member] : [],
    conflicts: [],
  };
}

/**
 * Adds a further row of the same household: its member, its phones and programmes (a union); a
 * household column that says something else than the first row's is a conflict, and the whole
 * household is refused rather than guessed.
 */
export function addHouseholdRow(
  household: PendingHousehold,
  line: number,
  raw: string,
  record: Record<string, unknown>,
  member: Record<string, unknown>,
): void {
  household.raws.push(raw);
  if (Object.keys(member).length > 0) household.members.push(member);
  for (const [field, value] of Object.entries(record)) {
    const had = household.record[field];
    if (LISTS.has(field)) {
      const list = [...((had as string[] | undefined) ?? []), ...(value as string[])];
      household.record[field] = [...new Set(list)];
    } else if (had === undefined) household.record[field] = value;
    else if (!same(had, value)) {
      household.conflicts.push(
        `${field} "${String(had)}" on line ${household.line} but "${String(value)}" on line ${line}`,
      );
    }
  }
}

/** The household record its rows make (members in row order). */
export function householdRecord(household: PendingHousehold): Record<string, unknown> {
  return { programmes: [], phones: [], ...household.record, members: household.members };
}
