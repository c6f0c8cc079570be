import { UnauthorizedError, ValidationError } from '@madad/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  issueStaffToken,
  MAX_STAFF_TOKEN_TTL_SECONDS,
  verifyStaffToken,
} from '../../packages/adapters/src/staff-sessions/staff-tokens.js';

const secret = 'test-jwt-secret-0123456789abcdef0123456789';
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the deployment's key by hand, as anyone holding the key could. */
function handMade(claims: { exp?: number; iat?: number; sub?: string }) {
  const jwt = new SignJWT({ roles: ['admin'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('madad')
    .setAudience('madad-staff');
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

describe('finding 7: staff tokens expire, within 12 hours, and name the user by sub', () => {
  it('accepts a token issued for a shift and names its user by sub', async () => {
    const token = await issueStaffToken(secret, { user: 'u-approver', roles: ['approver'] }, 8 * 3600);

    expect(await verifyStaffToken(secret, token)).toEqual({ user: 'u-approver', roles: ['approver'] });
  });

  it('accepts a hand-made token of exactly 12 hours', async () => {
    const iat = now();
    const token = await handMade({ sub: 'alice', iat, exp: iat + MAX_STAFF_TOKEN_TTL_SECONDS });

    expect((await verifyStaffToken(secret, token)).user).toBe('alice');
  });

  it('refuses a token without exp', async () => {
    const token = await handMade({ sub: 'alice', iat: now() });

    await expect(verifyStaffToken(secret, token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token valid for 100 years', async () => {
    const iat = now();
    const token = await handMade({ sub: 'alice', iat, exp: iat + 100 * 365 * 24 * 3600 });

    await expect(verifyStaffToken(secret, token)).rejects.toThrow(/12 hours/);
  });

  it('refuses a token one second longer than 12 hours', async () => {
    const iat = now();
    const token = await handMade({ sub: 'alice', iat, exp: iat + MAX_STAFF_TOKEN_TTL_SECONDS + 1 });

    await expect(verifyStaffToken(secret, token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token without iat, whose lifetime cannot be known', async () => {
    const token = await handMade({ sub: 'alice', exp: now() + 3600 });

    await expect(verifyStaffToken(secret, token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token without sub', async () => {
    const iat = now();
    const token = await handMade({ iat, exp: iat + 3600 });

    await expect(verifyStaffToken(secret, token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('will not sign a token for longer than 12 hours, nor for no time at all', async () => {
    const principal = { user: 'alice', roles: ['admin'] as const };

    await expect(issueStaffToken(secret, principal, MAX_STAFF_TOKEN_TTL_SECONDS + 1)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(issueStaffToken(secret, principal, 0)).rejects.toBeInstanceOf(ValidationError);
    await expect(issueStaffToken(secret, principal, Number.NaN)).rejects.toBeInstanceOf(ValidationError);
  });
});
