import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsumedCapacity, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, loadRuntimeConfig, tables } from '@madad/adapters';
import type { ExclusionImport, HouseholdImport } from '@madad/core';
import { createDynamoDbClient } from '../../packages/local/src/aws-clients.js';
import { ensureTable } from '../../packages/local/src/bootstrap.js';
import { type RunningEmulator, startDynamoDbEmulator } from '../../packages/local/src/emulators.js';
import { stubFunctionEnv } from '../support/env.js';

/** A DynamoDB call as the client sent it, with the capacity the emulator reported for it. */
export interface SentCommand {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly capacityUnits?: number;
}

export interface RegistryTable {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  /** Every call made through `doc` since the last `calls.length = 0`. */
  readonly calls: SentCommand[];
  stop(): Promise<void>;
}

/** The registry table on the embedded DynamoDB (dynalite), with every call of `doc` recorded. */
export async function startRegistryTable(): Promise<RegistryTable> {
  const dir = await mkdtemp(join(tmpdir(), 'madad-registry-view-'));
  const emulator: RunningEmulator = await startDynamoDbEmulator({ dataDir: join(dir, 'data') });
  const admin: DynamoDBClient = createDynamoDbClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
  const env: Record<string, string> = { MADAD_DYNAMODB_ENDPOINT: emulator.endpoint };
  stubFunctionEnv((name, value) => {
    env[name] = value;
  });
  const config = loadRuntimeConfig(env);
  const table = config.tables.registry;
  await ensureTable(admin, tables.registry, table);
  // dynalite turns a new table ACTIVE on a timer: a loaded machine may serve the first write before it.
  await waitUntilTableExists({ client: admin, maxWaitTime: 30, minDelay: 1 }, { TableName: table });
  const doc = createDocumentClient(config);
  const calls: SentCommand[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
      const result = await next({ ...args, input });
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      calls.push({
        command: context.commandName ?? '?',
        input,
        ...(consumed ? { capacityUnits: units } : {}),
      });
      return result;
    },
    { step: 'initialize', name: 'recordCalls' },
  );
  return {
    doc,
    table,
    calls,
    async stop() {
      doc.destroy();
      admin.destroy();
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A surveyed household of these CNICs, head first (the decision view tests' fixture). */
export function household(id: string, cnics: readonly string[]): HouseholdImport {
  return {
    householdId: id,
    province: 'Punjab',
    district: 'Rajanpur',
    tehsil: 'Jampur',
    pmtScore: 25.5,
    surveyedAt: '2022-09-12',
    programmes: [],
    phones: ['0300-7654321'],
    source: 'survey',
    members: cnics.map((cnic, i) => ({
      cnic,
      name: `Member ${i}`,
      gender: Number(cnic.at(-1)) % 2 === 1 ? 'male' : 'female',
      birthYear: 1960 + i * 8,
      relation: i === 0 ? 'head' : 'child',
      maritalStatus: 'single',
      disabled: false,
    })),
  };
}
/** An exclusion flag on a CNIC, as an exclusion feed reports it. */
export const flag = (cnic: string, filter: ExclusionImport['filter']): ExclusionImport => ({
  cnic,
  filter,
  source: 'feed',
  observedAt: '2024-01-02',
});
