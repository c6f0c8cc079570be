import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  DynamoDbImportJobs,
  type ImportSummaryDocument,
  type ImportWork,
  importChunk,
  loadRuntimeConfig,
  type ParallelImportDeps,
  registryKeys,
  rejectsKey,
  S3ObjectStore,
  startImport,
  summaryKey,
  tables,
  uploadAndStartImport,
} from '@madad/adapters';
import { type HouseholdImport, hashCnic, type IdentityImport } from '@madad/core';
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
let files: S3ObjectStore;
let queued: ImportWork[];
let deps: ParallelImportDeps;
let households: HouseholdImport[];
let identities: IdentityImport[];

const ndjson = (records: readonly unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const readLines = async <T>(path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
const summaryOf = async (importId: string) =>
  JSON.parse((await files.readText(summaryKey(importId))) ?? 'null') as ImportSummaryDocument | null;
const personOf = async (cnic: string) =>
  (
    await doc.send(
      new GetCommand({ TableName: registryTable, Key: registryKeys.person(hashCnic(pepper, cnic)) }),
    )
  ).Item;

/** Runs the queued work items like the workers do, in the given order, and empties the queue. */
async function drain(order: (items: ImportWork[]) => ImportWork[] = (items) => items) {
  const items = order(queued.splice(0));
  const results = [];
  for (const work of items) results.push(await importChunk(deps, work));
  return results;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madad-parallel-import-'));
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
  await ensureTable(client, tables.registry, config.tables.registry);
  await ensureTable(client, tables.operations, config.tables.operations);
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
    jobs: new DynamoDbImportJobs(doc, config.tables.operations),
    work: { sendAll: async (items) => void queued.push(...items) },
    target: { doc, table: registryTable, pepper },
    now: () => new Date('2026-12-07T12:00:00Z'),
    // Small chunks, so a small file makes many.
    chunkBytes: 4 * 1024,
  };
  await writePopulation({ households: 60, seed: 'parallel-import', outDir: join(dir, 'population') });
  households = await readLines(join(dir, 'population', POPULATION_FILES.households));
  identities = await readLines(join(dir, 'population', POPULATION_FILES.identities));
}, 120_000);

afterAll(async () => {
  doc?.destroy();
  client?.destroy();
  await Promise.all((emulators ?? []).map((e) => e.stop()));
  await rm(dir, { recursive: true, force: true });
});

