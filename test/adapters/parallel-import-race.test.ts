import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  DynamoDbImportJobs,
  type ImportSummaryDocument,
  type ImportWork,
  importChunk,
  importFile,
  loadRuntimeConfig,
  type ParallelImportDeps,
  registryKeys,
  rejectsKey,
  S3ObjectStore,
  startImport,
  summaryKey,
  tables,
} from '@madad/adapters';
import { crashOnceAt, type HouseholdImport, hashCnic, InjectedCrashError, setCrashHook } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageClient } from '../../packages/adapters/src/storage/s3-client.js';
import { POPULATION_FILES, writePopulation } from '../../packages/cli/src/generate/write-population.js';
import { createDynamoDbClient } from '../../packages/local/src/aws-clients.js';
import { ensureTable } from '../../packages/local/src/bootstrap.js';
import {
  type RunningEmulator,
  startDynamoDbEmulator,
  startS3Emulator,
} from '../../packages/local/src/emulators.js';
import { bootstrapBuckets } from '../../packages/local/src/storage-bootstrap.js';
import { stubFunctionEnv, TEST_SECRETS } from '../support/env.js';

const pepper = TEST_SECRETS.pepper;
let dir: string;
let emulators: RunningEmulator[];
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let registryTable: string;
let operationsTable: string;
let files: S3ObjectStore;
let queued: ImportWork[];
let deps: ParallelImportDeps;
let population: HouseholdImport[];
let next = 0;

/** Households of the generated population not used by another test (their CNICs are fresh). */
const fresh = (n: number) => {
  const picked = population.slice(next, next + n);
  next += n;
  if (picked.length < n) throw new Error('the test population is too small');
  return picked;
};
const ndjson = (records: readonly unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const summaryOf = async (importId: string) =>
  JSON.parse((await files.readText(summaryKey(importId))) ?? 'null') as ImportSummaryDocument;
const rejectsOf = async (importId: string) =>
  ((await files.readText(rejectsKey(importId))) ?? '')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { line: number; reason: string; message: string });
const get = async (table: string, key: { pk: string; sk: string }) =>
  (await doc.send(new GetCommand({ TableName: table, Key: key }))).Item;
const ownerOf = async (table: string, cnic: string) =>
  (await get(table, registryKeys.person(hashCnic(pepper, cnic))))?.householdId;

type Order = 'in file order' | 'in reverse' | 'all at once';
/** Runs the queued chunks as workers would: one after another either way, or all concurrently. */
async function drain(order: Order) {
  const items = queued.splice(0);
  if (order === 'all at once') {
    await Promise.all(items.map((work) => importChunk(deps, work)));
    return;
  }
  for (const work of order === 'in reverse' ? items.reverse() : items) await importChunk(deps, work);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madad-parallel-race-'));
  const dynamodb = await startDynamoDbEmulator({ dataDir: join(dir, 'data') });
  const s3 = await startS3Emulator({ dataDir: join(dir, 'data') });
  emulators = [dynamodb, s3];
  client = createDynamoDbClient({ endpoint: dynamodb.endpoint, region: 'us-east-1' });
  const env: Record<string, string> = { MADAD_DYNAMODB_ENDPOINT: dynamodb.endpoint };
  stubFunctionEnv((name, value) => {
    env[name] = value;
  });
  const config = loadRuntimeConfig(env);
  registryTable = config.tables.registry;
  operationsTable = config.tables.operations;
  await ensureTable(client, tables.registry, registryTable);
  await ensureTable(client, tables.operations, operationsTable);
  doc = createDocumentClient(config);
  const buckets = await bootstrapBuckets({ endpoint: s3.endpoint, region: 'us-east-1' });
  files = new S3ObjectStore(
    createStorageClient({
      stage: 'local',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      bucket: buckets.names.files,
    }),
    buckets.names.files,
  );
  queued = [];
  deps = {
    files,
    jobs: new DynamoDbImportJobs(doc, operationsTable),
    work: { sendAll: async (items) => void queued.push(...items) },
    target: { doc, table: registryTable, pepper },
    now: () => new Date('2026-12-07T12:00:00Z'),
    // A line is several hundred bytes: each household is a chunk of its own.
    chunkBytes: 64,
  };
  await writePopulation({ households: 120, seed: 'parallel-race', outDir: join(dir, 'population') });
  population = (await readFile(join(dir, 'population', POPULATION_FILES.households), 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as HouseholdImport);
}, 120_000);

