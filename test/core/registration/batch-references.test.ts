import {
  type DecisionOfRecord,
  type Enrollment,
  hashCnic,
  type ReconcileBatchDeps,
  type RegistrationRecord,
  type RegistryMatch,
  reconcileBatch,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryPhoneTallies } from '../../support/phone-tally-fakes.js';
import { memoryReferences } from '../../support/reference-fakes.js';
import { unitCampaign } from '../../support/unit-campaign.js';

const PEPPER = 'unit-pepper-0123456789';
const NOW = new Date('2026-08-20T10:00:00Z');
/** Three eligible Dadu households, one member each, each with its own phone. */
const PEOPLE = ['4230112345674', '4230112345675', '4230112345676'].map((cnic, i) => ({
  cnic,
  hash: hashCnic(PEPPER, cnic),
  phone: `+92300123456${i}`,
  householdId: `HH-${i}`,
}));

function matchOf(person: (typeof PEOPLE)[number], records: readonly DecisionOfRecord[]): RegistryMatch {
  return {
    exclusions: [],
    person: { cnicHash: person.hash, householdId: person.householdId, relation: 'head' },
    identity: { cnicHash: person.hash, status: 'ALIVE', simPhones: [] },
    household: {
      householdId: person.householdId,
      province: 'Sindh',
      district: 'Dadu',
      tehsil: 'Dadu',
      pmtScore: 12,
      programmes: [],
      members: [{ cnicHash: person.hash, relation: 'head', gender: 'female', exclusions: [] }],
      phones: [person.phone],
      status: 'active',
    },
    decisionsOfRecord: records.filter((d) => d.cnicHash === person.hash),
  };
}

/** In-memory ports that keep what they are given (decisions of record, records, enrollments). */
function world() {
  const references = memoryReferences();
  const puts: number[] = [];
  const records = new Map<string, DecisionOfRecord>();
  const registrations = new Map<string, RegistrationRecord>();
  const enrollments = new Map<string, Enrollment>();
  const queued: string[] = [];
  let indexDown = false;
  const deps: ReconcileBatchDeps = {
    pepper: PEPPER,
    references: {
      get: references.get,
      put: async (entries) => {
        if (indexDown) throw new Error('index out of reach');
        puts.push(entries.length);
        await references.put(entries);
      },
    },
    clock: { now: () => NOW },
    registry: {
      resolve: async (hashes) =>
        new Map(
          hashes.map((h) => {
            const person = PEOPLE.find((p) => p.hash === h);
            return [h, person ? matchOf(person, [...records.values()]) : { exclusions: [] }];
          }),
        ),
      addProvisional: async () => undefined,
    },
    campaigns: { inForce: async () => [unitCampaign()] },
    phones: memoryPhoneTallies(),
    decisions: {
      put: async (d) => void records.set(`${d.cnicHash}|${d.campaignId}`, d),
      latest: async () => undefined,
    },
    replies: { enqueue: async (r) => void queued.push(...r.map((m) => m.text)) },
    appeals: {
      open: async (a) => a,
      get: async () => undefined,
      list: async () => [],
      claim: async () => false,
      complete: async () => undefined,
    },
    enrollments: {
      find: async () => new Map(),
      enroll: async (e) => {
        const existing = enrollments.get(e.householdId);
        if (existing) return { created: false, existing };
        enrollments.set(e.householdId, e);
        return { created: true };
      },
    },
    registrations: {
      record: async (r) => {
        const existing = registrations.get(r.messageId);
        if (existing) return { fresh: false, existing };
        registrations.set(r.messageId, r);
        return { fresh: true };
      },
    },
    stats: { add: async () => undefined, addPerMinute: async () => undefined },
  };
  return {
    deps,
    references,
    puts,
    queued,
    takeIndexDown: (down: boolean) => {
      indexDown = down;
    },
  };
}

const sms = (messageId: string, person: (typeof PEOPLE)[number]) => ({
  id: `sqs-${messageId}`,
  body: JSON.stringify({
    channel: 'sms',
    messageId,
    from: person.phone,
    to: '8171',
    text: person.cnic,
    acceptedAt: NOW.toISOString(),
  }),
});
const firsts = () => PEOPLE.map((person, i) => sms(`m${i}`, person));
const [FIRST, SECOND] = PEOPLE;

describe("reconcileBatch's reference index", () => {
  it("indexes every household's new reference in one write for the whole batch", async () => {
    const w = world();

    const result = await reconcileBatch(w.deps, firsts());

    expect(result.failedIds).toEqual([]);
    expect(w.puts).toEqual([PEOPLE.length]);
    expect([...w.references.entries.values()].map((e) => e.cnicHash).sort()).toEqual(
      PEOPLE.map((p) => p.hash).sort(),
    );
  });

  it('indexes nothing for repeats that quote the reference of record', async () => {
    const w = world();
    await reconcileBatch(w.deps, firsts());

    if (!FIRST || !SECOND) throw new Error('two people expected');

    await reconcileBatch(w.deps, [sms('r0', FIRST), sms('r1', SECOND)]);

    expect(w.puts).toEqual([PEOPLE.length]);
  });

  it('queues no reply before its reference is indexed, and indexes it when the batch comes back', async () => {
    const w = world();
    w.takeIndexDown(true);
    await expect(reconcileBatch(w.deps, firsts())).rejects.toThrow('index out of reach');
    expect(w.queued).toEqual([]);
    w.takeIndexDown(false);

    await reconcileBatch(w.deps, firsts());

    expect(w.references.entries.size).toBe(PEOPLE.length);
    const told = w.queued.flatMap((text) => [...w.references.entries.keys()].filter((r) => text.includes(r)));
    expect(told).toHaveLength(PEOPLE.length);
  });
});
