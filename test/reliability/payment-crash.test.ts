import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCampaignStore, operationsKeys } from '@madad/adapters';
import type { HouseholdImport, StaffRole } from '@madad/core';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { callAsStaff as call, crashableStack } from '../support/crash-stack.js';
import { enrollVertically, seedRegistry, stackCampaign } from '../support/stack-fixtures.js';

const CAMPAIGN = 'C-PAYCRASH';
const AMOUNT = 10_000;
const HOUSEHOLDS = 40;
const crash = crashableStack('madad-pay-crash-');
let stack: ChildStack | undefined;

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
  const campaign = stackCampaign(
    CAMPAIGN,
    { name: 'Crash rehearsal floods', budgetCap: 10 * HOUSEHOLDS * AMOUNT, maxHouseholds: 10 * HOUSEHOLDS },
    { topUp: AMOUNT, newBeneficiary: 20_000 },
  );
  await new DynamoDbCampaignStore(doc, operations).save(campaign, 0);
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => household(i + 1));
  await seedRegistry(doc, s.env.MADAD_TABLE_REGISTRY ?? '', pepper, households);
  await enrollVertically(doc, operations, CAMPAIGN, households, AMOUNT, campaign);
}

describe('Finding 5: crashes leave money state wrong (the embedded stack killed mid-approval)', () => {
  it('ends, after a SIGKILL between the reservation and the ledger entry and a restart, approved once, reserved once, in the ledger once', async () => {
    stack = await crash.start({ MADAD_CRASH_AT: 'approve.after-reserve' });
    const doc = crash.doc();
    await seed(stack, doc);
    const made = await call(stack, '/api/v1/payment-batches', maker, {
      method: 'POST',
      body: JSON.stringify({ campaignId: CAMPAIGN }),
    });
    const { batchId } = (await made.json()) as { batchId: string };
    expect(made.status).toBe(201);

    const exited = crash.exited();
    const killed = await call(stack, `/api/v1/payment-batches/${batchId}/approve`, checker, {
      method: 'POST',
    }).catch((error: unknown) => error);
    await exited;
    expect(killed).toBeInstanceOf(Error);

    // The restarted stack: any read of the batch completes the approval the kill interrupted.
    stack = await crash.start();
    const after = crash.doc();
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
