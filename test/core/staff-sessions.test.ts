import {
  beginSignInTransaction,
  endStaffSession,
  openStaffSession,
  readStaffSession,
  STAFF_SESSION_MAX_SECONDS,
  secretKey,
  takeSignInTransaction,
  UnauthorizedError,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { MemoryStaffSessions } from '../support/staff-session-fakes.js';

const T0 = new Date('2026-12-07T08:00:00Z');

function world() {
  let now = T0;
  const store = new MemoryStaffSessions();
  return {
    store,
    deps: { sessions: store, transactions: store, clock: { now: () => now } },
    advance(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

const later = (hours: number) => new Date(T0.getTime() + hours * 3600_000);

describe('openStaffSession', () => {
  it('lasts one shift (8 hours) when the ID token lives longer', async () => {
    const { deps } = world();

    const { session } = await openStaffSession(deps, {
      user: 'pat',
      roles: ['program-officer'],
      tokenExpiresAt: later(24),
    });

    expect(session.expiresAt).toBe(later(8).toISOString());
    expect(STAFF_SESSION_MAX_SECONDS).toBe(8 * 3600);
  });

  it('ends with the ID token when the token ends first', async () => {
    const { deps } = world();

    const { session } = await openStaffSession(deps, {
      user: 'pat',
      roles: ['program-officer'],
      tokenExpiresAt: later(1),
    });

    expect(session.expiresAt).toBe(later(1).toISOString());
  });

  it('keeps only the hash of the cookie secret', async () => {
    const { deps, store } = world();

    const { secret } = await openStaffSession(deps, {
      user: 'pat',
      roles: ['approver'],
      tokenExpiresAt: later(8),
    });

    expect([...store.sessions.keys()]).toEqual([secretKey(secret)]);
    expect(JSON.stringify([...store.sessions.values()])).not.toContain(secret);
  });

  it('opens nothing for an account without a staff role', async () => {
    const { deps, store } = world();

    await expect(
      openStaffSession(deps, { user: 'visitor', roles: [], tokenExpiresAt: later(8) }),
    ).rejects.toThrow(UnauthorizedError);
    expect(store.sessions.size).toBe(0);
  });
});

describe('readStaffSession', () => {
  it('accepts a live session and refuses it once its end has passed', async () => {
    const { deps, advance } = world();
    const { secret } = await openStaffSession(deps, {
      user: 'pat',
      roles: ['program-officer'],
      tokenExpiresAt: later(8),
    });
    advance(8 * 3600 - 1);
    await expect(readStaffSession(deps, secret)).resolves.toMatchObject({ user: 'pat' });

    advance(1);

    await expect(readStaffSession(deps, secret)).rejects.toThrow('Session expired');
  });

  it('refuses a signed-out session, and a cookie the store never issued', async () => {
    const { deps } = world();
    const { secret } = await openStaffSession(deps, {
      user: 'pat',
      roles: ['program-officer'],
      tokenExpiresAt: later(8),
    });

    const ended = await endStaffSession(deps, secret);

    expect(ended?.revokedAt).toBe(T0.toISOString());
    await expect(readStaffSession(deps, secret)).rejects.toThrow('Signed out');
    await expect(readStaffSession(deps, 'made-up-secret')).rejects.toThrow('No such session');
  });
});

describe('sign-in transactions', () => {
  const request = { state: 's-1', nonce: 'n-1', codeVerifier: 'v'.repeat(43), next: '/console/review' };

  it('complete once: a second take of the same transaction is refused', async () => {
    const { deps } = world();
    const secret = await beginSignInTransaction(deps, request);

    await expect(takeSignInTransaction(deps, secret)).resolves.toMatchObject(request);
    await expect(takeSignInTransaction(deps, secret)).rejects.toThrow('already used');
  });

  it('are refused after ten minutes on the provider’s pages', async () => {
    const { deps, advance } = world();
    const secret = await beginSignInTransaction(deps, request);

    advance(600);

    await expect(takeSignInTransaction(deps, secret)).rejects.toThrow('took too long');
  });
});
