import type { AuditAnchors } from './audit-anchors.js';
import type { AuditEntry, AuditInput } from './audit-ledger.js';

/** Append-only ledger of staff actions, chained with a keyed MAC. */
export interface AuditLog {
  /**
   * Records an action. With `actionId`, idempotent and crash-safe: a second append of the same actionId
   * (a re-run after a crash, even one between the append's own writes) records nothing new and returns
   * the first entry.
   */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Entries from seq `from` on, in order. */
  list(from: number, limit: number): Promise<AuditEntry[]>;
  /** The last link the ledger recorded, undefined before the first entry. */
  head(): Promise<Pick<AuditEntry, 'seq' | 'hash'> | undefined>;
}

/** What checking the ledger needs besides the ledger: its secret and its anchors. */
export interface AuditTrust {
  /** The MAC secret (Secrets Manager in the cloud, a generated file in the local data folder). */
  readonly key: () => Promise<string>;
  readonly anchors: AuditAnchors;
}
