import {
  batchPutAll,
  DynamoDbDecisionRecords,
  DynamoDbRegistryLookup,
  householdItems,
  identityItem,
} from '@madad/adapters';
import { type DecisionOfRecord, hashCnic } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/env.js';
import { household, type RegistryTable, startRegistryTable } from './registry-table.js';

const pepper = TEST_SECRETS.pepper;
/** Thirty people in ten households of three, each decided under a campaign in force and a closed one. */
const CNICS = Array.from({ length: 30 }, (_, i) => `35202${String(7100000 + i).padStart(8, '0')}`);
const hashes = CNICS.map((cnic) => hashCnic(pepper, cnic));
let registry: RegistryTable;
let lookup: DynamoDbRegistryLookup;

const decision = (cnicHash: string, campaignId: string, decidedAt: string): DecisionOfRecord => ({
  campaignId,
  cnicHash,
  messageId: `m-${campaignId}-${cnicHash.slice(0, 6)}`,
  reference: 'R7K2M9Q4',
  from: '+923001234567',
  channel: 'sms',
  lang: 'en',
  decision: {
    status: 'NOT_ELIGIBLE',
    reasons: ['SCORE_ABOVE_THRESHOLD'],
    ruleSetVersion: 'v1',
    inputs: {},
    decidedAt,
  },
});

beforeAll(async () => {
  registry = await startRegistryTable();
  lookup = new DynamoDbRegistryLookup(registry.doc, registry.table);
  for (let h = 0; h < 10; h++) {
    const members = CNICS.slice(h * 3, h * 3 + 3);
    await batchPutAll(registry.doc, registry.table, [
      ...householdItems(pepper, household(`HH-KEYS-${h}`, members)),
      ...members.map((cnic) =>
        identityItem(pepper, {
          cnic,
          name: 'A',
          gender: 'female',
          birthYear: 1980,
          status: 'ALIVE',
          simPhones: [],
        }),
      ),
    ]);
  }
  const records = new DynamoDbDecisionRecords(registry.doc, registry.table);
  for (const hash of hashes) {
    await records.put(decision(hash, 'C-OPEN', '2026-12-01T10:00:00.000Z'));
    await records.put(decision(hash, 'C-CLOSED', '2026-11-01T10:00:00.000Z'));
  }
});
afterAll(async () => {
  await registry?.stop();
});

describe('DynamoDbRegistryLookup.resolve for a reconciler batch (decisions under the campaigns in force)', () => {
  it('reads thirty people in BatchGetItem requests of 100 keys, no Query per person', async () => {
    registry.calls.length = 0;

    await lookup.resolve(hashes, { decisionsIn: ['C-OPEN', '-'] });

    // 30 people x (PERSON, IDENTITY, EXCLUSIONS, two campaigns' decisions) = 150 keys.
    expect(registry.calls.map((c) => c.command)).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('finds the same person, identity and household as the whole partition, and only those decisions', async () => {
    const byKeys = await lookup.resolve(hashes, { decisionsIn: ['C-OPEN', '-'] });
    const whole = await lookup.resolve(hashes);

    for (const hash of hashes) {
      const { decisionsOfRecord: some, ...rest } = byKeys.get(hash) ?? { exclusions: [] };
      const { decisionsOfRecord: all, ...wholeRest } = whole.get(hash) ?? { exclusions: [] };
      expect(rest).toEqual(wholeRest);
      expect(rest.household?.householdId).toMatch(/^HH-KEYS-/);
      expect(some?.map((d) => d.campaignId)).toEqual(['C-OPEN']);
      expect(all?.map((d) => d.campaignId).sort()).toEqual(['C-CLOSED', 'C-OPEN']);
    }
  });
});
