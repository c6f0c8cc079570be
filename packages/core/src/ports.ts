import type { Decision } from './decision.js';
import type { OutboundSms } from './schemas.js';

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
  readonly status: 'active' | 'provisional';
}

export interface RegistryMatch {
  /** Exclusion filters flagged on the applicant's own CNIC (known even when not in the registry). */
  readonly exclusions: readonly string[];
  readonly person?: PersonMatch;
  readonly identity?: IdentityRecord;
  readonly household?: HouseholdRecord;
}

/** Resolves many CNICs at once, members' exclusion flags included (BatchGetItem underneath): never one call per registration. */
export interface RegistryLookup {
  resolve(cnicHashes: readonly string[]): Promise<Map<string, RegistryMatch>>;
}

export interface RegistrationRecord {
  readonly messageId: string;
  readonly channel: 'sms' | 'web';
  readonly from: string;
  readonly receivedAt: string;
  readonly command: string;
  readonly cnicHash?: string;
  readonly lang: 'en' | 'ur';
  readonly reference: string;
  readonly decision?: Decision;
  readonly replyId?: string;
}

export interface StoredDecision {
  readonly messageId: string;
  readonly reference: string;
  readonly decision: Decision;
}

/** Registrations and their decisions; writes are conditional so redelivery never records twice. */
export interface RegistrationStore {
  /**
   * Records the registration with its decision unless it was already fully handled.
   * Returns false when an earlier delivery already recorded it and queued its reply.
   */
  record(registration: RegistrationRecord): Promise<boolean>;
  /** Marks the reply as durably queued: from then on a redelivery is a no-op. */
  markReplied(messageId: string, at: string): Promise<void>;
  latestDecision(cnicHash: string): Promise<StoredDecision | undefined>;
}

export interface ReplyQueue {
  enqueue(replies: readonly OutboundSms[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
