import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  capShardKey,
  DynamoDbCampaignStore,
  householdItems,
  identityItem,
  issueStaffToken,
} from '@madad/adapters';
import { type Campaign, type HouseholdImport, operationsKeys, signWebhook } from '@madad/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildStack, startChildStack, stopChildStack } from '../support/child-stack.js';
import { waitFor } from '../support/local-stack.js';

const CAMPAIGN = 'C-CAPCRASH';
const CAP = 3;
const HOUSEHOLDS = 6;
const QUICK_REDELIVERY = { MADAD_VISIBILITY_TIMEOUT_SECONDS: '2' };
let dataDir = '';
let stack: ChildStack | undefined;
let client: DynamoDBClient | undefined;

afterAll(async () => {
  client?.destroy();
  if (stack) await stopChildStack(stack);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const cnicOf = (n: number) => `42201${String(n).padStart(7, '0')}2`;
const phoneOf = (n: number) => `+92301${String(2_000_000 + n)}`;

function household(n: number): HouseholdImport {
  return {
    householdId: `HH-CAPCRASH-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 10,
    surveyedAt: '2024-05-01',
    programmes: [],
    members: [
      {
        cnic: cnicOf(n),
        name: `Nasreen ${n}`,
        gender: 'female',
        birthYear: 1982,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
    phones: [phoneOf(n)],
    source: 'survey',
  };
}

function docFor(s: ChildStack): DynamoDBDocumentClient {
  client?.destroy();
  client = new DynamoDBClient({
    endpoint: s.env.MADAD_DYNAMODB_ENDPOINT,
    region: s.env.AWS_REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return DynamoDBDocumentClient.from(client);
}

async function seed(s: ChildStack, doc: DynamoDBDocumentClient) {
  const pepper = s.env.MADAD_CNIC_PEPPER ?? '';
  const campaign: Campaign = {
    campaignId: CAMPAIGN,
    name: 'Capped crash floods',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-03-01T00:00:00.000Z',
    closesAt: '2036-06-01T00:00:00.000Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: 6000, newBeneficiary: 12000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 1_000_000,
    maxHouseholds: CAP,
    capShards: 1,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: `${CAMPAIGN}/v1`,
    createdBy: 'cell',
    createdAt: '2026-03-01T00:00:00.000Z',
  };
  await new DynamoDbCampaignStore(doc, s.env.MADAD_TABLE_OPERATIONS ?? '').save(campaign, 0);
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => household(i + 1));
  await batchPutAll(doc, s.env.MADAD_TABLE_REGISTRY ?? '', [
    ...households.flatMap((h) => householdItems(pepper, h)),
    ...households.flatMap((h) =>
      h.members.map((m) => identityItem(pepper, { ...m, status: 'ALIVE', simPhones: [] })),
    ),
  ]);
}

async function sms(s: ChildStack, n: number): Promise<Response> {
  const body = JSON.stringify({ from: phoneOf(n), to: '8171', text: cnicOf(n), messageId: `capcrash-${n}` });
  const secret = s.env.MADAD_SMS_WEBHOOK_SECRET ?? '';
  return fetch(`${s.httpUrl}/sms/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-madad-signature': signWebhook(secret, Math.floor(Date.now() / 1000), body),
    },
    body,
  });
}

async function decisionOf(s: ChildStack, n: number): Promise<string | undefined> {
  const token = await issueStaffToken(s.env.MADAD_JWT_SECRET ?? '', {
    user: 'officer-sana',
    roles: ['program-officer'],
  });
  const r = await fetch(
    `${s.httpUrl}/api/v1/registrations?messageId=capcrash-${n}&from=${encodeURIComponent(phoneOf(n))}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (r.status !== 200) return undefined;
  return ((await r.json()) as { decision?: { status: string } }).decision?.status;
}

describe('caps at enrollment across a SIGKILL of the embedded stack', () => {
  it('ends, after a kill between a reservation and its enrollment and a restart, never over the cap and nothing half-done', async () => {
    // Arrange: a maximum of three; the stack dies at the first reservation it makes.
    dataDir = await mkdtemp(join(tmpdir(), 'madad-cap-crash-'));
    stack = await startChildStack(dataDir, { ...QUICK_REDELIVERY, MADAD_CRASH_AT: 'enroll.after-reserve' });
    await seed(stack, docFor(stack));
    const exited = new Promise((resolve) => stack?.process.once('exit', resolve));

    // Act: six households register; the reconciler is killed; the stack restarts and the queue redelivers.
    for (let n = 1; n <= HOUSEHOLDS; n++) expect((await sms(stack, n)).status).toBe(200);
    await exited;
    stack = await startChildStack(dataDir, QUICK_REDELIVERY);
    const restarted = stack;
    const decided = await waitFor(
      async () => {
        const all = await Promise.all(
          Array.from({ length: HOUSEHOLDS }, (_, i) => decisionOf(restarted, i + 1)),
        );
        return all.every((d) => d !== undefined) ? all : undefined;
      },
      60_000,
      'every registration decided after the restart',
    );

    // Assert
    const doc = docFor(stack);
    const table = stack.env.MADAD_TABLE_OPERATIONS;
    const items = await Promise.all(
      Array.from(
        { length: HOUSEHOLDS },
        async (_, i) =>
          (
            await doc.send(
              new GetCommand({
                TableName: table,
                Key: operationsKeys.enrollment(CAMPAIGN, `HH-CAPCRASH-${i + 1}`),
                ConsistentRead: true,
              }),
            )
          ).Item,
      ),
    );
    const shard = (
      await doc.send(
        new GetCommand({ TableName: table, Key: capShardKey(CAMPAIGN, 0), ConsistentRead: true }),
      )
    ).Item;
    const enrolled = items.filter((e) => e?.capState === 'enrolled').length;
    const waitlisted = items.filter((e) => e?.capState === 'waitlisted').length;
    expect(enrolled + waitlisted).toBe(HOUSEHOLDS);
    // Reservations the kill cut off from their enrollment stay counted: the shard is full, the cap
    // never exceeded, and the last one made before the kill is recognised by the restarted stack.
    expect(enrolled).toBeLessThanOrEqual(CAP);
    expect(enrolled).toBeGreaterThanOrEqual(1);
    expect(shard?.households).toBe(CAP);
    expect(decided.filter((d) => d === 'ELIGIBLE')).toHaveLength(enrolled);
    expect(decided.filter((d) => d === 'WAITLISTED')).toHaveLength(waitlisted);
  }, 180_000);
});
