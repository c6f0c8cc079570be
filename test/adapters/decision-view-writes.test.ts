import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  DynamoDbChangeRequestStore,
  DynamoDbHouseholdChanges,
  DynamoDbRegistryLookup,
  householdFromSnapshot,
  householdItems,
  identityItem,
  registryKeys,
  writeExclusions,
} from '@madad/adapters';
import { approveChangeRequest, type Change, hashCnic } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/env.js';
import { flag, household, type RegistryTable, startRegistryTable } from './registry-table.js';

const pepper = TEST_SECRETS.pepper;
const hash = (cnic: string) => hashCnic(pepper, cnic);

let registry: RegistryTable;
let changeRequests: DynamoDbChangeRequestStore;
let householdChanges: DynamoDbHouseholdChanges;
const person = async (cnic: string) =>
  (
    await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.person(hash(cnic)) }),
    )
  ).Item;
/** The household as each member's own PERSON item holds it (the snapshot alone). */
const viewsOf = async (cnics: readonly string[]) =>
  Promise.all(
    cnics.map(async (cnic) => {
      const item = await person(cnic);
      return item ? householdFromSnapshot(item, () => []) : undefined;
    }),
  );
let requests = 0;
/** A change filed by one officer and approved by another, through the maker-checker flow. */
async function approve(householdId: string, change: Change) {
  const requestId = `CR-${String(++requests).padStart(8, '0')}`;
  await changeRequests.create({
    requestId,
    householdId,
    change,
    status: 'PROPOSED',
    requestedAt: '2024-03-01T09:00:00.000Z',
    requestedBy: 'officer-1',
    proposedBy: 'officer-1',
  });
  await approveChangeRequest(
    {
      changeRequests,
      households: householdChanges,
      people: householdChanges,
      audit: { append: async () => undefined },
      pepper: async () => pepper,
      clock: { now: () => new Date('2024-03-02T09:00:00.000Z') },
    },
    { user: 'officer-2', role: 'program-officer' },
    { householdId, requestId, reason: 'verified' },
  );
}

beforeAll(async () => {
  registry = await startRegistryTable();
  changeRequests = new DynamoDbChangeRequestStore(registry.doc, registry.table);
  householdChanges = new DynamoDbHouseholdChanges(registry.doc, registry.table);
});
afterAll(async () => {
  await registry?.stop();
});

