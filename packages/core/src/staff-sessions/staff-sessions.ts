import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';
import type { StaffRole } from '../schemas.js';
import type { Clock } from '../time/clock.js';
import type { SignInTransaction, SignInTransactionStore, StaffSession, StaffSessionStore } from './ports.js';

/** A console session lasts one working shift at most, and never longer than the ID token it came from. */
export const STAFF_SESSION_MAX_SECONDS = 8 * 3600;
/** Time a person has on the provider's login page before the sign-in must start again. */
export const SIGN_IN_TRANSACTION_SECONDS = 10 * 60;

const newSecret = () => randomBytes(32).toString('base64url');

/** The store's key of a cookie secret: its SHA-256, so the table never holds a usable cookie. */
export function secretKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface OpenSessionInput {
  readonly user: string;
  readonly name?: string | undefined;
  readonly roles: readonly StaffRole[];
  readonly idToken?: string;
  /** The ID token's `exp`: the session ends no later. */
  readonly tokenExpiresAt: Date;
}

/**
 * Opens a console session after a verified sign-in and returns the secret for the cookie. A person
 * the provider knows but who holds no staff role gets no session.
 */
export async function openStaffSession(
  deps: { sessions: StaffSessionStore; clock: Clock },
  input: OpenSessionInput,
): Promise<{ secret: string; session: StaffSession }> {
  if (input.roles.length === 0) throw new UnauthorizedError('This account holds no staff role');
  const now = deps.clock.now();
  const longest = now.getTime() + STAFF_SESSION_MAX_SECONDS * 1000;
  const expiresAt = new Date(Math.min(longest, input.tokenExpiresAt.getTime()));
  if (expiresAt <= now) throw new UnauthorizedError('The sign-in has already expired');
  const secret = newSecret();
  const session: StaffSession = {
    sessionKey: secretKey(secret),
    user: input.user,
    ...(input.name ? { name: input.name } : {}),
    roles: [...input.roles],
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ...(input.idToken ? { idToken: input.idToken } : {}),
  };
  await deps.sessions.put(session);
  return { secret, session };
}

/** The live session a cookie names; refused when unknown, signed out or past its end. */
export async function readStaffSession(
  deps: { sessions: StaffSessionStore; clock: Clock },
  secret: string,
): Promise<StaffSession> {
  const session = await deps.sessions.get(secretKey(secret));
  if (!session) throw new UnauthorizedError('No such session');
  if (session.revokedAt) throw new UnauthorizedError('Signed out');
  if (new Date(session.expiresAt) <= deps.clock.now()) throw new UnauthorizedError('Session expired');
  return session;
}

/** Signs a session out for good: the same cookie is refused from now on. The session, if there was one. */
export function endStaffSession(
  deps: { sessions: StaffSessionStore; clock: Clock },
  secret: string,
): Promise<StaffSession | undefined> {
  return deps.sessions.revoke(secretKey(secret), deps.clock.now());
}

/** Records a sign-in on its way to the provider; returns the secret for the transaction cookie. */
export async function beginSignInTransaction(
  deps: { transactions: SignInTransactionStore; clock: Clock },
  input: Pick<SignInTransaction, 'state' | 'nonce' | 'codeVerifier' | 'next'>,
): Promise<string> {
  const secret = newSecret();
  const expiresAt = new Date(deps.clock.now().getTime() + SIGN_IN_TRANSACTION_SECONDS * 1000);
  await deps.transactions.put({
    ...input,
    transactionKey: secretKey(secret),
    expiresAt: expiresAt.toISOString(),
  });
  return secret;
}

/** The transaction a returning browser's cookie names, used up by this call; refused when stale. */
export async function takeSignInTransaction(
  deps: { transactions: SignInTransactionStore; clock: Clock },
  secret: string,
): Promise<SignInTransaction> {
  const transaction = await deps.transactions.take(secretKey(secret));
  if (!transaction) throw new UnauthorizedError('This sign-in was already used or never started');
  if (new Date(transaction.expiresAt) <= deps.clock.now())
    throw new UnauthorizedError('This sign-in took too long');
  return transaction;
}
