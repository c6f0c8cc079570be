import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  DynamoDbCampaignStore,
  DynamoDbEnrollmentStore,
  householdItems,
  identityItem,
  issueStaffToken,
} from '@madad/adapters';
import { type Campaign, type HouseholdImport, operationsKeys, type StaffRole } from '@madad/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildStack, startChildStack, stopChildStack } from '../support/child-stack.js';

const CAMPAIGN = 'C-PAYCRASH';
const AMOUNT = 10_000;
const HOUSEHOLDS = 40;
let dataDir = '';
let stack: ChildStack | undefined;
let client: DynamoDBClient | undefined;

afterAll(async () => {
  client?.destroy();
  if (stack) await stopChildStack(stack);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const maker = { user: 'officer-sana', roles: ['program-officer'] as StaffRole[] };
const checker = { user: 'approver-imran', roles: ['approver'] as StaffRole[] };
const auditor = { user: 'auditor-hina', roles: ['auditor'] as StaffRole[] };

function household(n: number): HouseholdImport {
  const digits = String(n).padStart(7, '0');
  const member = (suffix: string, name: string, gender: 'male' | 'female', relation: 'head' | 'spouse') => ({
    cnic: `42201${digits}${suffix}`,
    name,
    gender,
    birthYear: 1982,
    relation,
    maritalStatus: 'married' as const,
    disabled: false,
  });
  return {
    householdId: `HH-CRASH-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 10,
    surveyedAt: '2024-05-01',
    programmes: ['KAFAALAT'],
    members: [member('1', `Rashid ${n}`, 'male', 'head'), member('2', `Nasreen ${n}`, 'female', 'spouse')],
    phones: ['03001234567'],
    source: 'survey',
  };
}

async function seed(s: ChildStack, doc: DynamoDBDocumentClient) {
  const operations = s.env.MADAD_TABLE_OPERATIONS ?? '';
  const pepper = s.env.MADAD_CNIC_PEPPER ?? '';
  const campaign: Campaign = {
    campaignId: CAMPAIGN,
    name: 'Crash rehearsal floods',
    shockType: 'flood',
    areas: [{ district: 'Dadu' }],
    opensAt: '2026-03-01T00:00:00.000Z',
    closesAt: '2027-06-01T00:00:00.000Z',
    rules: {
      pmtThreshold: 32,
      exclusionFilters: [],
      amounts: { topUp: AMOUNT, newBeneficiary: 20_000 },
      regularProgramme: 'KAFAALAT',
    },
    budgetCap: 10 * HOUSEHOLDS * AMOUNT,
    maxHouseholds: 10 * HOUSEHOLDS,
    notifyTopUps: false,
    limits: { cnicsPerPhone: 5, phonesPerCnic: 5 },
    status: 'active',
    ruleSetVersion: `${CAMPAIGN}/v1`,
    createdBy: 'cell',
    createdAt: '2026-03-01T00:00:00.000Z',
  };
  await new DynamoDbCampaignStore(doc, operations).save(campaign, 0);
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => household(i + 1));
  await batchPutAll(doc, s.env.MADAD_TABLE_REGISTRY ?? '', [
    ...households.flatMap((h) => householdItems(pepper, h)),
    ...households.flatMap((h) =>
      h.members.map((m) => identityItem(pepper, { ...m, status: 'ALIVE', simPhones: [] })),
    ),
  ]);
  const enrollments = new DynamoDbEnrollmentStore(doc, operations);
  for (const h of households) {
    await enrollments.enroll(
      {
        campaignId: CAMPAIGN,
        householdId: h.householdId,
        messageId: `vertical:${CAMPAIGN}:${h.householdId}`,
        reference: h.householdId,
        cnicHash: 'applicant',
        category: 'TOP_UP',
        amount: AMOUNT,
        district: h.district,
        tehsil: h.tehsil,
        ruleSetVersion: `${CAMPAIGN}/v1`,
        channel: 'vertical',
        enrolledAt: '2026-03-01T08:00:00.000Z',
      },
      { campaignId: CAMPAIGN, maxHouseholds: campaign.maxHouseholds, budgetCap: campaign.budgetCap },
    );
  }
}

async function call(
  s: ChildStack,
  path: string,
  who: { user: string; roles: StaffRole[] },
  init: RequestInit = {},
) {
  const token = await issueStaffToken(s.env.MADAD_JWT_SECRET ?? '', who);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${s.httpUrl}${path}`, { ...init, headers });
}

describe('Finding 5: crashes leave money state wrong (the embedded stack killed mid-approval)', () => {
  it('ends, after a SIGKILL between the reservation and the ledger entry and a restart, approved once, reserved once, in the ledger once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'madad-pay-crash-'));
    stack = await startChildStack(dataDir, { MADAD_CRASH_AT: 'approve.after-reserve' });
    client = new DynamoDBClient({
      endpoint: stack.env.MADAD_DYNAMODB_ENDPOINT,
      region: stack.env.AWS_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const doc = DynamoDBDocumentClient.from(client);
    await seed(stack, doc);
    const made = await call(stack, '/api/v1/payment-batches', maker, {
      method: 'POST',
      body: JSON.stringify({ campaignId: CAMPAIGN }),
    });
    const { batchId } = (await made.json()) as { batchId: string };
    expect(made.status).toBe(201);

    const exited = new Promise((resolve) => stack?.process.once('exit', resolve));
    const killed = await call(stack, `/api/v1/payment-batches/${batchId}/approve`, checker, {
      method: 'POST',
    }).catch((error: unknown) => error);
    await exited;
    expect(killed).toBeInstanceOf(Error);

    // The restarted stack: any read of the batch completes the approval the kill interrupted.
    client.destroy();
    stack = await startChildStack(dataDir);
    client = new DynamoDBClient({
      endpoint: stack.env.MADAD_DYNAMODB_ENDPOINT,
      region: stack.env.AWS_REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const after = DynamoDBDocumentClient.from(client);
    const batch = (await (await call(stack, `/api/v1/payment-batches/${batchId}`, auditor)).json()) as {
      status: string;
      approvedBy: string;
      total: number;
    };
    const again = await call(stack, `/api/v1/payment-batches/${batchId}/approve`, checker, {
      method: 'POST',
    });
    const listing = (await (
      await call(stack, `/api/v1/payment-batches?campaignId=${CAMPAIGN}`, auditor)
    ).json()) as {
      budget: { reserved: number; households: number };
    };
    const ledger = (await (await call(stack, '/api/v1/audit?limit=1000', auditor)).json()) as {
      items: { action: string; actor: string; subject: string }[];
    };
    const enrollment = await after.send(
      new GetCommand({
        TableName: stack.env.MADAD_TABLE_OPERATIONS,
        Key: operationsKeys.enrollment(CAMPAIGN, 'HH-CRASH-7'),
        ConsistentRead: true,
      }),
    );

    expect(batch).toMatchObject({ status: 'approved', approvedBy: checker.user, total: HOUSEHOLDS * AMOUNT });
    expect(again.status).toBe(409);
    expect(listing.budget).toMatchObject({ reserved: HOUSEHOLDS * AMOUNT, households: HOUSEHOLDS });
    expect(
      ledger.items.filter(
        (e) => e.action === 'payment-batch.approve' && e.subject === `payment-batch/${batchId}`,
      ),
    ).toEqual([expect.objectContaining({ actor: checker.user })]);
    expect(enrollment.Item?.paymentState).toBe('approved');
  }, 180_000);
});
