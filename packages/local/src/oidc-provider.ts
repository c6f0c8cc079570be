import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { handleInteraction } from './oidc-login-page.js';
import { OidcMemoryAdapter } from './oidc-memory-adapter.js';
import type { StaffAccount } from './staff-accounts.js';

export interface LocalOidcProviderOptions {
  readonly accounts: readonly StaffAccount[];
  /** The console's callback, e.g. `http://127.0.0.1:3000/console/callback`. */
  readonly redirectUri: string;
  /** Where the provider sends the browser after signing out, e.g. `.../console/signed-out`. */
  readonly postLogoutRedirectUri: string;
  /** Default 0: a free port on 127.0.0.1. */
  readonly port?: number;
}

export interface LocalOidcProvider {
  /** `http://127.0.0.1:<port>`: discovery at `/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  stop(): Promise<void>;
}

export const LOCAL_CONSOLE_CLIENT_ID = 'madad-console';
const EIGHT_HOURS = 8 * 3600;

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback for the embedded stack:
 * authorization code with PKCE (required: the console is a public client), RS256 ID tokens carrying
 * the staff roles as `groups` (Cognito's are `cognito:groups`; the console reads either), a login page
 * checking the seeded accounts' passwords, and RP-initiated logout. Keys are made at each start.
 */
export async function startOidcProvider(options: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  const accounts = new Map(options.accounts.map((account) => [account.username, account]));
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256' };

  const configuration: Configuration = {
    adapter: OidcMemoryAdapter,
    clients: [
      {
        client_id: LOCAL_CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    // The scopes' claims go into the ID token itself, as Cognito's `cognito:groups` does.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    ttl: {
      AuthorizationCode: 60,
      IdToken: EIGHT_HOURS,
      AccessToken: 3600,
      Interaction: 600,
      Session: EIGHT_HOURS,
      Grant: EIGHT_HOURS,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The console is this stack's own application: no consent screen, as with Cognito's hosted login.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, name: account.name, groups: [...account.roles] }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  const providerCallback = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, accounts, req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(error instanceof Error ? error.message : 'Interaction failed');
      });
      return;
    }
    providerCallback(req, res);
  };
  return {
    issuer,
    clientId: LOCAL_CONSOLE_CLIENT_ID,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The provider's "sign out?" page. When the console asks (it sends the ID token as `id_token_hint`),
 * the form submits itself: the person pressed "Sign out" in the console a moment ago.
 */
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const fromConsole = Boolean(ctx.oidc.params?.id_token_hint);
  ctx.type = 'html';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head>
<body><main><h1>Sign out of the Madad local sign-in?</h1>${form}
<button id="logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main>
${fromConsole ? '<script>document.getElementById("logout-yes").click()</script>' : ''}</body></html>`;
}
