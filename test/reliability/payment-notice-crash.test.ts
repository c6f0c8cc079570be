import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCampaignStore, DynamoDbEnrollmentStore } from '@madad/adapters';
import { type HouseholdImport, paymentNoticeId, type StaffRole } from '@madad/core';
import { listSmsGatewayDeliveries } from '@madad/local';
import { describe, expect, it } from 'vitest';
import type { ChildStack } from '../support/child-stack.js';
import { callAsStaff as call, crashableStack } from '../support/crash-stack.js';
import { waitFor } from '../support/local-stack.js';
import { seedRegistry, stackCampaign } from '../support/stack-fixtures.js';

const CAMPAIGN = 'C-NOTECRASH';
const AMOUNT = 8_000;
const HOUSEHOLDS = 6;
const crash = crashableStack('madad-notice-crash-');

const maker = { user: 'officer-sana', roles: ['program-officer'] as StaffRole[] };
const checker = { user: 'approver-imran', roles: ['approver'] as StaffRole[] };
const auditor = { user: 'auditor-hina', roles: ['auditor'] as StaffRole[] };
const phoneOf = (n: number) => `+92301777000${n}`;

function household(n: number): HouseholdImport {
  return {
    householdId: `HH-NC-${n}`,
    province: 'Sindh',
    district: 'Dadu',
    tehsil: 'Johi',
    pmtScore: 10,
    surveyedAt: '2024-05-01',
    programmes: ['KAFAALAT'],
    members: [
      {
        cnic: `4230300000${n}02`,
        name: `Rukhsana ${n}`,
        gender: 'female',
        birthYear: 1980,
        relation: 'head',
        maritalStatus: 'widowed',
        disabled: false,
      },
    ],
    phones: [phoneOf(n)],
    source: 'survey',
  };
}

/** A campaign and its top-up households, each enrolled with its registry phone for notices. */
async function seed(s: ChildStack, doc: DynamoDBDocumentClient) {
  const operations = s.env.MADAD_TABLE_OPERATIONS ?? '';
  const campaign = stackCampaign(
    CAMPAIGN,
    { name: 'Notice crash floods', budgetCap: 100 * AMOUNT, maxHouseholds: 100 },
    { topUp: AMOUNT, newBeneficiary: 20_000 },
  );
  await new DynamoDbCampaignStore(doc, operations).save(campaign, 0);
  const households = Array.from({ length: HOUSEHOLDS }, (_, i) => household(i + 1));
  await seedRegistry(doc, s.env.MADAD_TABLE_REGISTRY ?? '', s.env.MADAD_CNIC_PEPPER ?? '', households);
  const store = new DynamoDbEnrollmentStore(doc, operations);
  for (const [i, h] of households.entries()) {
    await store.enroll(
      {
        campaignId: CAMPAIGN,
        householdId: h.householdId,
        messageId: `vertical:${CAMPAIGN}:${h.householdId}`,
        reference: `NC${i + 1}`,
        cnicHash: 'payee',
        category: 'TOP_UP',
        amount: AMOUNT,
        district: h.district,
        tehsil: h.tehsil,
        ruleSetVersion: `${CAMPAIGN}/v1`,
        channel: 'vertical',
        enrolledAt: '2026-03-01T08:00:00.000Z',
        notify: { phone: phoneOf(i + 1), lang: 'ur' },
      },
      campaign,
    );
  }
}

describe('payment notices when the stack is killed between marking the lines sent and queuing the notices', () => {
  it('tells each household once that its payment was sent, after a SIGKILL and the export run again', async () => {
    // Arrange: an approved batch on a stack that dies once its lines are marked sent.
    let stack = await crash.start({ MADAD_CRASH_AT: 'export.after-sent' });
    await seed(stack, crash.doc());
    const made = await call(stack, '/api/v1/payment-batches', maker, {
      method: 'POST',
      body: JSON.stringify({ campaignId: CAMPAIGN }),
    });
    const { batchId } = (await made.json()) as { batchId: string };
    expect(
      (await call(stack, `/api/v1/payment-batches/${batchId}/approve`, checker, { method: 'POST' })).status,
    ).toBe(200);

    // Act: the export kills the stack; after the restart the officer exports the file again.
    const exited = crash.exited();
    const killed = await call(stack, `/api/v1/payment-batches/${batchId}/instructions.csv`, maker).catch(
      (error: unknown) => error,
    );
    await exited;
    stack = await crash.start();
    const again = await call(stack, `/api/v1/payment-batches/${batchId}/instructions.csv`, maker);
    const lines = (
      (await (await call(stack, `/api/v1/payment-batches/${batchId}`, auditor)).json()) as {
        lines: { householdId: string; paymentReference: string }[];
      }
    ).lines;

    // Assert: every household's phone got its one notice, under its line's id, and nothing else.
    expect(killed).toBeInstanceOf(Error);
    expect(again.status).toBe(200);
    expect(lines).toHaveLength(HOUSEHOLDS);
    for (const line of lines) {
      const phone = phoneOf(Number(line.householdId.replace('HH-NC-', '')));
      const id = paymentNoticeId(line.paymentReference, 'SENT');
      const deliveries = await waitFor(
        async () => {
          const found = await listSmsGatewayDeliveries(stack.env, phone);
          return found.some((d) => d.clientReference === id) ? found : undefined;
        },
        30_000,
        `the sent notice to ${phone}`,
      );
      expect(deliveries.map((d) => d.clientReference)).toEqual([id]);
    }
  }, 180_000);
});
