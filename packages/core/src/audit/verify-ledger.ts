import { type AuditAnchor, auditAnchorHolds } from './audit-anchors.js';
import { type AuditEntry, GENESIS_HASH, hashAuditEntry } from './audit-ledger.js';
import type { AuditLog, AuditTrust } from './ports.js';

export type ChainVerdict =
  | { readonly ok: true; readonly count: number; readonly anchoredSeq?: number }
  | { readonly ok: false; readonly brokenSeq: number; readonly reason: string; readonly count: number };

type Link = Pick<AuditEntry, 'seq' | 'hash'>;

/**
 * Walks the ledger from seq 1 and returns the first thing that does not hold: a gap (a deleted entry),
 * a link to the wrong predecessor, a MAC that does not match the content under `secret` (an edited or
 * re-chained entry), a tail shorter than the recorded `head`, or a ledger that does not contain the
 * `anchor` (the signed checkpoint kept outside the table): truncated, rolled back or re-chained.
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  secret: string,
  options: {
    readonly head?: Link;
    readonly anchor?: AuditAnchor;
    /** Every earlier anchor too (a deep check): each must be signed and match the ledger at its seq. */
    readonly anchors?: readonly AuditAnchor[];
  } = {},
): ChainVerdict {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const fail = (seq: number, reason: string): ChainVerdict => ({
    ok: false,
    brokenSeq: seq,
    reason,
    count: sorted.length,
  });
  const { head, anchor } = options;
  if (anchor && !auditAnchorHolds(anchor, secret))
    return fail(anchor.seq, 'the anchor is not signed with the key');
  let previous: Link = { seq: 0, hash: GENESIS_HASH };
  for (const entry of sorted) {
    if (entry.seq !== previous.seq + 1) return fail(previous.seq + 1, 'missing entry');
    if (entry.prevHash !== previous.hash) return fail(entry.seq, 'does not link to the previous entry');
    const { hash, ...rest } = entry;
    if (hashAuditEntry(rest, secret) !== hash) return fail(entry.seq, 'content does not match its MAC');
    if (anchor && entry.seq === anchor.seq && entry.hash !== anchor.hash)
      return fail(entry.seq, 'does not match the anchored checkpoint');
    previous = entry;
  }
  if (anchor && previous.seq < anchor.seq)
    return fail(
      previous.seq + 1,
      `ledger ends at seq ${previous.seq}, behind its anchor at seq ${anchor.seq}`,
    );
  if (head && head.seq > previous.seq) return fail(previous.seq + 1, 'missing entry');
  if (head && head.seq === previous.seq && head.hash !== previous.hash)
    return fail(head.seq, 'does not match the ledger head');
  const bySeq = new Map(sorted.map((e) => [e.seq, e.hash]));
  for (const earlier of options.anchors ?? []) {
    if (!auditAnchorHolds(earlier, secret)) return fail(earlier.seq, 'an anchor is not signed with the key');
    const hash = bySeq.get(earlier.seq);
    if (hash === undefined) return fail(earlier.seq, `ledger has no seq ${earlier.seq}, which is anchored`);
    if (hash !== earlier.hash) return fail(earlier.seq, 'does not match an earlier anchored checkpoint');
  }
  return { ok: true, count: sorted.length, ...(anchor ? { anchoredSeq: anchor.seq } : {}) };
}

/**
 * Reads the latest anchor, then the whole ledger page by page, and checks the chain with the key
 * against both the recorded head and the anchor (with `allAnchors`, against every anchor ever written:
 * someone holding the key could re-chain and add a newer anchor, but not remove the locked older
 * ones, which pin the old hashes). The anchor is read first: anchors are written after
 * their entry, so every anchored entry is already in the table when the ledger is read.
 */
export async function verifyLedger(
  audit: Pick<AuditLog, 'list' | 'head'>,
  trust: AuditTrust,
  options: { readonly pageSize?: number; readonly allAnchors?: boolean } = {},
): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 1000;
  const anchors = options.allAnchors ? await listAllAnchors(trust) : undefined;
  const anchor = await trust.anchors.latest();
  const secret = await trust.key();
  const head = await audit.head();
  const entries: AuditEntry[] = [];
  for (;;) {
    const page = await audit.list((entries.at(-1)?.seq ?? 0) + 1, pageSize);
    entries.push(...page);
    if (page.length < pageSize) break;
  }
  return verifyChain(entries, secret, {
    ...(head ? { head } : {}),
    ...(anchor ? { anchor } : {}),
    ...(anchors ? { anchors } : {}),
  });
}

async function listAllAnchors(trust: AuditTrust): Promise<AuditAnchor[]> {
  if (!trust.anchors.all) throw new Error('These anchors cannot be listed: verify against the latest only');
  return trust.anchors.all();
}
