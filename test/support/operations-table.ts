import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, loadRuntimeConfig, tables } from '@madad/adapters';
import { createDynamoDbClient } from '../../packages/local/src/aws-clients.js';
import { ensureTable } from '../../packages/local/src/bootstrap.js';
import { startDynamoDbEmulator } from '../../packages/local/src/emulators.js';
import { stubFunctionEnv } from './env.js';

export interface OperationsTable {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  /** The test's own folder (the emulator's data lives under it), removed by `stop`. */
  readonly dir: string;
  stop(): Promise<void>;
}

/** The operations table alone on the embedded DynamoDB (dynalite), for adapter tests. */
export async function startOperationsTable(prefix: string): Promise<OperationsTable> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const emulator = await startDynamoDbEmulator({ dataDir: join(dir, 'data') });
  const admin = createDynamoDbClient({ endpoint: emulator.endpoint, region: 'us-east-1' });
  const env: Record<string, string> = { MADAD_DYNAMODB_ENDPOINT: emulator.endpoint };
  stubFunctionEnv((name, value) => {
    env[name] = value;
  });
  const config = loadRuntimeConfig(env);
  const table = config.tables.operations;
  await ensureTable(admin, tables.operations, table);
  // dynalite turns a new table ACTIVE on a timer: a loaded machine may serve the first write before it.
  await waitUntilTableExists({ client: admin, maxWaitTime: 30, minDelay: 1 }, { TableName: table });
  const doc = createDocumentClient(config);
  return {
    doc,
    table,
    dir,
    async stop() {
      doc.destroy();
      admin.destroy();
      await emulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
