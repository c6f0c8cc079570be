import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header that carries the webhook signature (DESIGN.md, public interface). */
export const SIGNATURE_HEADER = 'X-Madad-Signature';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureFailure = 'MISSING' | 'MALFORMED' | 'STALE' | 'MISMATCH';
export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

export interface VerifyWebhookOptions {
  readonly secret: string;
  readonly header: string | undefined;
  readonly rawBody: string;
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

/** Bounds the work an attacker can cause with one header; real headers are under 300 characters. */
const MAX_HEADER_LENGTH = 2048;
const TIMESTAMP = /^[0-9]{1,12}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function hmac(secret: string, timestamp: string, rawBody: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
}

/**
 * Computes the `X-Madad-Signature` header value for a body: `t=<seconds>,v1=<hex HMAC-SHA256>` over
 * `t + "." + rawBody`. Used by the SMS aggregator side, by tests and by the local surge tool.
 */
export function signWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('signWebhook expects whole, non-negative unix seconds');
  }
  const t = String(timestampSeconds);
  return `t=${t},v1=${hmac(secret, t, rawBody).toString('hex')}`;
}

interface ParsedHeader {
  readonly timestamp: string;
  readonly signatures: readonly Buffer[];
}

function parseHeader(header: string): ParsedHeader | undefined {
  if (header.length > MAX_HEADER_LENGTH) return undefined;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      // Two timestamps would let a forger pick which one we check against.
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return undefined;
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Unknown schemes (a future v2) are ignored so the sender can roll out a new one first.
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/**
 * Verifies `X-Madad-Signature` against the raw body: the timestamp must be within the tolerance
 * (default 5 minutes, past or future) and one of the `v1=` signatures must match, so the sender can
 * sign with the old and the new secret while a secret rotates. Constant-time compare; never throws.
 */
export function verifyWebhookSignature(opts: VerifyWebhookOptions): SignatureCheck {
  const { secret, header, rawBody, nowSeconds } = opts;
  const tolerance = opts.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'MISSING' };
  const parsed = parseHeader(header);
  if (parsed === undefined) return { ok: false, reason: 'MALFORMED' };
  const timestamp = Number(parsed.timestamp);
  // Written so NaN in nowSeconds or tolerance fails closed.
  if (!(Math.abs(nowSeconds - timestamp) <= tolerance)) return { ok: false, reason: 'STALE' };
  const expected = hmac(secret, parsed.timestamp, rawBody);
  // Check every candidate rather than stopping at the first match, so timing says nothing about which.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'MISMATCH' };
}

/** The webhook's keys: the current one and, during a rotation, the previous one until `previousUntil`. */
export interface RotatingWebhookKeys {
  readonly current: string;
  readonly previous?: string;
  readonly previousUntil?: string;
}

/**
 * The signature checked with the current key, then, during a rotation window, with the previous one:
 * an aggregator still signing with the old key keeps working until `previousUntil`, and not after.
 */
export function verifyWebhookSignatureWithRotation(opts: {
  keys: string | RotatingWebhookKeys;
  header: string | undefined;
  rawBody: string;
  now: Date;
}): SignatureCheck {
  const { header, rawBody, now } = opts;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const { current, previous, previousUntil } =
    typeof opts.keys === 'string' ? { current: opts.keys } : (opts.keys as RotatingWebhookKeys);
  const check = verifyWebhookSignature({ secret: current, header, rawBody, nowSeconds });
  if (check.ok || check.reason !== 'MISMATCH' || !previous || !previousUntil) return check;
  if (now.getTime() >= Date.parse(previousUntil)) return check;
  return verifyWebhookSignature({ secret: previous, header, rawBody, nowSeconds });
}
