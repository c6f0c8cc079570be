import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../payments/canonical-json.js';
import { type AuditEntry, auditSubkey } from './audit-ledger.js';

/**
 * A signed checkpoint of the ledger's head, kept outside the ledger's table (an Object Lock bucket in
 * the cloud, an append-only file locally): the table cannot be rolled back or truncated behind it.
 */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** HMAC-SHA256(anchor subkey, canonical JSON of {seq, hash, at}). */
  readonly mac: string;
}

/** Where anchors are written and the latest one (highest seq) read back. */
export interface AuditAnchors {
  record(anchor: AuditAnchor): Promise<void>;
  latest(): Promise<AuditAnchor | undefined>;
  /** Every anchor written, for a deep check (`madad audit verify --all-anchors`). */
  all?(): Promise<AuditAnchor[]>;
}

function anchorMac(head: Pick<AuditAnchor, 'seq' | 'hash' | 'at'>, secret: string): string {
  return createHmac('sha256', auditSubkey(secret, 'anchor'))
    .update(canonicalJson({ seq: head.seq, hash: head.hash, at: head.at }), 'utf8')
    .digest('hex');
}

/** Signs a checkpoint of `head` taken at `at`. */
export function signAuditAnchor(
  head: Pick<AuditEntry, 'seq' | 'hash'>,
  at: string,
  secret: string,
): AuditAnchor {
  return { seq: head.seq, hash: head.hash, at, mac: anchorMac({ ...head, at }, secret) };
}

/** Whether an anchor was signed with `secret` and is unaltered. */
export function auditAnchorHolds(anchor: AuditAnchor, secret: string): boolean {
  const expected = Buffer.from(anchorMac(anchor, secret), 'hex');
  const actual = Buffer.from(String(anchor.mac), 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
