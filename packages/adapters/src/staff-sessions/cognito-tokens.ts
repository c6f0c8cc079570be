import { StaffRoleSchema, UnauthorizedError } from '@madad/core';
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ConfigurationError } from '../runtime/config.js';
import type { StaffPrincipal } from './staff-tokens.js';

export interface CognitoVerifierOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` (`MADAD_COGNITO_ISSUER`). */
  readonly issuer: string;
  /** The staff console's app client (`MADAD_COGNITO_CLIENT_ID`). */
  readonly clientId: string;
  /** The user pool's signing keys; default: its JWKS, fetched once and cached by jose. */
  readonly keys?: JWTVerifyGetKey;
}

/**
 * Verifies staff tokens issued by the Cognito user pool (RS256, keys from the pool's JWKS). The HTTP
 * API's JWT authorizer has checked them already; the handler checks again so that no route depends on
 * the gateway's configuration alone, and maps the pool's groups (`cognito:groups`) to staff roles.
 * ID tokens carry the client in `aud`, access tokens in `client_id`; both are accepted. A token
 * without `exp` or `sub` is refused; the user is the pool's `sub`.
 */
export function createCognitoTokenVerifier(
  options: CognitoVerifierOptions,
): (token: string) => Promise<StaffPrincipal> {
  const keys = options.keys ?? createRemoteJWKSet(new URL(`${options.issuer}/.well-known/jwks.json`));
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('Token expired');
      throw new UnauthorizedError('Invalid token');
    }
    const client = payload.token_use === 'id' ? payload.aud : payload.client_id;
    if (payload.token_use !== 'id' && payload.token_use !== 'access') {
      throw new UnauthorizedError('Not a Cognito ID or access token');
    }
    if (client !== options.clientId) throw new UnauthorizedError('Token issued to another client');
    // The pool's `sub` is the stable user id: a username can be freed and taken by someone else, so
    // maker-checker and the ledger compare `sub`, never the name the person typed.
    const user = payload.sub;
    if (typeof user !== 'string' || user === '') throw new UnauthorizedError('Token has no subject');
    return { user, roles: rolesOf(payload['cognito:groups']) };
  };
}

/** The staff roles among a user's Cognito groups; other groups are ignored. */
function rolesOf(groups: unknown): StaffPrincipal['roles'] {
  return (Array.isArray(groups) ? groups : []).flatMap((group) => {
    const parsed = StaffRoleSchema.safeParse(group);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The Cognito verifier when the deployment names a user pool (cloud), otherwise `undefined`. */
export function cognitoVerifierFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ((token: string) => Promise<StaffPrincipal>) | undefined {
  const issuer = env.MADAD_COGNITO_ISSUER;
  const clientId = env.MADAD_COGNITO_CLIENT_ID;
  if (!issuer && !clientId) return undefined;
  if (!issuer || !clientId) {
    throw new ConfigurationError('Set both MADAD_COGNITO_ISSUER and MADAD_COGNITO_CLIENT_ID, or neither');
  }
  return createCognitoTokenVerifier({ issuer, clientId });
}
