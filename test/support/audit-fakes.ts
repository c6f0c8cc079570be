import {
  type AuditAnchor,
  type AuditAnchors,
  type AuditEntry,
  type AuditLog,
  type AuditTrust,
  chainAuditEntry,
  signAuditAnchor,
} from '@madad/core';

/** The ledger key of the in-memory fakes (the real ones come from Secrets Manager or the data folder). */
export const TEST_AUDIT_KEY = 'test-audit-ledger-key-0123456789';

/** Anchors in memory: what the file and S3 adapters keep outside the ledger's table. */
export function memoryAuditAnchors(): AuditAnchors & { readonly anchors: AuditAnchor[] } {
  const anchors: AuditAnchor[] = [];
  return {
    anchors,
    record: async (anchor) => {
      anchors.push(anchor);
    },
    all: async () => [...anchors],
    latest: async () =>
      anchors.reduce<AuditAnchor | undefined>((a, b) => (a && a.seq >= b.seq ? a : b), undefined),
  };
}

/**
 * An in-memory ledger with the real one's contract: keyed chain, one entry per actionId (the first
 * append's), an anchor after each append. Every step is synchronous, so concurrent appends interleave
 * as conditional writes do.
 */
export function memoryAuditLog(now: () => Date = () => new Date('2026-03-01T10:00:00Z')) {
  const entries: AuditEntry[] = [];
  const anchors = memoryAuditAnchors();
  const trust: AuditTrust = { key: async () => TEST_AUDIT_KEY, anchors };
  const log: AuditLog = {
    append: async (input) => {
      const first = input.actionId ? entries.find((e) => e.actionId === input.actionId) : undefined;
      if (first) return first;
      const entry = chainAuditEntry(entries.at(-1), input, now().toISOString(), TEST_AUDIT_KEY);
      entries.push(entry);
      anchors.anchors.push(signAuditAnchor(entry, entry.at, TEST_AUDIT_KEY));
      return entry;
    },
    list: async (from, limit) => entries.filter((e) => e.seq >= from).slice(0, limit),
    head: async () => entries.at(-1),
  };
  return { log, entries, trust, anchors };
}
