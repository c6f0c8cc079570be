import {
  type Enrollment,
  hashCnic,
  type OutboundSms,
  type ReconcileBatchDeps,
  type RegistrationRecord,
  type RegistryMatch,
  reconcileBatch,
} from '@madad/core';
import { describe, expect, it } from 'vitest';
import { memoryReferences } from '../../support/reference-fakes.js';
import { unitCampaign } from '../../support/unit-campaign.js';

const PEPPER = 'unit-pepper-0123456789';
const CNIC = '4230112345674';
const NOW = new Date('2026-08-20T10:00:00Z');
const PHONE = '+923001234567';

/** In-memory ports: the registry knows one eligible Dadu household, whose phone sends the SMS. */
function world(options: { registryDown?: boolean; poisonPhone?: string } = {}) {
  const hash = hashCnic(PEPPER, CNIC);
  const registrations = new Map<string, RegistrationRecord>();
  const enrollments = new Map<string, Enrollment>();
  const enqueued: OutboundSms[][] = [];
  const stats: { campaignId: string; counters: Record<string, number> }[] = [];
  const perMinute: string[] = [];
  const match: RegistryMatch = {
    exclusions: [],
    person: { cnicHash: hash, householdId: 'HH-1', relation: 'head' },
    identity: { cnicHash: hash, status: 'ALIVE', simPhones: [] },
    household: {
      householdId: 'HH-1',
      province: 'Sindh',
      district: 'Dadu',
      tehsil: 'Dadu',
      pmtScore: 12,
      programmes: [],
      members: [{ cnicHash: hash, relation: 'head', gender: 'female', exclusions: [] }],
      phones: [PHONE],
      status: 'active',
    },
  };
  const deps: ReconcileBatchDeps = {
    pepper: PEPPER,
    references: memoryReferences(),
    clock: { now: () => NOW },
    registry: {
      resolve: async (hashes) => {
        if (options.registryDown) throw new Error('registry out of reach');
        return new Map(hashes.map((h) => [h, h === hash ? match : { exclusions: [] }]));
      },
      addProvisional: async () => undefined,
    },
    campaigns: { inForce: async () => [unitCampaign()] },
    phones: {
      tally: async () => ({ hours: {}, cnics: [] }),
    },
    decisions: { put: async () => undefined, latest: async () => undefined },
    replies: { enqueue: async (r) => void enqueued.push([...r]) },
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
        enrollments.set(e.householdId, e);
        return { created: true };
      },
    },
    registrations: {
      record: async (r) => {
        if (r.from === options.poisonPhone) throw new Error('conditional write lost');
        const existing = registrations.get(r.messageId);
        if (existing) return { fresh: false, existing };
        registrations.set(r.messageId, r);
        return { fresh: true };
      },
    },
    stats: {
      add: async (campaignId, counters) => void stats.push({ campaignId, counters: { ...counters } }),
      addPerMinute: async (campaignId) => void perMinute.push(campaignId),
    },
  };
  return { deps, registrations, enrollments, enqueued, stats, perMinute };
}

const sms = (messageId: string, text: string, from = PHONE) => ({
  id: `sqs-${messageId}`,
  body: JSON.stringify({ channel: 'sms', messageId, from, to: '8171', text, acceptedAt: NOW.toISOString() }),
});

describe('reconcileBatch', () => {
  it('decides every readable message, queues the replies together once and adds the counters once', async () => {
    // Arrange
    const w = world();
    // Act
    const result = await reconcileBatch(w.deps, [sms('m1', CNIC), sms('m2', 'HELP')]);
    // Assert
    expect(result.failedIds).toEqual([]);
    expect(result.unreadableIds).toEqual([]);
    expect(w.enrollments.get('HH-1')?.amount).toBe(12000);
    expect(w.enqueued).toHaveLength(1);
    expect(w.enqueued[0]?.map((r) => r.to)).toEqual([PHONE, PHONE]);
    expect(result.replies).toBe(2);
    expect(w.stats.map((s) => s.campaignId)).toEqual(['C-UNIT']);
    expect(result.counters.get('C-UNIT')?.['status:ELIGIBLE']).toBe(1);
    expect(w.perMinute).toEqual(['C-UNIT']);
  });

  it('names an unreadable body apart from the failures a retry may cure, and decides the rest', async () => {
    const w = world();
    const result = await reconcileBatch(w.deps, [{ id: 'sqs-bad', body: '{not json' }, sms('m1', CNIC)]);
    expect(result.unreadableIds).toEqual(['sqs-bad']);
    expect(result.failedIds).toEqual([]);
    expect([...w.registrations.keys()]).toEqual(['m1']);
  });

  it('fails a message alone when its own write fails, and still answers the others', async () => {
    const w = world({ poisonPhone: '+923009999999' });
    const result = await reconcileBatch(w.deps, [sms('m1', CNIC), sms('m2', 'HELP', '+923009999999')]);
    expect(result.failedIds).toEqual(['sqs-m2']);
    expect([...w.registrations.keys()]).toEqual(['m1']);
    expect(w.enqueued.flat().map((r) => r.to)).toEqual([PHONE]);
  });

  it("reads a registering person's decisions under the campaigns in force only, a STATUS sender's all", async () => {
    const w = world();
    const asked: { hashes: readonly string[]; decisionsIn?: readonly string[] }[] = [];
    const { resolve } = w.deps.registry;
    const deps: ReconcileBatchDeps = {
      ...w.deps,
      registry: {
        ...w.deps.registry,
        resolve: async (hashes, options) => {
          asked.push({ hashes, ...(options?.decisionsIn ? { decisionsIn: options.decisionsIn } : {}) });
          return resolve(hashes);
        },
      },
    };
    const other = '4230112345675';

    await reconcileBatch(deps, [sms('m1', CNIC), sms('m2', `STATUS ${other}`, '+923007654321')]);

    expect(asked).toHaveLength(2);
    expect(asked).toContainEqual({ hashes: [hashCnic(PEPPER, CNIC)], decisionsIn: ['C-UNIT', '-'] });
    expect(asked).toContainEqual({ hashes: [hashCnic(PEPPER, other)] });
  });

  it('throws when the batch cannot be read, before anything is recorded, queued or counted', async () => {
    const w = world({ registryDown: true });
    await expect(reconcileBatch(w.deps, [sms('m1', CNIC)])).rejects.toThrow('registry out of reach');
    expect(w.registrations.size).toBe(0);
    expect(w.enqueued).toEqual([]);
    expect(w.stats).toEqual([]);
  });
});
