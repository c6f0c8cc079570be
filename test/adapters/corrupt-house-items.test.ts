import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CorruptItemError, DynamoDbAuditLog, DynamoDbCampaignStore, operationsKeys } from '@madad/adapters';
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