describe('staff-approved change requests', () => {
  const cnics = ['3520270000011', '3520270000012', '3520270000013'];

  beforeAll(async () => {
    await batchPutAll(registry.doc, registry.table, householdItems(pepper, household('HH-CR-1', cnics)));
    await writeExclusions(registry.doc, registry.table, pepper, [flag(cnics[2] ?? '', 'VEHICLE_OWNER')]);
    // A newborn is added only once the ID authority knows them (maker-checker, issue 13).
    await batchPutAll(registry.doc, registry.table, [
      identityItem(pepper, {
        cnic: '3520270000024',
        name: 'Newborn',
        gender: 'female',
        birthYear: 2024,
        status: 'ALIVE',
        simPhones: [],
      }),
    ]);
  });

  it('gives a newborn member a PERSON item and adds them to every member view, flags kept', async () => {
    const born = '3520270000024';

    await approve('HH-CR-1', {
      type: 'member-born',
      member: {
        cnic: born,
        name: 'Newborn',
        gender: 'female',
        birthYear: 2024,
        relation: 'child',
        maritalStatus: 'single',
        disabled: false,
      },
    });

    const views = await viewsOf([...cnics, born]);
    for (const view of views) {
      expect(view?.members.map((m) => [m.cnicHash, m.exclusions])).toEqual([
        [hash(cnics[0] ?? ''), []],
        [hash(cnics[1] ?? ''), []],
        [hash(cnics[2] ?? ''), ['VEHICLE_OWNER']],
        [hash(born), []],
      ]);
    }
    expect(await person(born)).toMatchObject({ householdId: 'HH-CR-1', relation: 'child', gender: 'female' });
  });

  it('keeps every member view in step with a new address, a new phone and a deceased member', async () => {
    await approve('HH-CR-1', { type: 'new-address', district: 'Dera Ghazi Khan', tehsil: 'Taunsa' });
    await approve('HH-CR-1', { type: 'new-phone', phone: '0345-1112223' });
    await approve('HH-CR-1', { type: 'member-deceased', cnic: cnics[1] ?? '' });

    const lookup = new DynamoDbRegistryLookup(registry.doc, registry.table);
    const viaView = (await lookup.resolve([hash(cnics[0] ?? '')])).get(hash(cnics[0] ?? ''));
    for (const view of await viewsOf(cnics)) {
      expect(view).toMatchObject({
        district: 'Dera Ghazi Khan',
        tehsil: 'Taunsa',
        phones: ['+923451112223', '+923007654321'],
      });
      expect(view).toEqual(viaView?.household);
    }
    // The household item, read the old way, tells the same.
    const { Item: stored } = await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.household('HH-CR-1') }),
    );
    expect(
      stored?.members.find((m: { cnicHash: string }) => m.cnicHash === hash(cnics[1] ?? '')),
    ).toMatchObject({
      deceased: true,
    });
    expect(viaView?.household?.members).toHaveLength(4);
  });

  it('upgrades a household imported before the view when a change is approved', async () => {
    const old = ['3520270000031', '3520270000032'];
    const [hhItem, ...people] = householdItems(pepper, household('HH-CR-OLD', old));
    await batchPutAll(registry.doc, registry.table, [
      ...(hhItem ? [hhItem] : []),
      ...people.map(({ hh: _hh, ...flat }) => flat),
    ]);
    await writeExclusions(registry.doc, registry.table, pepper, [flag(old[1] ?? '', 'GOVT_EMPLOYEE')]);
    expect((await person(old[0] ?? ''))?.hh).toBeUndefined();

    await approve('HH-CR-OLD', { type: 'new-phone', phone: '0311-2223334' });

    for (const view of await viewsOf(old))
      expect(view?.members.map((m) => m.exclusions)).toEqual([[], ['GOVT_EMPLOYEE']]);
  });
});

describe('exclusion imports into the decision view', () => {
  it('finds a member listed at another place in a PERSON item written in another order', async () => {
    const cnics = ['3520270000041', '3520270000042', '3520270000043'];
    const [hhItem, first, second, third] = householdItems(pepper, household('HH-EX-1', cnics));
    const snapshot = third?.hh as { m: string[] } | undefined;
    const reordered = { ...third, hh: { ...snapshot, m: [...(snapshot?.m ?? [])].reverse() } };
    await batchPutAll(
      registry.doc,
      registry.table,
      [hhItem, first, second].filter((item) => item !== undefined),
    );
    await registry.doc.send(new PutCommand({ TableName: registry.table, Item: reordered }));

    await writeExclusions(registry.doc, registry.table, pepper, [flag(cnics[0] ?? '', 'INTL_TRAVEL')]);

    const [view1, , view3] = await viewsOf(cnics);
    expect(view1?.members.map((m) => m.exclusions)).toEqual([['INTL_TRAVEL'], [], []]);
    expect(view3?.members.map((m) => m.exclusions)).toEqual([[], [], ['INTL_TRAVEL']]);
  });

  it('adds only to PERSON items of the flagged person’s household, never creating one', async () => {
    const cnics = ['3520270000051', '3520270000052'];
    await batchPutAll(registry.doc, registry.table, householdItems(pepper, household('HH-EX-2', cnics)));
    await writeExclusions(registry.doc, registry.table, pepper, [flag('3520270000069', 'EXECUTIVE_ID')]);

    expect(await person('3520270000069')).toBeUndefined();
    for (const view of await viewsOf(cnics)) expect(view?.members.map((m) => m.exclusions)).toEqual([[], []]);
  });
});
