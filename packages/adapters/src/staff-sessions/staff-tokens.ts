import { type StaffRole, StaffRoleSchema, UnauthorizedError, ValidationError } from '@madad/core';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface StaffPrincipal {
  readonly user: string;
  readonly roles: readonly StaffRole[];
}

const ISSUER = 'madad';
const AUDIENCE = 'madad-staff';

/**
 * The longest a locally signed staff token may live: one working shift. Refused past it at signing
 * and at verification, so a token minted by hand (or by an old CLI) for years is worthless.
 */
export const MAX_STAFF_TOKEN_TTL_SECONDS = 12 * 3600;

const encode = (secret: string) => new TextEncoder().encode(secret);

/** Signs a staff token with the deployment's HS256 key (`npx madad token`); at most 12 hours. */
export async function issueStaffToken(
  secret: string,
  principal: StaffPrincipal,
  ttlSeconds = 8 * 3600,
): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_STAFF_TOKEN_TTL_SECONDS) {
    throw new ValidationError(
      `A staff token lives from 1 to ${MAX_STAFF_TOKEN_TTL_SECONDS} seconds (12 hours), not ${ttlSeconds}`,
    );
  }
  return new SignJWT({ roles: principal.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.user)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encode(secret));
}

/**
 * Verifies signature, issuer, audience and expiry; `exp` and `iat` are required and a token that
 * lives longer than 12 hours is refused. The user is the token's `sub`. Roles come from `roles` or
 * Cognito's `cognito:groups`.
 */
export async function verifyStaffToken(secret: string, token: string): Promise<StaffPrincipal> {
  try {
    const { payload } = await jwtVerify(token, encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const { exp, iat } = payload;
    if (exp === undefined || iat === undefined || exp - iat > MAX_STAFF_TOKEN_TTL_SECONDS) {
      throw new UnauthorizedError('Token lives longer than 12 hours');
    }
    const claimed = payload.roles ?? payload['cognito:groups'];
    const roles = (Array.isArray(claimed) ? claimed : []).flatMap((r) => {
      const parsed = StaffRoleSchema.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
    if (!payload.sub) throw new UnauthorizedError('Token has no subject');
    return { user: payload.sub, roles };
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    if (error instanceof errors.JWTExpired) throw new UnauthorizedError('Token expired');
    throw new UnauthorizedError('Invalid token');
  }
}
