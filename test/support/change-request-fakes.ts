import type {
  ChangeAuditInput,
  ChangeRequest,
  ChangeRequestDeps,
  HouseholdMemberItem,
  MutableHousehold,
} from '@madad/core';

export const FAKE_PEPPER = 'test-pepper-change-requests';

interface StoredHousehold {
  household: MutableHousehold;
  revision: number;
  applied: string[];
}

type Identity = { status: 'ALIVE' | 'DECEASED' | 'BLOCKED'; gender?: 'male' | 'female'; birthYear?: number };

/** Lets other calls run between a fake's read and its write, as a network round trip would. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * In-memory change-request ports with the DynamoDB adapters' contract: every write is a
 * compare-and-set done in one synchronous step (so concurrent flows interleave as conditional
 * writes do), and a crash leaves what was written before it. The ledger keeps one entry per actionId.
 */
export function memoryChangeRequests(now = new Date('2026-03-01T10:00:00Z')) {
  const requests = new Map<string, ChangeRequest>();
  const households = new Map<string, StoredHousehold>();
  /** The CNIC index: PERSON item's household by CNIC hash. */
  const persons = new Map<string, string>();
  const identities = new Map<string, Identity>();
  const audit: ChangeAuditInput[] = [];
  const viewsRefreshed: string[] = [];
  const key = (householdId: string, requestId: string) => `${householdId}/${requestId}`;

  const deps: ChangeRequestDeps = {
    changeRequests: {
      create: async (request) => {
        await tick();
        const k = key(request.householdId, request.requestId);
        if (requests.has(k)) throw new Error('request exists');
        requests.set(k, structuredClone(request));
      },
      get: async (householdId, requestId) => {
        await tick();
        const found = requests.get(key(householdId, requestId));
        return found ? structuredClone(found) : undefined;
      },
      transition: async (householdId, requestId, from, to, unset = []) => {
        await tick();
        const k = key(householdId, requestId);
        const current = requests.get(k);
        if (!current || !from.includes(current.status)) return false;
        const next: Record<string, unknown> = { ...current, ...to };
        for (const name of unset) delete next[name];
        requests.set(k, next as unknown as ChangeRequest);
        return true;
      },
      list: async (status) => [...requests.values()].filter((r) => r.status === status),
    },
    households: {
      read: async (householdId) => {
        await tick();
        const found = households.get(householdId);
        return found ? structuredClone(found) : undefined;
      },
      write: async (householdId, updated, requestId, revision) => {
        await tick();
        const current = households.get(householdId);
        if (!current || current.revision !== revision || current.applied.includes(requestId)) return false;
        households.set(householdId, {
          household: structuredClone(updated),
          revision: revision + 1,
          applied: [...current.applied, requestId],
        });
        return true;
      },
      indexMember: async (householdId, cnicHash) => {
        await tick();
        const owner = persons.get(cnicHash);
        if (owner !== undefined && owner !== householdId) return { ok: false, owner };
        persons.set(cnicHash, householdId);
        return { ok: true };
      },
      unindexMember: async (householdId, cnicHash) => {
        await tick();
        if (persons.get(cnicHash) === householdId) persons.delete(cnicHash);
      },
      refreshViews: async (householdId) => {
        await tick();
        viewsRefreshed.push(householdId);
      },
    },
    people: {
      identity: async (cnicHash) => identities.get(cnicHash),
      householdOf: async (cnicHash) => persons.get(cnicHash),
    },
    audit: {
      append: async (input) => {
        await tick();
        if (!audit.some((e) => e.actionId === input.actionId)) audit.push(structuredClone(input));
      },
    },
    pepper: async () => FAKE_PEPPER,
    clock: { now: () => now },
  };

  return {
    deps,
    requests,
    households,
    persons,
    identities,
    audit,
    viewsRefreshed,
    /** A household whose members are indexed to it. */
    addHousehold(householdId: string, members: HouseholdMemberItem[], phones: string[] = ['+923001234567']) {
      households.set(householdId, {
        household: { district: 'Lahore', tehsil: 'Lahore City', phones, members },
        revision: 0,
        applied: [],
      });
      for (const m of members) persons.set(m.cnicHash, householdId);
    },
    /** Everything a flow can change, for comparing a crashed-and-resumed run with an uncrashed one. */
    snapshot() {
      return structuredClone({
        requests: [...requests.entries()].sort(),
        households: [...households.entries()].sort(),
        persons: [...persons.entries()].sort(),
        audit,
      });
    },
  };
}
