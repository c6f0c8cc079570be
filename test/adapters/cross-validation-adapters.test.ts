import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbAuthorityDirectory,
  DynamoDbHouseholdChanges,
  DynamoDbPayeeDirectory,
  DynamoDbRectificationStore,
  DynamoDbRosterSource,
  householdFromSnapshot,
  importFile,
  registryKeys,
} from '@madad/adapters';
import {
  ConflictError,
  choosePayee,
  confirmRectification,
  crossValidateRoster,
  type HouseholdImport,
  hashCnic,
  type IdentityImport,
  normalizeCnic,
  proposeRectification,
  type Rectification,
  type RectificationAuditInput,
  type RectificationDeps,
  rectificationIdOf,
} from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlantedError } from '../../packages/cli/src/generate/plant-errors.js';
import {
  GROUND_TRUTH_FILE,
  POPULATION_FILES,
  writePopulation,
} from '../../packages/cli/src/generate/write-population.js';
import { TEST_SECRETS } from '../support/env.js';
import { type RegistryTable, startRegistryTable } from './registry-table.js';

const pepper = TEST_SECRETS.pepper;
const hashOf = (raw: string) => {
  const n = normalizeCnic(raw);
  if (!n.ok) throw new Error(raw);
  return hashCnic(pepper, n.cnic);
};
const HEAD = '3520211111111';
const SPOUSE = '3520211111113';
/** The survey recorded the spouse as a man; the ID authority knows her as a woman. */
const CRAFTED: HouseholdImport = {
  householdId: 'HH-XV-1',
  province: 'Punjab',
  district: 'Lahore',
  tehsil: 'Lahore City',
  pmtScore: 20,
  surveyedAt: '2022-01-10',
  programmes: ['KAFAALAT'],
  phones: ['03001112233'],
  source: 'desk',
  members: [
    {
      cnic: HEAD,
      name: 'Aslam Khan',
      gender: 'male',
      birthYear: 1980,
      relation: 'head',
      maritalStatus: 'married',
      disabled: false,
    },
    {
      cnic: SPOUSE,
      name: 'Shabana Bibi',
      gender: 'male',
      birthYear: 1984,
      relation: 'spouse',
      maritalStatus: 'married',
      disabled: false,
    },
  ],
};
const CRAFTED_IDS: IdentityImport[] = [
  { cnic: HEAD, name: 'Aslam Khan', gender: 'male', birthYear: 1980, status: 'ALIVE', simPhones: [] },
  { cnic: SPOUSE, name: 'شبانہ بی بی', gender: 'female', birthYear: 1984, status: 'ALIVE', simPhones: [] },
];

let registry: RegistryTable;
let dir: string;
let truth: PlantedError[];
const audit: RectificationAuditInput[] = [];
let flow: RectificationDeps;