afterAll(async () => {
  doc?.destroy();
  client?.destroy();
  await Promise.all((emulators ?? []).map((e) => e.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the parallel import of a file that lists one person in two households', () => {
  const runs: Order[] = [
    'in file order',
    'in reverse',
    'all at once',
    'in reverse',
    'all at once',
    'all at once',
  ];

  it.each(runs.map((order, run) => ({ order, run })))(
    'gives the person to the household earlier in the file, and refuses the later one as DUPLICATE_MEMBER, with the chunks run $order (run $run)',
    async ({ order, run }) => {
      const [first, other, filler] = fresh(3) as [HouseholdImport, HouseholdImport, HouseholdImport];
      const shared = first.members[0]?.cnic ?? '';
      const later = {
        ...other,
        members: [...other.members, { ...(first.members[0] as HouseholdImport['members'][0]) }],
      };
      const key = `uploads/registry/race-${run}.ndjson`;
      await files.writeText(key, ndjson([first, filler, later]));

      const job = await startImport(deps, key);
      expect(queued).toHaveLength(3);
      await drain(order);

      expect(await summaryOf(job.importId)).toMatchObject({
        lines: 3,
        imported: 2,
        rejected: 1,
        rejectedByReason: { DUPLICATE_MEMBER: 1 },
      });
      expect(await rejectsOf(job.importId)).toMatchObject([
        {
          line: 3,
          reason: 'DUPLICATE_MEMBER',
          message: `members.${other.members.length}.cnic is a member of an earlier household in this file`,
        },
      ]);
      expect(await ownerOf(registryTable, shared)).toBe(first.householdId);
      expect(await get(registryTable, registryKeys.household(later.householdId))).toBeUndefined();
      // Nothing of the refused household stays indexed.
      for (const m of other.members) expect(await ownerOf(registryTable, m.cnic)).toBeUndefined();
      expect((await get(registryTable, registryKeys.household(first.householdId)))?.members).toHaveLength(
        first.members.length,
      );
    },
    60_000,
  );
});

describe('the parallel import of a file that lists one person in two households, stopped at any step', () => {
  it.each([
    'import-claims.after-claims',
    'import-resolve.after-refusal',
    'import-resolve.after-unindex',
    'import-resolve.after-decisions',
  ])(
    'converges when the work item that stopped at %s is delivered again',
    async (point) => {
      const [first, other, filler] = fresh(3) as [HouseholdImport, HouseholdImport, HouseholdImport];
      const later = {
        ...other,
        members: [...other.members, { ...(first.members[0] as HouseholdImport['members'][0]) }],
      };
      const key = `uploads/registry/crash-${point}.ndjson`;
      await files.writeText(key, ndjson([first, filler, later]));
      const job = await startImport(deps, key);
      setCrashHook(crashOnceAt(point));

      let crashes = 0;
      // A work item that fails comes back after the queue's visibility timeout (300 s).
      const afterVisibilityTimeout = { ...deps, now: () => new Date('2026-12-07T12:05:00Z') };
      try {
        // The later household first, so the earlier one contests it and the finisher evicts it.
        for (const work of queued.splice(0).reverse()) {
          for (;;) {
            try {
              await importChunk(crashes > 0 ? afterVisibilityTimeout : deps, work);
              break;
            } catch (error) {
              if (!(error instanceof InjectedCrashError)) throw error;
              crashes++;
            }
          }
        }
      } finally {
        setCrashHook(undefined);
      }

      expect(crashes).toBe(1);
      expect(await summaryOf(job.importId)).toMatchObject({ imported: 2, rejected: 1 });
      expect((await rejectsOf(job.importId)).map((r) => [r.line, r.reason])).toEqual([
        [3, 'DUPLICATE_MEMBER'],
      ]);
      expect(await ownerOf(registryTable, first.members[0]?.cnic ?? '')).toBe(first.householdId);
      expect(await get(registryTable, registryKeys.household(later.householdId))).toBeUndefined();
      for (const m of other.members) expect(await ownerOf(registryTable, m.cnic)).toBeUndefined();
    },
    60_000,
  );
});

describe('the single-process and the parallel import of the same file', () => {
  it('give the same rejects and store the same registry, whatever order the chunks run in', async () => {
    const [h1, h2, h3, h4, h5, h6] = fresh(6) as HouseholdImport[] as [
      HouseholdImport,
      HouseholdImport,
      HouseholdImport,
      HouseholdImport,
      HouseholdImport,
      HouseholdImport,
    ];
    const member = (h: HouseholdImport, i: number) => ({
      ...(h.members[i] as HouseholdImport['members'][0]),
    });
    const lines = [
      JSON.stringify(h1),
      // Refused: its last member is h1's first.
      JSON.stringify({ ...h2, members: [...h2.members, member(h1, 0)] }),
      // Kept: its last member was listed only by the refused household above.
      JSON.stringify({ ...h3, members: [...h3.members, member(h2, 0)] }),
      '{"householdId": "HH-CUT-SHORT"',
      JSON.stringify(h4),
      // Refused: it lists h4's second member.
      JSON.stringify({ ...h5, members: [member(h4, 1), ...h5.members] }),
      JSON.stringify(h6),
    ];
    const text = `${lines.join('\n')}\n`;
    const singleTable = `${registryTable}-single`;
    await ensureTable(client, tables.registry, singleTable);
    const parallelTable = `${registryTable}-parallel`;
    await ensureTable(client, tables.registry, parallelTable);
    const local = join(dir, 'same.ndjson');
    await writeFile(local, text);
    await files.writeText('uploads/registry/same.ndjson', text);

    const single = await importFile({
      kind: 'registry',
      file: local,
      target: { doc, table: singleTable, pepper },
    });
    const parallelDeps = { ...deps, target: { doc, table: parallelTable, pepper } };
    const job = await startImport(parallelDeps, 'uploads/registry/same.ndjson');
    for (const work of queued.splice(0).reverse()) await importChunk(parallelDeps, work);

    const singleRejects = (await readFile(`${local}.rejects.ndjson`, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { line: number; reason: string; message: string });
    const parallelRejects = await rejectsOf(job.importId);
    const summary = await summaryOf(job.importId);
    expect(singleRejects.map((r) => [r.line, r.reason, r.message])).toEqual([
      [
        2,
        'DUPLICATE_MEMBER',
        `members.${h2.members.length}.cnic is a member of an earlier household in this file`,
      ],
      [4, 'INVALID_JSON', expect.any(String)],
      [6, 'DUPLICATE_MEMBER', 'members.0.cnic is a member of an earlier household in this file'],
    ]);
    expect(parallelRejects.map((r) => [r.line, r.reason, r.message])).toEqual(
      singleRejects.map((r) => [r.line, r.reason, r.message]),
    );
    expect(summary).toMatchObject({ imported: single.imported, rejected: single.rejected });
    expect(await storedRegistry(parallelTable)).toEqual(await storedRegistry(singleTable));
  }, 120_000);
});

/** Every item of a registry table, without the parallel import's claim marks, in key order. */
async function storedRegistry(table: string) {
  const items = (await doc.send(new ScanCommand({ TableName: table }))).Items ?? [];
  return items
    .map(({ claim: _, ...item }) => item)
    .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}
