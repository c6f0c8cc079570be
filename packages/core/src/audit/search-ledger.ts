import { sameStaffUserId } from '../registry/staff-user.js';
import type { AuditEntry } from './audit-ledger.js';
import type { AuditLog } from './ports.js';

/** What an auditor looks for: every field optional, all given ones must match. */
export interface AuditFilter {
  /** The staff user id, compared as maker-checker compares it (case and width folded). */
  readonly actor?: string;
  readonly action?: string;
  /** Part of the subject, case-insensitive: a household id, an appeal, a batch (`HH-000123`, `A1234567`). */
  readonly subject?: string;
  /** Entries at or after this instant (ISO). */
  readonly from?: string;
  /** Entries before this instant (ISO). */
  readonly until?: string;
}

export interface AuditPage {
  /** Matching entries, newest first. */
  readonly entries: readonly AuditEntry[];
  /** Where the next (older) page starts: pass as `before`; absent when the ledger's start was reached. */
  readonly before?: number;
  /** How many entries were read to find these (bounded per page). */
  readonly scanned: number;
}

const READ = 500;
/** At most this many entries are read for one page, so a rare filter cannot make one request unbounded. */
export const AUDIT_SCAN_LIMIT = 5000;

function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.actor && !sameStaffUserId(entry.actor, filter.actor)) return false;
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.subject && !entry.subject.toLowerCase().includes(filter.subject.toLowerCase())) return false;
  if (filter.from && Date.parse(entry.at) < Date.parse(filter.from)) return false;
  if (filter.until && Date.parse(entry.at) >= Date.parse(filter.until)) return false;
  return true;
}

/**
 * One page of the ledger's entries that match the filter, newest first, read backwards from `before`
 * (default: the head) in key-ordered pages; it stops at `pageSize` matches, at the scan limit, or at
 * entries older than `filter.from` (entries are appended in time order).
 */
export async function searchAuditLog(
  audit: Pick<AuditLog, 'list' | 'head'>,
  filter: AuditFilter,
  options: { readonly before?: number; readonly pageSize?: number } = {},
): Promise<AuditPage> {
  const pageSize = options.pageSize ?? 50;
  let next = options.before ?? ((await audit.head())?.seq ?? 0) + 1;
  const found: AuditEntry[] = [];
  let scanned = 0;
  while (next > 1 && scanned < AUDIT_SCAN_LIMIT) {
    const start = Math.max(1, next - READ);
    const page = await audit.list(start, next - start);
    scanned += page.length;
    for (const entry of [...page].reverse()) {
      if (filter.from && Date.parse(entry.at) < Date.parse(filter.from)) return { entries: found, scanned };
      if (!matches(entry, filter)) continue;
      found.push(entry);
      if (found.length === pageSize) return { entries: found, before: entry.seq, scanned };
    }
    next = start;
    if (page.length === 0) break;
  }
  return { entries: found, ...(next > 1 ? { before: next } : {}), scanned };
}