beforeAll(async () => {
  registry = await startRegistryTable();
  dir = await mkdtemp(join(tmpdir(), 'madad-xv-'));
  await writePopulation({ households: 200, seed: 'xv', outDir: dir, errors: 0.05 });
  truth = (await readFile(join(dir, GROUND_TRUTH_FILE), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as PlantedError);
  await writeFile(join(dir, 'crafted.ndjson'), `${JSON.stringify(CRAFTED)}\n`);
  await writeFile(
    join(dir, 'crafted-ids.ndjson'),
    `${CRAFTED_IDS.map((i) => JSON.stringify(i)).join('\n')}\n`,
  );
  const target = { doc: registry.doc, table: registry.table, pepper };
  for (const [kind, file] of [
    ['registry', POPULATION_FILES.households],
    ['identity', POPULATION_FILES.identities],
    ['registry', 'crafted.ndjson'],
    ['identity', 'crafted-ids.ndjson'],
  ] as const)
    await importFile({ kind, file: join(dir, file), target, concurrency: 4, checkRegistry: false });
  const changes = new DynamoDbHouseholdChanges(registry.doc, registry.table);
  flow = {
    rectifications: new DynamoDbRectificationStore(registry.doc, registry.table),
    households: changes,
    audit: {
      append: async (input) => {
        if (!audit.some((e) => e.actionId === input.actionId)) audit.push(input);
      },
    },
    clock: { now: () => new Date() },
  };
}, 180_000);
afterAll(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

const crossValidate = (runId: string) =>
  crossValidateRoster(
    {
      roster: new DynamoDbRosterSource(registry.doc, registry.table, 100),
      authority: new DynamoDbAuthorityDirectory(registry.doc, registry.table),
      rectifications: flow.rectifications,
      clock: flow.clock,
    },
    { runId },
  );

describe('cross-validation on the embedded DynamoDB', () => {
  it('opens one rectification per planted error (and per deceased still listed), and only those', async () => {
    const report = await crossValidate('CV-1');
    const generated = (await readFile(join(dir, POPULATION_FILES.households), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as HouseholdImport);
    const districtOf = new Map([...generated, CRAFTED].map((h) => [h.householdId, h.district]));
    const queues = [...new Set(districtOf.values())];

    const open: Rectification[] = [];
    for (const d of queues) open.push(...(await flow.rectifications.list('OPEN', d, 100)));

    const expected = [
      ...truth.map((t) => `${t.householdId} ${hashOf(t.cnic)} ${t.field} ${t.survey} ${t.authority}`),
      `HH-XV-1 ${hashOf(SPOUSE)} gender male female`,
    ].sort();
    expect(
      open.map((r) => `${r.householdId} ${r.cnicHash} ${r.field} ${r.survey} ${r.authority}`).sort(),
    ).toEqual(expected);
    expect(report).toMatchObject({ households: 201, mismatches: expected.length, opened: expected.length });
  });

  it('opens nothing twice on a second run', async () => {
    const again = await crossValidate('CV-2');

    expect(again.opened).toBe(0);
    expect(again.mismatches).toBe(truth.length + 1);
  });

  it('gives one outcome when two officers confirm at once (conditional writes on the real table)', async () => {
    const planted = truth.find((t) => t.planted && t.field === 'birthYear');
    if (!planted) throw new Error('the generated registry has no planted birth year');
    const ids = {
      householdId: planted.householdId,
      rectificationId: rectificationIdOf(hashOf(planted.cnic), 'birthYear'),
    };
    await proposeRectification(flow, { user: 'pat', role: 'program-officer' }, ids);

    const results = await Promise.allSettled([
      confirmRectification(flow, { user: 'paul', role: 'program-officer' }, ids),
      confirmRectification(flow, { user: 'quinn', role: 'program-officer' }, ids),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(
      1,
    );
    const state = await flow.households.read(planted.householdId);
    const member = state?.household.members.find((m) => m.cnicHash === hashOf(planted.cnic));
    expect(member?.birthYear).toBe(planted.authority);
    expect(state?.revision).toBe(1);
    expect(
      audit.filter((e) => e.action === 'rectification.accept' && e.subject.includes(ids.rectificationId)),
    ).toHaveLength(1);
  });

  it('corrects the gender once a second officer confirms, and the payee becomes the woman spouse', async () => {
    const ids = { householdId: 'HH-XV-1', rectificationId: rectificationIdOf(hashOf(SPOUSE), 'gender') };
    const payees = new DynamoDbPayeeDirectory(registry.doc, registry.table);
    const payee = async () => {
      const choice = choosePayee((await payees.members(['HH-XV-1'])).get('HH-XV-1'));
      return 'payee' in choice ? choice.payee.cnicHash : undefined;
    };
    expect(await payee()).toBe(hashOf(HEAD));

    await proposeRectification(flow, { user: 'pat', role: 'program-officer' }, ids);
    await expect(confirmRectification(flow, { user: 'pat', role: 'program-officer' }, ids)).rejects.toThrow(
      ConflictError,
    );
    const accepted = await confirmRectification(flow, { user: 'paul', role: 'program-officer' }, ids);

    expect(accepted.status).toBe('ACCEPTED');
    expect(await payee()).toBe(hashOf(SPOUSE));
    const person = await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.person(hashOf(HEAD)) }),
    );
    const view = person.Item ? householdFromSnapshot(person.Item, () => []) : undefined;
    expect(view?.members.map((m) => m.gender)).toEqual(['male', 'female']);
    expect(await flow.rectifications.list('ACCEPTED', 'lahore', 10)).toMatchObject([
      { rectificationId: ids.rectificationId, proposedBy: 'pat', decidedBy: 'paul' },
    ]);
    expect(
      audit.filter((e) => e.subject.includes(ids.rectificationId)).map((e) => [e.action, e.actor]),
    ).toEqual([
      ['rectification.propose', 'pat'],
      ['rectification.accept', 'paul'],
    ]);
  });
});
