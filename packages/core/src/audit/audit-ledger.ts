import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { canonicalJson } from '../payments/canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Every kind of staff action the ledger records (DESIGN.md "Money rules": every staff action). */
export const AUDIT_ACTIONS = [
  'campaign.declare',
  'campaign.activate',
  'campaign.close',
  'campaign.rules',
  'campaign.limits',
  'campaign.replay-apply',
  'waitlist.promote',
  'appeal.resolve',
  'appeal.assign',
  'appeal.note',
  'appeal.propose',
  'appeal.confirm',
  'appeal.decline',
  'change-request.propose',
  'change-request.approve',
  'change-request.reject',
  'household.verify',
  'household.read-raw',
  /** A staff search for a household (by CNIC, phone or reference): who looked up whom. */
  'household.search',
  'payment-batch.create',
  'payment-batch.approve',
  'payment-batch.reject',
  'payment-batch.export',
  /** A staff member was handed a short-lived link to a batch's payment file. */
  'payment-batch.download',
  'payment-batch.results',
  'payment-batch.results-confirm',
  'payment-line.failure-confirm',
  'decision.override',
  /** Roster cross-validation: a field where the registry and the ID authority disagree. */
  'rectification.propose',
  'rectification.accept',
  'rectification.keep',
  'rectification.field-visit',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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

/**
 * An entry as stored: the input's fields checked, any other field kept as it is (the MAC covers every
 * field, so a reader must not drop one). Adapters read entries and intents through these.
 */
const auditInputShape = {
  actor: z.string(),
  role: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  subject: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  actionId: z.string().optional(),
};

export const AuditInputSchema = z.looseObject(auditInputShape) satisfies z.ZodType<AuditInput>;

export const AuditEntrySchema = z.looseObject({
  ...auditInputShape,
  seq: z.number().int().min(1),
  at: z.string(),
  prevHash: z.string(),
  hash: z.string(),
}) satisfies z.ZodType<AuditEntry>;

/**
 * A purpose-bound subkey of the ledger's secret (HMAC(secret, purpose)), so that the chain's MAC and the
 * anchors' signatures never share a key.
 */
export function auditSubkey(secret: string, purpose: 'chain' | 'anchor'): Buffer {
  if (secret.length < 16) throw new Error('The audit ledger key must be at least 16 characters');
  return createHmac('sha256', secret).update(`madad-audit-${purpose}-v1`, 'utf8').digest();
}

/**
 * The MAC of an entry: HMAC-SHA256(chain subkey, prevHash + canonical JSON of the entry without its
 * hash). Without the secret nobody can produce a chain that verifies, however they edit the table.
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>, secret: string): string {
  return createHmac('sha256', auditSubkey(secret, 'chain'))
    .update(entry.prevHash + canonicalJson(entry), 'utf8')
    .digest('hex');
}

/** The entry that follows `previous` (or starts the ledger when there is none), MACed with `secret`. */
export function chainAuditEntry(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  input: AuditInput,
  at: string,
  secret: string,
): AuditEntry {
  const unhashed = {
    ...input,
    seq: (previous?.seq ?? 0) + 1,
    at,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: hashAuditEntry(unhashed, secret) };
}
