import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportKindName } from '@madad/adapters';
import { householdFromSnapshot, importFile, registryKeys } from '@madad/adapters';
import { hashCnic } from '@madad/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flag, household, type RegistryTable, startRegistryTable } from '../adapters/registry-table.js';
import { TEST_SECRETS } from '../support/env.js';

const pepper = TEST_SECRETS.pepper;
const hash = (cnic: string) => hashCnic(pepper, cnic);

let registry: RegistryTable;
let dir: string;
let files = 0;
async function run(
  kind: ImportKindName,
  lines: readonly object[],
  options: { checkRegistry?: boolean } = {},
) {
  const file = join(dir, `${kind}-${++files}.ndjson`);
  await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
  const target = { doc: registry.doc, table: registry.table, pepper };
  return importFile({ kind, file, target, concurrency: 2, ...options });
}
const person = async (cnic: string) =>
  (
    await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.person(hash(cnic)) }),
    )
  ).Item;
/** Each member's flags as every member's own PERSON item holds them (the snapshot alone). */
async function flagsSeenBy(cnics: readonly string[]) {
  return Promise.all(
    cnics.map(async (cnic) => {
      const item = await person(cnic);
      return item ? householdFromSnapshot(item, () => [])?.members.map((m) => m.exclusions) : undefined;
    }),
  );
}

beforeAll(async () => {
  registry = await startRegistryTable();
  dir = await mkdtemp(join(tmpdir(), 'madad-import-view-'));
});
afterAll(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  registry.calls.length = 0;
});

describe('importing registry and exclusion files, in either order, into the decision view', () => {
  it('folds flags imported before the registry into every member (the default, checked import)', async () => {
    const cnics = ['4410160000011', '4410160000012', '4410160000013'];
    await run('exclusions', [flag(cnics[1] ?? '', 'GOVT_EMPLOYEE'), flag(cnics[2] ?? '', 'INTL_TRAVEL')]);

    const summary = await run('registry', [household('HH-IMP-1', cnics)]);

    expect(summary).toMatchObject({ imported: 1, rejected: 0 });
    expect(await flagsSeenBy(cnics)).toEqual(Array(3).fill([[], ['GOVT_EMPLOYEE'], ['INTL_TRAVEL']]));
  });

  it('folds flags imported after a bulk registry load into every member', async () => {
    const cnics = ['4410160000021', '4410160000022', '4410160000023', '4410160000024'];
    await run('registry', [household('HH-IMP-2', cnics)], { checkRegistry: false });
    expect(await flagsSeenBy(cnics)).toEqual(Array(4).fill([[], [], [], []]));

    await run('exclusions', [
      flag(cnics[0] ?? '', 'VEHICLE_OWNER'),
      flag(cnics[3] ?? '', 'HIGH_PHONE_BILL'),
      flag(cnics[3] ?? '', 'EXECUTIVE_ID'),
    ]);

    expect(await flagsSeenBy(cnics)).toEqual(
      Array(4).fill([['VEHICLE_OWNER'], [], [], ['EXECUTIVE_ID', 'HIGH_PHONE_BILL']]),
    );
  });

  it('leaves the view as it is when either file is imported again', async () => {
    const cnics = ['4410160000031', '4410160000032'];
    const flags = [flag(cnics[1] ?? '', 'GOVT_EMPLOYEE')];
    await run('registry', [household('HH-IMP-3', cnics)]);
    await run('exclusions', flags);
    const before = await Promise.all(cnics.map(person));
    registry.calls.length = 0;

    await run('exclusions', flags);
    await run('registry', [household('HH-IMP-3', cnics)]);

    expect(await Promise.all(cnics.map(person))).toEqual(before);
    // The checked re-import rewrites the household item only: its PERSON items are already as they would be.
    const written = registry.calls
      .filter((c) => c.command === 'BatchWriteItemCommand')
      .flatMap((c) =>
        Object.values(c.input.RequestItems as Record<string, { PutRequest: { Item: object } }[]>),
      )
      .flat()
      .map((request) => (request.PutRequest.Item as { sk: string }).sk);
    expect(written).toEqual(['HH']);
  });

  it('keeps an exclusion import of people outside the registry to their EXCLUSIONS item', async () => {
    const summary = await run('exclusions', [flag('4410160000041', 'GOVT_EMPLOYEE')]);

    expect(summary).toMatchObject({ imported: 1, rejected: 0 });
    expect(await person('4410160000041')).toBeUndefined();
    expect(registry.calls.filter((c) => c.command === 'UpdateItemCommand')).toHaveLength(1);
  });
});
