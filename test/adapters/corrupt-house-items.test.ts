import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  CorruptItemError,
  DynamoDbAuditLog,
  DynamoDbBudgetLedger,
  DynamoDbCampaignStore,
  DynamoDbPaymentEnrollments,
  DynamoDbRegistrationStore,
  operationsKeys,
} from '@madad/adapters';
import type { AuditAnchor } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';
import { unitCampaign } from '../support/unit-campaign.js';

let operations: OperationsTable | undefined;

beforeAll(async () => {
  operations = await startOperationsTable('madad-corrupt-house-');
});

afterAll(async () => {
  await operations?.stop();
});

function table(): OperationsTable {
  if (!operations) throw new Error('the operations table did not start');
  return operations;
}

async function put(item: Record<string, unknown>): Promise<void> {
  const { doc, table: name } = table();
  await doc.send(new PutCommand({ TableName: name, Item: item }));
}

describe('DynamoDbAuditLog reads entries through the core schema of an entry', () => {
  const anchors: AuditAnchor[] = [];
  const ledger = () =>
    new DynamoDbAuditLog(table().doc, table().table, {
      key: async () => 'a-test-ledger-secret-of-32-chars',
      anchors: {
        record: async (anchor) => {
          anchors.push(anchor);
        },
        latest: async () => anchors.at(-1),
      },
    });

  it('returns an appended entry as it was chained, every field kept', async () => {
    const input = {
      actor: 'approver-imran',
      role: 'approver',
      action: 'payment-batch.approve' as const,
      subject: 'payment-batch/B-1',
      after: { status: 'approved', lines: [1, 2] },
    };
    const appended = await ledger().append(input);

    const [listed] = await ledger().list(appended.seq, 1);

    expect(listed).toEqual(appended);
  });

  it('refuses a stored entry whose action it does not know, naming the entry and the field', async () => {
    const key = operationsKeys.auditEntry(900);
    await put({
      ...key,
      type: 'AUDIT',
      seq: 900,
      at: '2026-08-20T10:00:00Z',
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
      actor: 'x',
      role: 'approver',
      action: 'payment-batch.steal',
      subject: 'payment-batch/B-2',
    });

    const read = ledger().list(900, 1);

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(`${key.pk}/${key.sk}: action`);
  });

  it('refuses to finish an append whose stored intent has no actor, naming the intent', async () => {
    await put({
      pk: 'AUDIT#ACTION#payment-batch.approve/B-3',
      sk: 'INTENT',
      type: 'AUDIT_INTENT',
      input: { role: 'approver', action: 'payment-batch.approve', subject: 'payment-batch/B-3' },
      at: '2026-08-20T10:00:00Z',
    });

    const append = ledger().append({
      actor: 'approver-imran',
      role: 'approver',
      action: 'payment-batch.approve',
      subject: 'payment-batch/B-3',
      actionId: 'payment-batch.approve/B-3',
    });

    await expect(append).rejects.toThrow(CorruptItemError);
    await expect(append).rejects.toThrow(/INTENT: input\.actor/);
  });
});

describe('DynamoDbCampaignStore reads campaigns through the core schema of a campaign', () => {
  it('returns a stored campaign with its revision', async () => {
    const campaign = { ...unitCampaign(), campaignId: 'C-GOOD' };
    const store = new DynamoDbCampaignStore(table().doc, table().table);
    await store.save(campaign, 0);

    const read = await store.get('C-GOOD');

    expect(read).toEqual({ ...campaign, revision: 1 });
  });

  it('refuses a stored campaign whose status it does not know, naming its key', async () => {
    const key = operationsKeys.campaign('C-PAUSED');
    await put({
      ...key,
      type: 'CAMPAIGN',
      ...unitCampaign(),
      campaignId: 'C-PAUSED',
      status: 'paused',
      revision: 1,
    });

    const read = new DynamoDbCampaignStore(table().doc, table().table).get('C-PAUSED');

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(`${key.pk}/${key.sk}: status`);
  });
});