describe('the parallel import of a file uploaded to the bucket', () => {
  it('splits it into chunks of whole lines, imports every good line and puts each bad one in the reject file with its line number', async () => {
    const good = households.slice(0, 40);
    const lines = [
      ...good.slice(0, 20).map((h) => JSON.stringify(h)),
      '{"householdId": "HH-BROKEN"',
      '',
      ...good.slice(20).map((h) => JSON.stringify(h)),
      'not json at all',
    ];
    await files.writeText('uploads/registry/first.ndjson', `${lines.join('\n')}\n`);

    const job = await startImport(deps, 'uploads/registry/first.ndjson');
    const chunks = queued.length;
    await drain((items) => [...items].reverse());

    expect(chunks).toBeGreaterThan(3);
    expect(job.chunks).toBe(chunks);
    const summary = await summaryOf(job.importId);
    expect(summary).toMatchObject({
      kind: 'registry',
      chunks,
      lines: 43,
      imported: 40,
      rejected: 2,
      blank: 1,
    });
    const rejects = ((await files.readText(rejectsKey(job.importId))) ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [21, 'INVALID_JSON'],
      [43, 'INVALID_JSON'],
    ]);
    expect(rejects[0].input).toBe('{"householdId": "HH-BROKEN"');
    const member = good[25]?.members[0];
    expect((await personOf(member?.cnic ?? ''))?.householdId).toBe(good[25]?.householdId);
  }, 60_000);

  it('counts a redelivered chunk once: it writes the same items again and the totals do not move', async () => {
    await files.writeText('uploads/identity/ids.ndjson', ndjson(identities.slice(0, 120)));
    const job = await startImport(deps, 'uploads/identity/ids.ndjson');
    const items = [...queued];
    await drain();
    const first = await summaryOf(job.importId);

    queued.push(items[1] as ImportWork, items[0] as ImportWork);
    const again = await drain();

    expect(first).toMatchObject({ lines: 120, imported: 120, rejected: 0 });
    expect(again.map((r) => r.counted)).toEqual([false, false]);
    expect(await deps.jobs.get(job.importId)).toMatchObject({
      lines: 120,
      imported: 120,
      chunksDone: items.length,
    });
    expect(await summaryOf(job.importId)).toEqual(first);
  }, 60_000);

  it('starts an upload once: a second start (the event redelivered, or an explicit start) queues nothing', async () => {
    await files.writeText('uploads/identity/twice.ndjson', ndjson(identities.slice(120, 140)));
    const first = await startImport(deps, 'uploads/identity/twice.ndjson');
    const queuedFirst = queued.length;

    const second = await startImport(deps, 'uploads/identity/twice.ndjson');

    expect(second.importId).toBe(first.importId);
    expect(queued).toHaveLength(queuedFirst);
    await drain();
  });

  it('rejects within a chunk a household repeated there (its members come earlier, as in the single-process import), and across chunks a member already indexed to a household that still lists them', async () => {
    const [a, b] = [households[45] as HouseholdImport, households[46] as HouseholdImport];
    const stolen = { ...b, householdId: 'HH-COPY-OF-A', members: [...b.members, a.members[0]] };
    // One chunk: a, then a again; a second upload later claims a's first member for another household.
    await files.writeText('uploads/registry/dup.ndjson', ndjson([a, a]));
    await files.writeText('uploads/registry/later.ndjson', ndjson([stolen]));

    const dup = await startImport(deps, 'uploads/registry/dup.ndjson');
    await drain();
    const later = await startImport(deps, 'uploads/registry/later.ndjson');
    await drain();

    expect(await summaryOf(dup.importId)).toMatchObject({
      imported: 1,
      rejected: 1,
      rejectedByReason: { DUPLICATE_MEMBER: 1 },
    });
    expect(await summaryOf(later.importId)).toMatchObject({
      imported: 0,
      rejected: 1,
      rejectedByReason: { DUPLICATE_MEMBER: 1 },
    });
    expect((await personOf(a.members[0]?.cnic ?? ''))?.householdId).toBe(a.householdId);
  }, 60_000);

  it('decodes every chunk of a CSV file with the header line (columns in any order, codes in any case), which is line 1 of the reject file', async () => {
    const csvDeps: ParallelImportDeps = { ...deps, chunkBytes: 64 };
    const people = identities.slice(140, 150);
    const rows = people.map((p) =>
      [
        p.status.toLowerCase(),
        p.birthYear,
        p.gender.toUpperCase(),
        `"${p.name}"`,
        p.cnic,
        p.simPhones.join(';'),
      ].join(','),
    );
    rows.splice(4, 0, 'alive,1990');
    await files.writeText(
      'uploads/identity/ids.csv',
      `\uFEFFCNIC Status,Year of Birth,Sex,Full Name,CNIC No,SIMs\r\n${rows.join('\r\n')}\r\n`,
    );

    const job = await startImport(csvDeps, 'uploads/identity/ids.csv');
    const chunks = queued.length;
    for (const work of queued.splice(0)) await importChunk(csvDeps, work);

    expect(chunks).toBeGreaterThan(2);
    expect(await summaryOf(job.importId)).toMatchObject({
      format: 'csv',
      lines: 11,
      imported: 10,
      rejected: 1,
    });
    const reject = JSON.parse(((await files.readText(rejectsKey(job.importId))) ?? '').trim());
    // The header is line 1, so the fifth data row is line 6 of the file.
    expect(reject).toMatchObject({ line: 6, reason: 'INVALID_CSV', input: 'alive,1990' });
    for (const person of [people[0], people[9]]) {
      const stored = await doc.send(
        new GetCommand({
          TableName: registryTable,
          Key: registryKeys.identity(hashCnic(pepper, person?.cnic ?? '')),
        }),
      );
      expect(stored.Item).toMatchObject({
        birthYear: person?.birthYear,
        status: person?.status,
        gender: person?.gender,
      });
    }
  }, 60_000);

  it('keeps a registry CSV household (a row per member) in one chunk, so every member is imported with it', async () => {
    const header =
      'HH_ID,Province,District,Tehsil,PMT_Score,Survey_Date,Programme,Mobile,CNIC_No,Member_Name,Sex,Year_of_Birth,Relation_to_Head,Marital_Status,Disability';
    const chosen = households.slice(50, 60).filter((h) => h.members.length > 1);
    const rows = chosen.flatMap((h) =>
      h.members.map((m) =>
        [
          h.householdId,
          h.province,
          h.district,
          h.tehsil,
          h.pmtScore,
          h.surveyedAt,
          h.programmes.join(';'),
          h.phones.join(';'),
          m.cnic,
          `"${m.name}"`,
          m.gender,
          m.birthYear,
          m.relation,
          m.maritalStatus,
          m.disabled ? 'Yes' : 'No',
        ].join(','),
      ),
    );
    await files.writeText('uploads/registry/roster.csv', `${header}\n${rows.join('\n')}\n`);
    // Chunks of 150 bytes, about one row: without the rule nearly every household would be cut.
    const rosterDeps: ParallelImportDeps = { ...deps, chunkBytes: 150 };

    const job = await startImport(rosterDeps, 'uploads/registry/roster.csv');
    const chunks = queued.length;
    for (const work of queued.splice(0)) await importChunk(rosterDeps, work);

    expect(chunks).toBe(chosen.length);
    expect(await summaryOf(job.importId)).toMatchObject({
      lines: rows.length,
      imported: chosen.length,
      rejected: 0,
    });
    for (const h of chosen) {
      const item = await doc.send(
        new GetCommand({ TableName: registryTable, Key: registryKeys.household(h.householdId) }),
      );
      expect(item.Item?.members, h.householdId).toHaveLength(h.members.length);
    }
  }, 60_000);
  it('decodes an upload with the format, codes and longest line the command was given, stored beside it', async () => {
    const people = identities.slice(150, 156);
    const rows = people.map((p) =>
      [p.cnic, `"${p.name}"`, p.gender === 'male' ? 1 : 2, p.birthYear, p.status, p.simPhones.join(';')].join(
        ',',
      ),
    );
    rows.push(`${people[0]?.cnic},"${'x'.repeat(400)}",1,1990,ALIVE,`);
    const file = join(dir, 'nadra-extract.txt');
    await writeFile(file, `CNIC,Name,Sex,Year of Birth,Status,SIMs\n${rows.join('\n')}\n`);

    const job = await uploadAndStartImport(deps, {
      kind: 'identity',
      file,
      decoding: { format: 'csv', codes: { gender: { '1': 'male', '2': 'female' } }, maxLineLength: 300 },
    });
    await drain();

    expect(await summaryOf(job.importId)).toMatchObject({
      format: 'csv',
      lines: 7,
      imported: 6,
      rejected: 1,
      rejectedByReason: { LINE_TOO_LONG: 1 },
    });
    const stored = await doc.send(
      new GetCommand({
        TableName: registryTable,
        Key: registryKeys.identity(hashCnic(pepper, people[1]?.cnic ?? '')),
      }),
    );
    expect(stored.Item?.gender).toBe(people[1]?.gender);
  }, 60_000);
});
