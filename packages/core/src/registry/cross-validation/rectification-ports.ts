import type { Clock } from '../../time/clock.js';
import type { HouseholdChangeWriter } from '../change-request-ports.js';
import type { AuthorityRecord, FieldValue, RosterField, RosterMember } from './roster-fields.js';

/**
 * A rectification's life: cross-validation opens it (OPEN); an officer proposes to accept the ID
 * authority's value (PROPOSED) and a different officer confirms it (APPLYING while the household is
 * written, then ACCEPTED); or an officer keeps the survey's value with a reason (KEPT), or sends it
 * for a field visit (FIELD_VISIT, from where it may be proposed or kept later).
 */
export type RectificationStatus = 'OPEN' | 'PROPOSED' | 'APPLYING' | 'ACCEPTED' | 'KEPT' | 'FIELD_VISIT';

export interface Rectification {
  /** `<first 16 of the CNIC hash>-<field>`: one item per member and field, so a re-run opens none twice. */
  readonly rectificationId: string;
  readonly householdId: string;
  readonly cnicHash: string;
  readonly cnicMasked: string;
  readonly field: RosterField;
  readonly survey: FieldValue | null;
  readonly authority: FieldValue;
  readonly district: string;
  readonly tehsil: string;
  readonly source: string;
  readonly status: RectificationStatus;
  readonly foundAt: string;
  readonly runId: string;
  readonly proposedBy?: string;
  readonly proposedRole?: string;
  readonly proposedAt?: string;
  readonly decidedBy?: string;
  readonly decidedRole?: string;
  readonly decidedAt?: string;
  readonly reason?: string;
}

export const rectificationIdOf = (cnicHash: string, field: RosterField) =>
  `${cnicHash.slice(0, 16)}-${field}`;

/** Rectifications, one item each; every status change is a compare-and-set on that item. */
export interface RectificationStore {
  /** Conditional create: false (nothing written) when the member's field already has one. */
  open(item: Rectification): Promise<boolean>;
  /** A strongly consistent read. */
  get(householdId: string, rectificationId: string): Promise<Rectification | undefined>;
  /** Moves the item from one of `from` to `to.status` with the other fields of `to`; false when not in `from`. */
  transition(
    householdId: string,
    rectificationId: string,
    from: readonly RectificationStatus[],
    to: Partial<Rectification> & { readonly status: RectificationStatus },
    unset?: readonly (keyof Rectification)[],
  ): Promise<boolean>;
  /** The queue of one status in one district, oldest first. */
  list(status: RectificationStatus, district: string, limit: number): Promise<Rectification[]>;
}

export interface RectificationAuditInput {
  readonly actor: string;
  readonly role: string;
  readonly action:
    | 'rectification.propose'
    | 'rectification.accept'
    | 'rectification.keep'
    | 'rectification.field-visit';
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly actionId: string;
}

export interface RectificationDeps {
  readonly rectifications: RectificationStore;
  readonly households: HouseholdChangeWriter;
  readonly audit: { append(input: RectificationAuditInput): Promise<unknown> };
  readonly clock: Clock;
}

/** A registry household as cross-validation reads it. */
export interface RosterHousehold {
  readonly householdId: string;
  readonly district: string;
  readonly tehsil: string;
  readonly source: string;
  readonly members: readonly RosterMember[];
}

/** The registry, page by page (an operator job's read; never in a request path). */
export interface RosterSource {
  pages(): AsyncIterable<readonly RosterHousehold[]>;
}

/** The ID authority's records, read by key many at a time. */
export interface AuthorityDirectory {
  records(cnicHashes: readonly string[]): Promise<Map<string, AuthorityRecord>>;
}
