import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  DynamoDbCapLedger,
  DynamoDbEnrollmentStore,
  loadRuntimeConfig,
  tables,
} from '@madad/adapters';
import { type Enrollment, enrollPageWithinCaps, pageDigestOf } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../packages/local/src/aws-clients.js';
import { ensureTable } from '../../packages/local/src/bootstrap.js';
import { type RunningEmulator, startDynamoDbEmulator } from '../../packages/local/src/emulators.js';
import { stubFunctionEnv } from '../support/env.js';

const LIMITS = { maxHouseholds: 10, budget: 100_000, revision: 0 };

function enrollment(campaignId: string, i: number, amount = 6000): Enrollment {
  return {
    campaignId,
    householdId: `HH-${i}`,
    messageId: `vertical:${campaignId}:HH-${i}`,
    reference: `R-${i}`,
    cnicHash: `payee-${i}`,
    category: 'TOP_UP',
    amount,
    district: 'Dadu',
    tehsil: 'Town',
    ruleSetVersion: `${campaignId}/v1`,
    channel: 'vertical',
    enrolledAt: '2026-08-20T10:00:00Z',
  };
}

describe('page holds on the embedded DynamoDB', () => {
  let emulator: RunningEmulator;
  let doc: DynamoDBDocumentClient;
  let table: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'madad-page-holds-'));
    emulator = await startDynamoDbEmulator({ dataDir: join(dir, 'data') });
    const admin = createDynamoDbClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
    const env: Record<string, string> = { MADAD_DYNAMODB_ENDPOINT: emulator.endpoint };
    stubFunctionEnv((name, value) => {
      env[name] = value;
    });
    const config = loadRuntimeConfig(env);
    table = config.tables.operations;
    await ensureTable(admin, tables.operations, table);
    await waitUntilTableExists({ client: admin, maxWaitTime: 30, minDelay: 1 }, { TableName: table });
    doc = createDocumentClient(config);
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  it('holds a page once, reads the hold back and gives its unused part back once', async () => {
    // Arrange
    const caps = new DynamoDbCapLedger(doc, table);
    const hold = { households: 5, amount: 30_000, digest: pageDigestOf(['a', 'b']) };

    // Act
    const first = await caps.reservePage('C-HOLD', 0, 'page#1', hold, LIMITS);
    const again = await caps.reservePage('C-HOLD', 0, 'page#1', hold, LIMITS);
    const [held] = await caps.read('C-HOLD', 1);
    await caps.settlePage('C-HOLD', 0, 'page#1', { households: 2, amount: 12_000 });
    await caps.settlePage('C-HOLD', 0, 'page#1', { households: 2, amount: 12_000 });
    const [settled] = await caps.read('C-HOLD', 1);

    // Assert
    expect([first, again]).toEqual([true, false]);
    expect(held?.holds).toEqual({ 'page#1': hold });
    expect(settled).toMatchObject({ remainingHouseholds: 7, remainingBudget: 82_000, households: 3 });
    expect(settled?.committed).toBe(18_000);
    expect(settled?.holds).toBeUndefined();
  });

  it('never gives pages reserving at once more than the shard holds', async () => {
    const caps = new DynamoDbCapLedger(doc, table);

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        caps.reservePage('C-RACE', 0, `page#${i}`, { households: 3, amount: 3, digest: 'd' }, LIMITS),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(3);
    const [shard] = await caps.read('C-RACE', 1);
    expect(shard).toMatchObject({ remainingHouseholds: 1, households: 9 });
  });

  it('enrolls pages at once exactly up to the household maximum through the enrollment store', async () => {
    // Arrange: 6 pages of 5 households against a maximum of 12 on two shards.
    const store = new DynamoDbEnrollmentStore(doc, table);
    const limits = { campaignId: 'C-PAGES', maxHouseholds: 12, budgetCap: 1e9, capShards: 2 };
    const pages = Array.from({ length: 6 }, (_, p) =>
      Array.from({ length: 5 }, (_, i) => enrollment('C-PAGES', p * 5 + i)),
    );

    // Act
    const results = await Promise.all(
      pages.map((page, p) => enrollPageWithinCaps(store.pageDeps(4), page, limits, `page#${p}`)),
    );

    // Assert
    const outcomes = results.flatMap((r) => [...r.values()]);
    const enrolled = outcomes.filter((r) => r.created && !r.waitlisted);
    expect(outcomes).toHaveLength(30);
    expect(enrolled).toHaveLength(12);
    const shards = await store.pageDeps(1).caps.read('C-PAGES', 2);
    expect(shards.reduce((n, s) => n + (s?.households ?? 0), 0)).toBe(12);
    expect(shards.every((s) => s?.holds === undefined)).toBe(true);
  });
});
