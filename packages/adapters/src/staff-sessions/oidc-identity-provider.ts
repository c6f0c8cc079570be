import {
  type StaffIdentityProvider,
  type StaffRole,
  StaffRoleSchema,
  UnauthorizedError,
  type VerifiedSignIn,
} from '@madad/core';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../runtime/config.js';

export interface OidcSettings {
  /** The provider's issuer: discovery at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The console's public client (no secret: PKCE protects the code). */
  readonly clientId: string;
  /** `<console>/console/callback`, registered with the provider. */
  readonly redirectUri: string;
  /** `<console>/console/signed-out`, registered with the provider. */
  readonly postLogoutRedirectUri: string;
  /**
   * Cognito's hosted `/logout` (`https://<domain>/logout`): its discovery names no end-session
   * endpoint, so its sign-out takes `client_id` and `logout_uri` instead.
   */
  readonly logoutUrl?: string | undefined;
  readonly scope?: string;
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/** The staff roles among a token's groups: Cognito's `cognito:groups`, or `groups` (the local provider). */
export function staffRolesOf(claims: Record<string, unknown>): StaffRole[] {
  const groups = claims['cognito:groups'] ?? claims.groups;
  return (Array.isArray(groups) ? groups : []).flatMap((group) => {
    const parsed = StaffRoleSchema.safeParse(group);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * OpenID Connect authorization code flow with PKCE, by `oauth4webapi`: discovery (once per process),
 * the authorization request, the callback's `state` and `iss`, the code exchange with the verifier and
 * the ID token's claims (issuer, audience, expiry, nonce). The ID token's signature is then verified
 * against the provider's JWKS with `jose`, so the session never rests on TLS to the token endpoint
 * alone. Plain HTTP is allowed only for a loopback issuer (the embedded stack's provider).
 */
export function createOidcIdentityProvider(
  settings: OidcSettings,
  options: { keys?: JWTVerifyGetKey } = {},
): StaffIdentityProvider {
  const issuer = new URL(settings.issuer);
  const insecure = LOOPBACK_HTTP.test(settings.issuer) ? { [oauth.allowInsecureRequests]: true } : {};
  const client: oauth.Client = { client_id: settings.clientId };
  let discovered: Promise<{ as: oauth.AuthorizationServer; keys: JWTVerifyGetKey }> | undefined;
  const discover = () => {
    discovered ??= (async () => {
      const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure });
      const as = await oauth.processDiscoveryResponse(issuer, response);
      if (!as.jwks_uri) throw new ConfigurationError(`${settings.issuer} publishes no JWKS`);
      return { as, keys: options.keys ?? createRemoteJWKSet(new URL(as.jwks_uri)) };
    })().catch((error: unknown) => {
      discovered = undefined; // a provider that was down is asked again next time
      throw error;
    });
    return discovered;
  };

  return {
    async beginAuthorization() {
      const { as } = await discover();
      if (!as.authorization_endpoint)
        throw new ConfigurationError(`${settings.issuer} has no authorization endpoint`);
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: settings.redirectUri,
        response_type: 'code',
        scope: settings.scope ?? 'openid profile',
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }).toString();
      return { url, state, nonce, codeVerifier };
    },

    async completeAuthorization(callbackUrl, transaction): Promise<VerifiedSignIn> {
      const { as, keys } = await discover();
      let idToken: string;
      try {
        const parameters = oauth.validateAuthResponse(as, client, callbackUrl, transaction.state);
        const response = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.None(),
          parameters,
          settings.redirectUri,
          transaction.codeVerifier,
          insecure,
        );
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: transaction.nonce,
          requireIdToken: true,
        });
        if (!result.id_token) throw new UnauthorizedError('The provider returned no ID token');
        idToken = result.id_token;
      } catch (error) {
        throw refusal(error);
      }
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(idToken, keys, {
          issuer: as.issuer,
          audience: settings.clientId,
          requiredClaims: ['sub', 'exp', 'nonce'],
        }));
      } catch {
        throw new UnauthorizedError('The ID token did not verify against the provider’s keys');
      }
      if (claims.nonce !== transaction.nonce)
        throw new UnauthorizedError('The ID token answers another sign-in');
      const name = [claims.name, claims.email, claims['cognito:username']].find((v) => typeof v === 'string');
      return {
        user: String(claims.sub),
        name: name as string | undefined,
        roles: staffRolesOf(claims),
        idToken,
        expiresAt: new Date(Number(claims.exp) * 1000),
      };
    },

    async endSessionUrl(idToken) {
      if (settings.logoutUrl) {
        const url = new URL(settings.logoutUrl);
        url.search = new URLSearchParams({
          client_id: settings.clientId,
          logout_uri: settings.postLogoutRedirectUri,
        }).toString();
        return url;
      }
      const { as } = await discover();
      if (!as.end_session_endpoint) return undefined;
      const url = new URL(as.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        post_logout_redirect_uri: settings.postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).toString();
      return url;
    },
  };
}

/** What the provider or the checks refused, as a 401 with a reason staff can read; anything else as is. */
function refusal(error: unknown): unknown {
  if (error instanceof UnauthorizedError) return error;
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return new UnauthorizedError(`The sign-in was refused (${error.error})`);
  }
  if (error instanceof oauth.OperationProcessingError) {
    return new UnauthorizedError(`The sign-in did not check out (${error.message})`);
  }
  return error;
}

/** The console's provider when the deployment names one (`MADAD_OIDC_ISSUER`), otherwise `undefined`. */
export function oidcIdentityProviderFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): StaffIdentityProvider | undefined {
  const issuer = env.MADAD_OIDC_ISSUER;
  const clientId = env.MADAD_OIDC_CLIENT_ID;
  const consoleUrl = env.MADAD_CONSOLE_URL;
  if (!issuer && !clientId && !consoleUrl) return undefined;
  if (!issuer || !clientId || !consoleUrl) {
    throw new ConfigurationError(
      'Set MADAD_OIDC_ISSUER, MADAD_OIDC_CLIENT_ID and MADAD_CONSOLE_URL together, or none',
    );
  }
  const base = consoleUrl.replace(/\/+$/, '');
  return createOidcIdentityProvider({
    issuer,
    clientId,
    redirectUri: `${base}/console/callback`,
    postLogoutRedirectUri: `${base}/console/signed-out`,
    logoutUrl: env.MADAD_OIDC_LOGOUT_URL || undefined,
  });
}
