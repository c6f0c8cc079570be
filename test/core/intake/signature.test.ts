import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../../packages/core/src/intake/signature.js';

const SECRET = 'local-dev-secret';
const NOW = 1_760_000_000;
const BODY = JSON.stringify({
  from: '+923001234567',
  to: '8171',
  text: 'REG 35202-1234567-1',
  messageId: 'm-1',
});

function hexHmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

describe('signWebhook', () => {
  it('signs t + "." + rawBody with HMAC-SHA256 in the documented header format', () => {
    // Act
    const header = signWebhook(SECRET, NOW, BODY);

    // Assert
    expect(header).toBe(`t=${NOW},v1=${hexHmac(SECRET, `${NOW}.${BODY}`)}`);
  });

  it('refuses a fractional timestamp, which the verifier could never accept', () => {
    expect(() => signWebhook(SECRET, NOW + 0.5, BODY)).toThrow(RangeError);
  });
});

describe('verifyWebhookSignature', () => {
  const verify = (
    header: string | undefined,
    overrides: { secret?: string; rawBody?: string; nowSeconds?: number } = {},
  ) => verifyWebhookSignature({ secret: SECRET, header, rawBody: BODY, nowSeconds: NOW, ...overrides });

  it('accepts a header signed with the shared secret and returns its timestamp', () => {
    // Arrange
    const header = signWebhook(SECRET, NOW - 10, BODY);

    // Act
    const result = verify(header);

    // Assert
    expect(result).toEqual({ ok: true, timestamp: NOW - 10 });
  });

  it('refuses a header signed with another secret', () => {
    const header = signWebhook('someone-else', NOW, BODY);

    expect(verify(header)).toEqual({ ok: false, reason: 'MISMATCH' });
  });

  it('refuses a body changed after signing', () => {
    const header = signWebhook(SECRET, NOW, BODY);

    expect(verify(header, { rawBody: BODY.replace('35202', '35203') })).toEqual({
      ok: false,
      reason: 'MISMATCH',
    });
  });

  it('refuses a body re-serialized with different whitespace', () => {
    const header = signWebhook(SECRET, NOW, BODY);

    expect(verify(header, { rawBody: `${BODY}\n` })).toEqual({ ok: false, reason: 'MISMATCH' });
  });

  it('refuses a timestamp swapped into a genuine header', () => {
    const genuine = signWebhook(SECRET, NOW - 100, BODY);

    expect(verify(genuine.replace(`t=${NOW - 100}`, `t=${NOW}`))).toEqual({ ok: false, reason: 'MISMATCH' });
  });

  it.each([
    ['exactly 5 minutes old', -300, true],
    ['exactly 5 minutes ahead', 300, true],
    ['older than 5 minutes', -301, false],
    ['more than 5 minutes in the future', 301, false],
  ])('treats a signature %s as fresh: %s', (_name, offset, fresh) => {
    const header = signWebhook(SECRET, NOW + offset, BODY);

    expect(verify(header)).toEqual(
      fresh ? { ok: true, timestamp: NOW + offset } : { ok: false, reason: 'STALE' },
    );
  });

  it('refuses a captured genuine request replayed after the window', () => {
    // Arrange
    const captured = signWebhook(SECRET, NOW, BODY);
    expect(verify(captured).ok).toBe(true);

    // Act
    const replay = verify(captured, { nowSeconds: NOW + 3600 });

    // Assert
    expect(replay).toEqual({ ok: false, reason: 'STALE' });
  });

  it('honours a custom tolerance', () => {
    const header = signWebhook(SECRET, NOW - 30, BODY);

    const result = verifyWebhookSignature({
      secret: SECRET,
      header,
      rawBody: BODY,
      nowSeconds: NOW,
      toleranceSeconds: 10,
    });

    expect(result).toEqual({ ok: false, reason: 'STALE' });
  });

  it('accepts any one of several v1 signatures, so a secret can rotate', () => {
    // Arrange
    const oldSignature = hexHmac('old-secret', `${NOW}.${BODY}`);
    const newSignature = hexHmac(SECRET, `${NOW}.${BODY}`);

    // Act
    const result = verify(`t=${NOW}, v1=${oldSignature}, v1=${newSignature}`);

    // Assert
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('ignores signature schemes it does not know', () => {
    const header = `${signWebhook(SECRET, NOW, BODY)},v0=deadbeef`;

    expect(verify(header)).toEqual({ ok: true, timestamp: NOW });
  });

  it.each([undefined, '', '   '])('reports a missing header (%j)', (header) => {
    expect(verify(header)).toEqual({ ok: false, reason: 'MISSING' });
  });

  it.each([
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', `t=${NOW}`],
    ['a non-numeric timestamp', `t=soon,v1=${'a'.repeat(64)}`],
    ['a negative timestamp', `t=-5,v1=${'a'.repeat(64)}`],
    ['two timestamps', `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`],
    ['a short signature', `t=${NOW},v1=abc123`],
    ['a non-hex signature', `t=${NOW},v1=${'z'.repeat(64)}`],
    ['a part without =', `t=${NOW},v1`],
    ['a bare string', 'sha256=whatever'],
    ['an oversized header', `t=${NOW},${`v1=${'a'.repeat(64)},`.repeat(100)}`],
  ])('reports a malformed header with %s', (_name, header) => {
    expect(verify(header)).toEqual({ ok: false, reason: 'MALFORMED' });
  });

  it('fails closed when the clock reads NaN', () => {
    const header = signWebhook(SECRET, NOW, BODY);

    expect(verify(header, { nowSeconds: Number.NaN })).toEqual({ ok: false, reason: 'STALE' });
  });
});
