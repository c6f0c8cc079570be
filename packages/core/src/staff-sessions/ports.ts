import type { StaffRole } from '../schemas.js';

/**
 * A console session after an OpenID Connect sign-in. The browser holds a random secret; the store
 * holds only its SHA-256 (`sessionKey`), so a read of the table cannot be replayed as a cookie.
 */
export interface StaffSession {
  readonly sessionKey: string;
  /** The provider's `sub`: the stable user id maker-checker and the ledger compare. */
  readonly user: string;
  readonly name?: string;
  readonly roles: readonly StaffRole[];
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Sent back to the provider as `id_token_hint` when the person signs out. */
  readonly idToken?: string;
  readonly revokedAt?: string;
}

export interface StaffSessionStore {
  put(session: StaffSession): Promise<void>;
  get(sessionKey: string): Promise<StaffSession | undefined>;
  /** Marks the session revoked (kept, so a replayed cookie is told it ended); the session, if any. */
  revoke(sessionKey: string, at: Date): Promise<StaffSession | undefined>;
}

/**
 * What the console remembers between sending a browser to the provider and its return: the PKCE
 * verifier, the `state` and `nonce` it sent, and the page to land on. Keyed, like sessions, by the
 * SHA-256 of a random secret kept in a short-lived cookie.
 */
export interface SignInTransaction {
  readonly transactionKey: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly next: string;
  readonly expiresAt: string;
}

export interface SignInTransactionStore {
  put(transaction: SignInTransaction): Promise<void>;
  /** Reads and deletes, atomically: a transaction completes at most once. */
  take(transactionKey: string): Promise<SignInTransaction | undefined>;
}

/** A sign-in the provider confirmed: the ID token's signature, issuer, audience and nonce checked. */
export interface VerifiedSignIn {
  readonly user: string;
  readonly name?: string | undefined;
  /** The staff roles among the token's groups (`cognito:groups` or `groups`); others are ignored. */
  readonly roles: readonly StaffRole[];
  readonly idToken: string;
  readonly expiresAt: Date;
}

/** The OpenID Connect provider staff sign in with: Cognito's hosted login, or the embedded stack's. */
export interface StaffIdentityProvider {
  /** A new authorization request (code flow, PKCE S256, fresh state and nonce) and where to send the browser. */
  beginAuthorization(): Promise<{ url: URL } & Pick<SignInTransaction, 'state' | 'nonce' | 'codeVerifier'>>;
  /** Checks the callback against the transaction, redeems the code with its verifier, verifies the ID token. */
  completeAuthorization(
    callbackUrl: URL,
    transaction: Pick<SignInTransaction, 'state' | 'nonce' | 'codeVerifier'>,
  ): Promise<VerifiedSignIn>;
  /** The provider's sign-out page for this person, coming back to the console; none if it has none. */
  endSessionUrl(idToken: string | undefined): Promise<URL | undefined>;
}
