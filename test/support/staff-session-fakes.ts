import type { SignInTransaction, SignInTransactionStore, StaffSession, StaffSessionStore } from '@madad/core';

/** Console sessions and sign-in transactions in memory, with the DynamoDB adapter's semantics. */
export class MemoryStaffSessions implements StaffSessionStore, SignInTransactionStore {
  readonly sessions = new Map<string, StaffSession>();
  readonly transactions = new Map<string, SignInTransaction>();

  async put(item: StaffSession | SignInTransaction): Promise<void> {
    if ('sessionKey' in item) this.sessions.set(item.sessionKey, item);
    else this.transactions.set(item.transactionKey, item);
  }

  async get(key: string): Promise<StaffSession | undefined> {
    return this.sessions.get(key);
  }

  async revoke(key: string, at: Date): Promise<StaffSession | undefined> {
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const revoked = { ...session, revokedAt: session.revokedAt ?? at.toISOString() };
    this.sessions.set(key, revoked);
    return revoked;
  }

  async take(key: string): Promise<SignInTransaction | undefined> {
    const transaction = this.transactions.get(key);
    this.transactions.delete(key);
    return transaction;
  }
}
