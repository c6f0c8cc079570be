/**
 * The local OIDC provider's storage (codes, sessions, grants, interactions): memory, on purpose. A
 * provider session lasts one run of the stack; the console's own sessions are in the operations table.
 * (oidc-provider ships an equivalent but warns on every start that it is for quick starts only.)
 */
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

const stored = new Map<string, { payload: Payload; expiresAt: number }>();
const grants = new Map<string, Set<string>>();

export class OidcMemoryAdapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    stored.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (payload.grantId) {
      const members = grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      grants.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<Payload | undefined> {
    return this.read(this.key(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.findWhere((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.findWhere((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const entry = stored.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    stored.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grants.get(grantId) ?? []) stored.delete(key);
    grants.delete(grantId);
  }

  private read(key: string): Payload | undefined {
    const entry = stored.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      stored.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  private findWhere(match: (payload: Payload) => boolean): Payload | undefined {
    const prefix = `${this.model}:`;
    for (const [key] of stored) {
      if (!key.startsWith(prefix)) continue;
      const payload = this.read(key);
      if (payload && match(payload)) return payload;
    }
    return undefined;
  }
}
