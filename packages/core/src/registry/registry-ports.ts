import type { DecisionOfRecord } from '../registration/ports.js';
import type { HouseholdAnswers } from '../schemas.js';

/** What the registry knows about one person, resolved through the CNIC index in one round trip. */
export interface PersonMatch {
  readonly cnicHash: string;
  readonly householdId: string;
  readonly relation: string;
}

export interface IdentityRecord {
  readonly cnicHash: string;
  readonly status: 'ALIVE' | 'DECEASED' | 'BLOCKED';
  readonly gender?: 'male' | 'female';
  readonly birthYear?: number;
  readonly simPhones: readonly string[];
}

export interface HouseholdMember {
  readonly cnicHash: string;
  readonly relation: string;
  readonly gender: 'male' | 'female';
  readonly exclusions: readonly string[];
}

export interface HouseholdRecord {
  readonly householdId: string;
  readonly province: string;
  readonly district: string;
  readonly tehsil: string;
  readonly pmtScore: number;
  readonly programmes: readonly string[];
  readonly members: readonly HouseholdMember[];
  readonly phones?: readonly string[];
  readonly status: 'active' | 'provisional';
}

export interface RegistryMatch {
  /** Exclusion filters flagged on the applicant's own CNIC (known even when not in the registry). */
  readonly exclusions: readonly string[];
  readonly person?: PersonMatch;
  readonly identity?: IdentityRecord;
  readonly household?: HouseholdRecord;
  /**
   * The person's decisions of record, one per campaign (`DEC#<campaignId>` items in the person's
   * registry partition), read with the rest of the partition in the same request.
   */
  readonly decisionsOfRecord?: readonly DecisionOfRecord[];
}

/** Resolves many CNICs at once, members' exclusion flags included (BatchGetItem underneath): never one call per registration. */
export interface RegistryLookup {
  /**
   * With `decisionsIn`, only the decisions of record under those campaigns are read (by key, with
   * the person's other items: one BatchGetItem for many people instead of a Query each); without,
   * every decision of record of the person.
   */
  resolve(
    cnicHashes: readonly string[],
    options?: { readonly decisionsIn?: readonly string[] },
  ): Promise<Map<string, RegistryMatch>>;
  /** Records someone the registry did not know as a provisional household (idempotent per CNIC). */
  addProvisional(input: ProvisionalHousehold): Promise<void>;
}

export interface ProvisionalHousehold {
  readonly cnic: string;
  readonly cnicHash: string;
  /** A phone tied to the person (the registrant's, or their SIM when someone else registered them); may be empty. */
  readonly phone: string;
  readonly registeredAt: string;
  readonly district?: string;
  readonly tehsil?: string;
  readonly answers?: HouseholdAnswers;
}
