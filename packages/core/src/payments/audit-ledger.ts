import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Every kind of staff action the ledger records (DESIGN.md "Money rules": every staff action). */
export type AuditAction =
  | 'campaign.declare'
  | 'campaign.activate'
  | 'campaign.close'
  | 'campaign.rules'
  | 'campaign.limits'
  | 'campaign.replay-apply'
  | 'waitlist.promote'
  | 'appeal.resolve'
  | 'change-request.propose'
  | 'change-request.approve'
  | 'change-request.reject'
  | 'household.verify'
  | 'household.read-raw'
  | 'payment-batch.create'
  | 'payment-batch.approve'
  | 'payment-batch.reject'
  | 'payment-batch.export'
  | 'payment-batch.results'
  | 'payment-batch.results-confirm'
  | 'payment-line.failure-confirm'
  | 'decision.override';

/** What a caller records: who did what to which subject, with the state before and after. */
export interface AuditInput {
  readonly actor: string;
  readonly role: string;
  readonly action: AuditAction;
  /** e.g. `payment-batch/B-1234ABCD`. */
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /**
   * Names the action once (e.g. `payment-batch.approve/B-1234ABCD`): appending the same actionId twice
   * records one entry, so a flow re-run after a crash completes its audit step without a duplicate.
   */
  readonly actionId?: string;
}

export interface AuditEntry extends AuditInput {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash of an entry: sha256(prevHash + canonical JSON of the entry without its hash). */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(entry.prevHash + canonicalJson(entry), 'utf8')
    .digest('hex');
}

/** The entry that follows `previous` (or starts the ledger when there is none). */
export function chainAuditEntry(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  input: AuditInput,
  at: string,
): AuditEntry {
  const unhashed = {
    ...input,
    seq: (previous?.seq ?? 0) + 1,
    at,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: hashAuditEntry(unhashed) };
}

export type ChainVerdict =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly brokenSeq: number; readonly reason: string; readonly count: number };

/**
 * Walks the ledger from seq 1 and returns the first entry that does not hold: a gap (a deleted
 * entry), a link to the wrong predecessor, or a hash that does not match the content (an altered
 * entry). With `head` (the last seq and hash the ledger recorded), a deleted tail is caught too.
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  head?: Pick<AuditEntry, 'seq' | 'hash'>,
): ChainVerdict {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let previous: Pick<AuditEntry, 'seq' | 'hash'> = { seq: 0, hash: GENESIS_HASH };
  for (const entry of sorted) {
    const fail = (seq: number, reason: string): ChainVerdict => ({
      ok: false,
      brokenSeq: seq,
      reason,
      count: sorted.length,
    });
    if (entry.seq !== previous.seq + 1) return fail(previous.seq + 1, 'missing entry');
    if (entry.prevHash !== previous.hash) return fail(entry.seq, 'does not link to the previous entry');
    const { hash, ...rest } = entry;
    if (hashAuditEntry(rest) !== hash) return fail(entry.seq, 'content does not match its hash');
    previous = entry;
  }
  if (head && head.seq > previous.seq) {
    return { ok: false, brokenSeq: previous.seq + 1, reason: 'missing entry', count: sorted.length };
  }
  if (head && head.seq === previous.seq && head.hash !== previous.hash) {
    return { ok: false, brokenSeq: head.seq, reason: 'does not match the ledger head', count: sorted.length };
  }
  return { ok: true, count: sorted.length };
}
