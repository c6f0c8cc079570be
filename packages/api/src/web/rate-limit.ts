/** How many attempts a key may make in a window. */
export interface RateRule {
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * What the public routes are limited by: the client's address (every form post and lookup), the
 * phone a registration is for, and the phone a lookup (status, change request) names.
 */
export type RateKind = 'ip' | 'phone' | 'lookup';

/** Abuse limits of the public forms: counts one attempt for `key` and says whether it is allowed. */
export interface RateLimiter {
  hit(kind: RateKind, key: string, now: Date): Promise<RateVerdict>;
}

/**
 * Generous enough for a registration desk behind one address (a clerk registers a family a minute),
 * tight enough that one phone cannot be used to flood the queue with registrations.
 */
export const DEFAULT_RATE_RULES: Readonly<Record<RateKind, RateRule>> = {
  ip: { limit: 60, windowSeconds: 600 },
  phone: { limit: 5, windowSeconds: 3600 },
  // A household checks its status a few times; trying CNICs against one phone is cut off early.
  lookup: { limit: 10, windowSeconds: 3600 },
};

const MAX_KEYS = 50_000;

/**
 * Fixed-window counters in this process's memory. On Lambda each warm instance counts on its own,
 * so this only slows a single client down; API Gateway's stage throttling is the cloud-wide guard
 * (and the reconciler's per-phone CNIC limit still flags abuse that gets through).
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  private readonly rules: Readonly<Record<RateKind, RateRule>>;

  constructor(rules: Partial<Readonly<Record<RateKind, RateRule>>> = DEFAULT_RATE_RULES) {
    this.rules = { ...DEFAULT_RATE_RULES, ...rules };
  }

  async hit(kind: RateKind, key: string, now: Date): Promise<RateVerdict> {
    const rule = this.rules[kind];
    const id = `${kind}:${key}`;
    const t = now.getTime();
    const windowMs = rule.windowSeconds * 1000;
    let entry = this.windows.get(id);
    if (!entry || t - entry.start >= windowMs) {
      if (!entry && this.windows.size >= MAX_KEYS) this.evict(t);
      entry = { start: t, count: 0 };
      this.windows.set(id, entry);
    }
    entry.count += 1;
    if (entry.count <= rule.limit) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.start + windowMs - t) / 1000)) };
  }

  /** Keeps memory bounded under a flood of distinct keys: expired windows go first, then the oldest. */
  private evict(now: number): void {
    const longest = Math.max(...Object.values(this.rules).map((r) => r.windowSeconds)) * 1000;
    for (const [id, entry] of this.windows) if (now - entry.start >= longest) this.windows.delete(id);
    if (this.windows.size < MAX_KEYS) return;
    const oldest = this.windows.keys().next().value;
    if (oldest !== undefined) this.windows.delete(oldest);
  }
}
