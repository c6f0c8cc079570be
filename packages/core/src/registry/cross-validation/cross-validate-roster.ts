import { mapBounded } from '../../payments/map-bounded.js';
import { type CrossValidationReport, CrossValidationTally } from './cross-validation-report.js';
import {
  type AuthorityDirectory,
  type RectificationStore,
  type RosterSource,
  rectificationIdOf,
} from './rectification-ports.js';
import { compareMember } from './roster-fields.js';

export interface CrossValidationDeps {
  readonly roster: RosterSource;
  readonly authority: AuthorityDirectory;
  readonly rectifications: Pick<RectificationStore, 'open'>;
  readonly clock: { now(): Date };
}

export interface CrossValidationProgress {
  readonly households: number;
  readonly members: number;
  readonly mismatches: number;
  readonly opened: number;
}

/** Rectification items written at once (single-item conditional puts). */
const OPEN_CONCURRENCY = 16;

/**
 * Cross-validates every registry member with the ID authority's record: reads the registry page by
 * page, the authority's records of each page by key, compares, and opens one rectification per
 * mismatched member and field (a conditional create, so a re-run, or a run after a crash, opens
 * nothing twice and leaves decided items as they are). Returns the report; `onProgress` after each page.
 */
export async function crossValidateRoster(
  deps: CrossValidationDeps,
  input: { runId: string; onProgress?: (progress: CrossValidationProgress) => void },
): Promise<CrossValidationReport & { opened: number }> {
  const tally = new CrossValidationTally();
  let households = 0;
  let members = 0;
  let mismatches = 0;
  let opened = 0;
  const foundAt = deps.clock.now().toISOString();
  for await (const page of deps.roster.pages()) {
    const records = await deps.authority.records(page.flatMap((h) => h.members.map((m) => m.cnicHash)));
    const toOpen = [];
    for (const household of page) {
      households++;
      tally.addHousehold();
      for (const member of household.members) {
        members++;
        const record = records.get(member.cnicHash);
        if (!record) {
          tally.addUnknown();
          continue;
        }
        const result = compareMember(member, record);
        tally.add(household, result);
        mismatches += result.mismatches.length;
        for (const m of result.mismatches)
          toOpen.push({
            rectificationId: rectificationIdOf(member.cnicHash, m.field),
            householdId: household.householdId,
            cnicHash: member.cnicHash,
            cnicMasked: member.cnicMasked,
            ...m,
            district: household.district,
            tehsil: household.tehsil,
            source: household.source,
            status: 'OPEN' as const,
            foundAt,
            runId: input.runId,
          });
      }
    }
    const created = await mapBounded(toOpen, OPEN_CONCURRENCY, (item) => deps.rectifications.open(item));
    opened += created.filter(Boolean).length;
    input.onProgress?.({ households, members, mismatches, opened });
  }
  return { ...tally.report(input.runId), opened };
}
