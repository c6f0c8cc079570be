import type { Rectification, RectificationAuditInput, RectificationDeps } from '@madad/core';
import { memoryChangeRequests } from './change-request-fakes.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * In-memory rectification ports with the DynamoDB adapter's contract (every write a compare-and-set
 * done in one synchronous step), over the change-request fakes' households, and a ledger keeping one
 * entry per actionId.
 */
export function memoryRectifications(now = new Date('2026-03-01T10:00:00Z')) {
  const base = memoryChangeRequests(now);
  const items = new Map<string, Rectification>();
  const audit: RectificationAuditInput[] = [];
  const key = (householdId: string, id: string) => `${householdId}/${id}`;
  const deps: RectificationDeps = {
    rectifications: {
      open: async (item) => {
        await tick();
        const k = key(item.householdId, item.rectificationId);
        if (items.has(k)) return false;
        items.set(k, structuredClone(item));
        return true;
      },
      get: async (householdId, id) => {
        await tick();
        const found = items.get(key(householdId, id));
        return found ? structuredClone(found) : undefined;
      },
      transition: async (householdId, id, from, to, unset = []) => {
        await tick();
        const k = key(householdId, id);
        const current = items.get(k);
        if (!current || !from.includes(current.status)) return false;
        const next: Record<string, unknown> = { ...current, ...to };
        for (const name of unset) delete next[name];
        items.set(k, next as unknown as Rectification);
        return true;
      },
      list: async (status, district) =>
        // Districts in any case, as the adapter's queue key upper-cases them.
        [...items.values()].filter(
          (r) => r.status === status && r.district.toUpperCase() === district.toUpperCase(),
        ),
    },
    households: base.deps.households,
    audit: {
      append: async (input) => {
        await tick();
        if (!audit.some((e) => e.actionId === input.actionId)) audit.push(structuredClone(input));
      },
    },
    clock: { now: () => now },
  };
  return {
    deps,
    items,
    audit,
    households: base.households,
    /** The change-request ports over the same households (the API's `changeRequests`). */
    changeRequestDeps: base.deps,
    viewsRefreshed: base.viewsRefreshed,
    addHousehold: base.addHousehold,
    snapshot: () =>
      structuredClone({
        items: [...items.entries()].sort(),
        households: [...base.households.entries()].sort(),
        audit,
      }),
  };
}
