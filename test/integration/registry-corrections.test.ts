import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRegistryLookup, householdItems, importFile, registryKeys } from '@madad/adapters';
import { type HouseholdImport, hashCnic } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { household, type RegistryTable, startRegistryTable } from '../adapters/registry-table.js';
import { TEST_SECRETS } from '../support/env.js';

/**
 * Issue 13, finding 10: "Re-importing a household without a member leaves that person indexed to it:
 * he can still enroll it, and cannot be imported into his new household." A registration is decided
 * on what the registry lookup resolves for the applicant's CNIC (their PERSON item and its household
 * view): resolving to the old household is what let him enroll it.
 */
const pepper = TEST_SECRETS.pepper;
const hash = (cnic: string) => hashCnic(pepper, cnic);

let registry: RegistryTable;
let dir: string;
let files = 0;

beforeAll(async () => {
  registry = await startRegistryTable();
  dir = await mkdtemp(join(tmpdir(), 'madad-corrections-'));
});
afterAll(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function importHouseholds(lines: readonly HouseholdImport[]) {
  const file = join(dir, `households-${++files}.ndjson`);
  await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const summary = await importFile({
    kind: 'registry',
    file,
    target: { doc: registry.doc, table: registry.table, pepper },
    concurrency: 2,
  });
  const rejects = (await readFile(summary.rejectsPath, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line !== '');
  return { summary, rejects };
}
const resolve = async (cnic: string) =>
  (await new DynamoDbRegistryLookup(registry.doc, registry.table).resolve([hash(cnic)])).get(hash(cnic));
const memberHashes = async (cnic: string) => (await resolve(cnic))?.household?.members.map((m) => m.cnicHash);

describe('finding 10: a re-import reconciles the CNIC index', () => {
  it('unindexes a member a later file drops: he no longer resolves to the old household, and a later file moves him', async () => {
    const [head, son, wife] = ['3520280000011', '3520280000013', '3520280000022'];
    await importHouseholds([household('HH-OLD-1', [head, son, wife])]);
    expect((await resolve(son))?.household?.householdId).toBe('HH-OLD-1');

    const dropped = await importHouseholds([household('HH-OLD-1', [head, wife])]);

    expect(dropped.rejects).toEqual([]);
    const afterDrop = await resolve(son);
    expect(afterDrop?.person).toBeUndefined();
    expect(afterDrop?.household).toBeUndefined();
    for (const member of [head, wife]) expect(await memberHashes(member)).toEqual([hash(head), hash(wife)]);

    const moved = await importHouseholds([household('HH-NEW-1', [son, '3520280000032'])]);

    expect(moved.rejects).toEqual([]);
    expect(moved.summary.imported).toBe(1);
    expect((await resolve(son))?.household?.householdId).toBe('HH-NEW-1');
    expect(await memberHashes(head)).toEqual([hash(head), hash(wife)]);
  });

  it.each([
    ['the new household first', true],
    ['the old household first', false],
  ])('moves a member between households within one file, %s', async (_case, newFirst) => {
    const tag = newFirst ? '4' : '5';
    const [head, son, other] = [`35202${tag}0000011`, `35202${tag}0000013`, `35202${tag}0000031`];
    await importHouseholds([household(`HH-OLD-${tag}`, [head, son])]);

    const lines = [household(`HH-OLD-${tag}`, [head]), household(`HH-NEW-${tag}`, [other, son])];
    const { summary, rejects } = await importHouseholds(newFirst ? lines.reverse() : lines);

    expect(rejects).toEqual([]);
    expect(summary.imported).toBe(2);
    expect((await resolve(son))?.household?.householdId).toBe(`HH-NEW-${tag}`);
    expect(await memberHashes(head)).toEqual([hash(head)]);
  });

  it('still refuses a member whom another household lists', async () => {
    const [head, son] = ['3520260000011', '3520260000013'];
    await importHouseholds([household('HH-KEEP-6', [head, son])]);

    const { summary, rejects } = await importHouseholds([household('HH-TAKE-6', ['3520260000031', son])]);

    expect(summary.imported).toBe(0);
    expect(rejects.map((r) => JSON.parse(r).reason)).toEqual(['DUPLICATE_MEMBER']);
    expect((await resolve(son))?.household?.householdId).toBe('HH-KEEP-6');
  });

  it('repoints an index left behind by a household rewritten without the member', async () => {
    const [head, son] = ['3520270000011', '3520270000013'];
    await importHouseholds([household('HH-STALE-7', [head, son])]);
    // As an import stopped between its writes would leave it: the household without him, his index kept.
    const [rewritten] = householdItems(pepper, household('HH-STALE-7', [head]));
    await registry.doc.send(new PutCommand({ TableName: registry.table, Item: rewritten }));

    const { rejects } = await importHouseholds([household('HH-NEW-7', ['3520270000031', son])]);

    expect(rejects).toEqual([]);
    const { Item } = await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.person(hash(son)) }),
    );
    expect(Item?.householdId).toBe('HH-NEW-7');
  });
});
