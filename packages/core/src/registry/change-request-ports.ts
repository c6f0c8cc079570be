import type { Clock } from '../time/clock.js';
import type { ChangeRequest, ChangeRequestStatus, MutableHousehold } from './change-requests.js';

/** Change requests, one item each; every status change is a compare-and-set on that item. */
export interface ChangeRequestStore {
  /** Conditional create (a request id is never reused). */
  create(request: ChangeRequest): Promise<void>;
  /** A strongly consistent read. */
  get(householdId: string, requestId: string): Promise<ChangeRequest | undefined>;
  /**
   * Moves the request from one of `from` to `to.status`, setting the other fields of `to` and removing
   * `unset`: false (nothing written) when its status was not in `from`.
   */
  transition(
    householdId: string,
    requestId: string,
    from: readonly ChangeRequestStatus[],
    to: Partial<ChangeRequest> & { readonly status: ChangeRequestStatus },
    unset?: readonly (keyof ChangeRequest)[],
  ): Promise<boolean>;
  list(status: ChangeRequestStatus, limit: number): Promise<ChangeRequest[]>;
}

/** The household as a change sees it, with its revision and the requests already applied to it. */
export interface HouseholdState {
  readonly household: MutableHousehold;
  readonly revision: number;
  readonly applied: readonly string[];
}

/** The registry writes of an approved change, each one conditional so a re-run converges. */
export interface HouseholdChangeWriter {
  /** A strongly consistent read; undefined when there is no such household. */
  read(householdId: string): Promise<HouseholdState | undefined>;
  /**
   * Writes the changed household and marks `requestId` applied, only if the household is still at
   * `revision` and the request not yet applied: false otherwise (read again and retry).
   */
  write(
    householdId: string,
    updated: MutableHousehold,
    requestId: string,
    revision: number,
  ): Promise<boolean>;
  /**
   * Indexes a new member's CNIC to the household (its PERSON item, with the decision view of
   * `updated`), unless another household holds it: then `{ ok: false, owner }`.
   */
  indexMember(
    householdId: string,
    cnicHash: string,
    updated: MutableHousehold,
  ): Promise<{ ok: true } | { ok: false; owner: string }>;
  /** Removes the PERSON item of `cnicHash` only if it points at this household. */
  unindexMember(householdId: string, cnicHash: string): Promise<void>;
  /** Rewrites every member's decision view from the household item. */
  refreshViews(householdId: string): Promise<void>;
}

/** What the ID authority and the CNIC index say about a person. */
export interface PersonDirectory {
  /** The ID authority's record (identity import), undefined when it does not know the CNIC. */
  identity(cnicHash: string): Promise<
    | {
        readonly status: 'ALIVE' | 'DECEASED' | 'BLOCKED';
        readonly gender?: 'male' | 'female';
        readonly birthYear?: number;
      }
    | undefined
  >;
  /** The household the CNIC index points at, if any. */
  householdOf(cnicHash: string): Promise<string | undefined>;
}

export interface ChangeRequestDeps {
  readonly changeRequests: ChangeRequestStore;
  readonly households: HouseholdChangeWriter;
  readonly people: PersonDirectory;
  readonly audit: ChangeAudit;
  readonly pepper: () => Promise<string>;
  readonly clock: Clock;
}

/** The ledger entries this capability appends (the audit ledger's `append`, narrowed). */
export interface ChangeAuditInput {
  readonly actor: string;
  readonly role: string;
  readonly action:
    | 'change-request.propose'
    | 'change-request.approve'
    | 'change-request.reject'
    | 'household.read-raw'
    | 'household.verify';
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Deterministic, so a re-run after a crash appends the same entry once. */
  readonly actionId: string;
}

export interface ChangeAudit {
  append(input: ChangeAuditInput): Promise<unknown>;
}
