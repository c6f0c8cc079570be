import { type StaffRole, StaffRoleSchema, UnauthorizedError } from '@madad/core';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface StaffPrincipal {
  readonly user: string;
  readonly roles: readonly StaffRole[];
}

const ISSUER = 'madad';
const AUDIENCE = 'madad-staff';

const encode = (secret: string) => new TextEncoder().encode(secret);

/** Signs a staff token with the deployment's HS256 key (`npx madad token`). */
export async function issueStaffToken(
  secret: string,
  principal: StaffPrincipal,
  ttlSeconds = 8 * 3600,
): Promise<string> {
  return new SignJWT({ roles: principal.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.user)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encode(secret));
}

/** Verifies signature, issuer, audience and expiry; roles come from `roles` or Cognito's `cognito:groups`. */
export async function verifyStaffToken(secret: string, token: string): Promise<StaffPrincipal> {
  try {
    const { payload } = await jwtVerify(token, encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
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
