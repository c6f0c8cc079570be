import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  DynamoDbRegistryLookup,
  householdItems,
  identityItem,
  provisionalHouseholdId,
  registryKeys,
  writeExclusions,
} from '@madad/adapters';
import { type DecisionOfRecord, type ExclusionImport, type HouseholdImport, hashCnic } from '@madad/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../support/env.js';
import { type RegistryTable, startRegistryTable } from './registry-table.js';

const pepper = TEST_SECRETS.pepper;
const hash = (cnic: string) => hashCnic(pepper, cnic);

/** A household whose spouse (not the applicant) is a government employee. */
function household(id: string, cnics: readonly string[]): HouseholdImport {
  const relations = ['head', 'spouse', 'child', 'child', 'parent'] as const;
  return {
    householdId: id,
    province: 'Sindh',
    district: 'Tharparkar',
    tehsil: 'Mithi',
    pmtScore: 18.4,
    surveyedAt: '2022-08-30',
    programmes: ['BISP'],
    phones: ['0333-1234567'],
    source: 'survey',
    members: cnics.map((cnic, i) => ({
      cnic,
      name: `Person ${i}`,
      gender: Number(cnic.at(-1)) % 2 === 1 ? 'male' : 'female',
      birthYear: 1970 + i * 5,
      relation: relations[i] ?? 'other',
      maritalStatus: 'married',
      disabled: false,
    })),
  };
}
const flag = (cnic: string, filter: ExclusionImport['filter']): ExclusionImport => ({
  cnic,
  filter,
  source: 'feed',
  observedAt: '2024-01-02',
});

/** A decision of record as the reconciler writes it. */
const decisionOfRecord = (cnicHash: string, campaignId: string): DecisionOfRecord => ({
  campaignId,
  cnicHash,
  messageId: `m-${campaignId}`,
  reference: `R-${campaignId}`,
  from: '923331234567',
  channel: 'sms',
  lang: 'ur',
  decision: {
    status: 'ELIGIBLE',
    reasons: ['IN_REGISTRY'],
    ruleSetVersion: `${campaignId}/v1`,
    campaignId,
    householdId: 'HH-VIEW-1',
    category: 'TOP_UP',
    amount: 10_000,
    inputs: { pmtScore: 18.4, district: 'Tharparkar', memberFlags: null, identity: 'ALIVE' },
    decidedAt: '2024-01-03T00:00:00.000Z',
  },
});

let registry: RegistryTable;
let lookup: DynamoDbRegistryLookup;
const putHousehold = (h: HouseholdImport) =>
  batchPutAll(registry.doc, registry.table, householdItems(pepper, h));
/** Rewrites a household's PERSON items as they were before the decision view: flat, no snapshot. */
async function dropViews(h: HouseholdImport) {
  const people = householdItems(pepper, h).slice(1);
  const flat = people.map(({ pk, sk, type, cnicHash, householdId, relation, gender }) => ({
    pk,
    sk,
    type,
    cnicHash,
    householdId,
    relation,
    gender,
  }));
  await batchPutAll(registry.doc, registry.table, flat);
}

beforeAll(async () => {
  registry = await startRegistryTable();
  lookup = new DynamoDbRegistryLookup(registry.doc, registry.table);
});
afterAll(async () => {
  await registry?.stop();
});
beforeEach(() => {
  registry.calls.length = 0;
});

