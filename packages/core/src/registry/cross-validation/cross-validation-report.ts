import type { RosterHousehold } from './rectification-ports.js';
import { type MemberComparison, ROSTER_FIELDS, type RosterField } from './roster-fields.js';

export interface FieldRate {
  /** Members whose field both sides hold. */
  readonly compared: number;
  readonly mismatched: number;
  /** mismatched / compared, 0 when nothing was compared. */
  readonly rate: number;
}

export interface StratumReport {
  readonly stratum: string;
  readonly members: number;
  /** Members with at least one mismatched field. */
  readonly membersWithMismatch: number;
  readonly fields: Record<RosterField, FieldRate>;
}

export interface CrossValidationReport {
  readonly runId: string;
  readonly households: number;
  readonly members: number;
  /** Members the ID authority has no record of (nothing to compare, nothing opened). */
  readonly unknownToAuthority: number;
  readonly mismatches: number;
  readonly fields: Record<RosterField, FieldRate>;
  readonly byDistrict: readonly StratumReport[];
  readonly byTehsil: readonly StratumReport[];
  readonly bySource: readonly StratumReport[];
}

class Tally {
  members = 0;
  membersWithMismatch = 0;
  readonly compared = new Map<RosterField, number>();
  readonly mismatched = new Map<RosterField, number>();

  add(result: MemberComparison) {
    this.members++;
    if (result.mismatches.length > 0) this.membersWithMismatch++;
    for (const f of result.compared) this.compared.set(f, (this.compared.get(f) ?? 0) + 1);
    for (const m of result.mismatches) this.mismatched.set(m.field, (this.mismatched.get(m.field) ?? 0) + 1);
  }

  fields(): Record<RosterField, FieldRate> {
    const rate = (field: RosterField): FieldRate => {
      const compared = this.compared.get(field) ?? 0;
      const mismatched = this.mismatched.get(field) ?? 0;
      return { compared, mismatched, rate: compared === 0 ? 0 : mismatched / compared };
    };
    return Object.fromEntries(ROSTER_FIELDS.map((f) => [f, rate(f)])) as Record<RosterField, FieldRate>;
  }
}

const strata = (tallies: Map<string, Tally>): StratumReport[] =>
  [...tallies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stratum, t]) => ({
      stratum,
      members: t.members,
      membersWithMismatch: t.membersWithMismatch,
      fields: t.fields(),
    }));

/** Counts of a cross-validation run: overall, by district, by tehsil and by source, rates per field. */
export class CrossValidationTally {
  private households = 0;
  private unknown = 0;
  private mismatches = 0;
  private readonly all = new Tally();
  private readonly district = new Map<string, Tally>();
  private readonly tehsil = new Map<string, Tally>();
  private readonly source = new Map<string, Tally>();

  addHousehold() {
    this.households++;
  }

  addUnknown() {
    this.unknown++;
  }

  add(household: Pick<RosterHousehold, 'district' | 'tehsil' | 'source'>, result: MemberComparison) {
    this.mismatches += result.mismatches.length;
    this.all.add(result);
    const at = (map: Map<string, Tally>, key: string) => {
      const tally = map.get(key) ?? new Tally();
      map.set(key, tally);
      tally.add(result);
    };
    at(this.district, household.district);
    at(this.tehsil, `${household.district} / ${household.tehsil}`);
    at(this.source, household.source);
  }

  report(runId: string): CrossValidationReport {
    return {
      runId,
      households: this.households,
      members: this.all.members + this.unknown,
      unknownToAuthority: this.unknown,
      mismatches: this.mismatches,
      fields: this.all.fields(),
      byDistrict: strata(this.district),
      byTehsil: strata(this.tehsil),
      bySource: strata(this.source),
    };
  }
}