describe('DynamoDbPaymentEnrollments reads enrollments through the core schema of a payable enrollment', () => {
  const enrollment = (householdId: string) => ({
    ...operationsKeys.enrollment('C-PAY', householdId),
    type: 'ENROLLMENT',
    campaignId: 'C-PAY',
    householdId,
    messageId: `m-${householdId}`,
    reference: `R-${householdId}`,
    cnicHash: `h-${householdId}`,
    category: 'TOP_UP',
    amount: 6000,
    district: 'Dadu',
    tehsil: 'Dadu',
    ruleSetVersion: 'C-PAY/v1',
    channel: 'sms',
    enrolledAt: '2026-08-20T10:00:00Z',
  });

  it('returns a stored enrollment with its payment fields', async () => {
    await put({ ...enrollment('HH-PAID'), paymentState: 'paid', batchId: 'B-1', paymentAttempt: 1 });

    const found = await new DynamoDbPaymentEnrollments(table().doc, table().table).load([
      { campaignId: 'C-PAY', householdId: 'HH-PAID' },
    ]);

    expect([...found.values()]).toMatchObject([
      { householdId: 'HH-PAID', paymentState: 'paid', batchId: 'B-1' },
    ]);
  });

  it('refuses a stored enrollment whose payment state it does not know, naming its key', async () => {
    const item = { ...enrollment('HH-LOST'), paymentState: 'lost' };
    await put(item);

    const read = new DynamoDbPaymentEnrollments(table().doc, table().table).load([
      { campaignId: 'C-PAY', householdId: 'HH-LOST' },
    ]);

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(`${item.pk}/${item.sk}: paymentState`);
  });
});

describe('DynamoDbBudgetLedger reads the budget item through its schema', () => {
  it("reads a campaign's budget with no item yet as empty", async () => {
    const state = await new DynamoDbBudgetLedger(table().doc, table().table).read('C-NO-BUDGET');

    expect(state).toEqual({
      reserved: 0,
      households: 0,
      paid: 0,
      paidHouseholds: 0,
      duplicates: 0,
      duplicateAmount: 0,
    });
  });

  it('refuses a budget item whose counter is not a number, instead of reading it as NaN', async () => {
    const key = operationsKeys.campaignBudget('C-BAD-BUDGET');
    await put({ ...key, reserved: 'a lot', households: 3 });

    const read = new DynamoDbBudgetLedger(table().doc, table().table).read('C-BAD-BUDGET');

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(`${key.pk}/${key.sk}: reserved`);
  });
});

describe('DynamoDbRegistrationStore reads records through the core schema of a registration', () => {
  const record = {
    messageId: 'web-R-GOOD',
    channel: 'web' as const,
    from: '+923001234567',
    receivedAt: '2026-08-20T10:00:00.000Z',
    acceptedAt: '2026-08-20T10:00:01.000Z',
    command: 'REGISTER',
    lang: 'ur-Latn' as const,
    reference: 'R-GOOD',
    decision: {
      status: 'ELIGIBLE' as const,
      reasons: ['IN_REGISTRY' as const],
      ruleSetVersion: 'C-1/v1',
      inputs: {},
      decidedAt: '2026-08-20T10:00:01.000Z',
    },
    reply: {
      id: 'reply-web-R-GOOD',
      to: '+923001234567',
      text: 'Madad: aap eligible hain',
      lang: 'ur-Latn' as const,
      inReplyTo: 'web-R-GOOD',
      reference: 'R-GOOD',
      createdAt: '2026-08-20T10:00:01.000Z',
    },
  };

  it('returns a recorded registration with its reply rebuilt as it was queued', async () => {
    const store = new DynamoDbRegistrationStore(table().doc, table().table);
    await store.record(record);

    const read = await store.get('web-R-GOOD');

    expect(read).toEqual(record);
  });

  it('refuses a stored registration whose decision status it does not know, naming its key', async () => {
    const key = operationsKeys.webRegistration('web-R-BAD');
    await put({
      ...key,
      type: 'REGISTRATION',
      ...record,
      messageId: 'web-R-BAD',
      decision: { ...record.decision, status: 'MAYBE' },
    });

    const read = new DynamoDbRegistrationStore(table().doc, table().table).get('web-R-BAD');

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(`${key.pk}/${key.sk}: decision.status`);
  });
});