describe('DynamoDbRegistryLookup.resolve through the decision view', () => {
  const cnics = ['4410111111111', '4410111111112', '4410111111113', '4410111111114'];
  const [head = '', spouse = '', child = ''] = cnics;

  beforeAll(async () => {
    await putHousehold(household('HH-VIEW-1', cnics));
    await writeExclusions(registry.doc, registry.table, pepper, [flag(spouse, 'GOVT_EMPLOYEE')]);
  });

  it('reads one partition Query per CNIC, and nothing else', async () => {
    const matches = await lookup.resolve([hash(head), hash(child), hash('4410199999991')]);

    expect(registry.calls.map((c) => c.command)).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    expect(registry.calls.every((c) => c.input.ConsistentRead !== true)).toBe(true);
    expect(matches.get(hash(head))?.household?.members.map((m) => m.exclusions)).toEqual([
      [],
      ['GOVT_EMPLOYEE'],
      [],
      [],
    ]);
    expect(matches.get(hash('4410199999991'))).toEqual({ exclusions: [] });
  });

  it('costs at most half a read unit per CNIC, for a household of 15 with flags and decisions of record', async () => {
    const many = Array.from({ length: 15 }, (_, i) => `44101222222${String(i).padStart(2, '0')}`);
    const [first = ''] = many;
    await putHousehold(household('HH-VIEW-BIG', many));
    await batchPutAll(registry.doc, registry.table, [
      identityItem(pepper, {
        cnic: first,
        name: 'Person 0',
        gender: 'male',
        birthYear: 1970,
        status: 'ALIVE',
        simPhones: ['0333-1234567', '0300-7654321'],
      }),
      ...['FLOOD-1', 'FLOOD-2', 'QUAKE-3'].map((campaignId) => ({
        ...registryKeys.decisionOfRecord(hash(first), campaignId),
        type: 'DECISION',
        ...decisionOfRecord(hash(first), campaignId),
      })),
    ]);
    await writeExclusions(registry.doc, registry.table, pepper, [
      flag(first, 'VEHICLE_OWNER'),
      ...many.slice(5).map((cnic) => flag(cnic, 'INTL_TRAVEL')),
      ...many.slice(10).map((cnic) => flag(cnic, 'HIGH_PHONE_BILL')),
    ]);
    registry.calls.length = 0;

    const match = (await lookup.resolve([hash(first)])).get(hash(first));

    expect(match?.household?.members).toHaveLength(15);
    expect(match?.decisionsOfRecord).toHaveLength(3);
    expect(registry.calls).toHaveLength(1);
    expect(registry.calls[0]?.capacityUnits).toBe(0.5);
  });

  it('answers exactly as the household item and EXCLUSIONS items read the old way', async () => {
    const mates = ['4410155555551', '4410155555552', '4410155555553', '4410155555554'];
    const [applicant = '', flagged = ''] = mates;
    const h = household('HH-VIEW-2', mates);
    await putHousehold(h);
    await writeExclusions(registry.doc, registry.table, pepper, [
      flag(flagged, 'GOVT_EMPLOYEE'),
      flag(flagged, 'VEHICLE_OWNER'),
    ]);
    const viaView = await lookup.resolve([hash(applicant), hash(flagged)]);

    await dropViews(h);
    registry.calls.length = 0;
    const viaItems = await lookup.resolve([hash(applicant), hash(flagged)]);

    expect(registry.calls.map((c) => c.command)).toContain('BatchGetItemCommand');
    expect(viaItems).toEqual(viaView);
    expect(viaView.get(hash(applicant))).toEqual({
      exclusions: [],
      person: { cnicHash: hash(applicant), householdId: 'HH-VIEW-2', relation: 'head' },
      household: {
        householdId: 'HH-VIEW-2',
        province: 'Sindh',
        district: 'Tharparkar',
        tehsil: 'Mithi',
        pmtScore: 18.4,
        programmes: ['BISP'],
        phones: ['+923331234567'],
        status: 'active',
        members: mates.map((cnic, i) => ({
          cnicHash: hash(cnic),
          relation: ['head', 'spouse', 'child', 'child'][i],
          gender: Number(cnic.at(-1)) % 2 === 1 ? 'male' : 'female',
          exclusions: cnic === flagged ? ['GOVT_EMPLOYEE', 'VEHICLE_OWNER'] : [],
        })),
      },
    });
    expect(viaView.get(hash(flagged))?.exclusions).toEqual(['GOVT_EMPLOYEE', 'VEHICLE_OWNER']);
  });

  it('still resolves a person imported before the view (no snapshot), flags of every member included', async () => {
    const old = household('HH-OLD-1', ['4410133333331', '4410133333332']);
    await putHousehold(old);
    await dropViews(old);
    await writeExclusions(registry.doc, registry.table, pepper, [flag('4410133333332', 'EXECUTIVE_ID')]);

    const match = (await lookup.resolve([hash('4410133333331')])).get(hash('4410133333331'));

    expect(match?.household?.householdId).toBe('HH-OLD-1');
    expect(match?.household?.members.map((m) => m.exclusions)).toEqual([[], ['EXECUTIVE_ID']]);
    const person = await registry.doc.send(
      new GetCommand({ TableName: registry.table, Key: registryKeys.person(hash('4410133333331')) }),
    );
    expect(person.Item?.hh).toBeUndefined();
  });

  it("returns the person's decisions of record, one per campaign", async () => {
    const record = (campaignId: string) => decisionOfRecord(hash(head), campaignId);
    for (const campaignId of ['FLOOD-1', 'QUAKE-2']) {
      await registry.doc.send(
        new PutCommand({
          TableName: registry.table,
          Item: {
            ...registryKeys.decisionOfRecord(hash(head), campaignId),
            type: 'DECISION',
            ...record(campaignId),
          },
        }),
      );
    }
    registry.calls.length = 0;

    const match = (await lookup.resolve([hash(head)])).get(hash(head));

    expect(registry.calls).toHaveLength(1);
    expect(match?.decisionsOfRecord).toEqual([record('FLOOD-1'), record('QUAKE-2')]);
    expect(match?.household?.householdId).toBe('HH-VIEW-1');
  });
});

describe('DynamoDbRegistryLookup.addProvisional', () => {
  it('writes a provisional household whose view resolves in one Query', async () => {
    const cnic = '4410144444442';
    await lookup.addProvisional({
      cnic,
      cnicHash: hash(cnic),
      phone: '923001112233',
      registeredAt: '2024-02-01T10:00:00.000Z',
      district: 'Tharparkar',
      tehsil: 'Mithi',
    });
    registry.calls.length = 0;

    const match = (await lookup.resolve([hash(cnic)])).get(hash(cnic));

    expect(registry.calls).toHaveLength(1);
    expect(match?.household).toEqual({
      householdId: provisionalHouseholdId(hash(cnic)),
      province: '',
      district: 'Tharparkar',
      tehsil: 'Mithi',
      pmtScore: 100,
      programmes: [],
      phones: ['923001112233'],
      status: 'provisional',
      members: [{ cnicHash: hash(cnic), relation: 'head', gender: 'female', exclusions: [] }],
    });
  });
});
