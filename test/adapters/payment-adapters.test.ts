import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDbBudgetLedger,
  DynamoDbPaymentEnrollments,
  DynamoDbResultImportStore,
  operationsKeys,
} from '@madad/adapters';
import type { BatchSettlement, PaymentResult, ResultImport } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';

let operations: OperationsTable | undefined;
let doc: DynamoDBDocumentClient;
let table = '';

beforeAll(async () => {
  operations = await startOperationsTable('madad-pay-adapters-');
  ({ doc, table } = operations);
});

afterAll(async () => {
  await operations?.stop();
});

const LIMITS = { cap: 100_000, maxHouseholds: 10 };
const totals = (paid: number, released: number, duplicates = 0): BatchSettlement => ({
  paid: paid * 10_000,
  paidHouseholds: paid - duplicates,
  released: released * 10_000,
  releasedHouseholds: released,
  duplicates,
  duplicateAmount: duplicates * 10_000,
});

describe('DynamoDbBudgetLedger on the embedded DynamoDB', () => {
  it('reserves a batch once however often, and however concurrently, it is asked', async () => {
    const ledger = new DynamoDbBudgetLedger(doc, table);

    const results = await Promise.all(
      Array.from({ length: 6 }, () => ledger.reserveBatch('C-ONCE', 'B-00000001', LIMITS, 30_000, 3)),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(await ledger.read('C-ONCE')).toMatchObject({ reserved: 30_000, households: 3 });
  });

  it('lets only what fits of two batches at once under the cap', async () => {
    const ledger = new DynamoDbBudgetLedger(doc, table);

    const [a, b] = await Promise.all([
      ledger.reserveBatch('C-CAP', 'B-0000000A', LIMITS, 60_000, 6),
      ledger.reserveBatch('C-CAP', 'B-0000000B', LIMITS, 60_000, 6),
    ]);

    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect(await ledger.read('C-CAP')).toMatchObject({ reserved: 60_000, households: 6 });
  });

  it('moves the counters by the difference of a settlement, refuses a stale version, and counts nothing twice', async () => {
    const ledger = new DynamoDbBudgetLedger(doc, table);
    await ledger.reserveBatch('C-SETTLE', 'B-00000005', LIMITS, 50_000, 5);

    const first = await ledger.settle('C-SETTLE', 'B-00000005', 0, totals(2, 1));
    const stale = await ledger.settle('C-SETTLE', 'B-00000005', 0, totals(5, 0));
    const later = await ledger.settle('C-SETTLE', 'B-00000005', 1, totals(4, 1, 1));
    const recorded = await ledger.settlement('C-SETTLE', 'B-00000005');

    expect([first, stale, later]).toEqual([true, false, true]);
    expect(recorded).toEqual({ version: 2, totals: totals(4, 1, 1) });
    expect(await ledger.read('C-SETTLE')).toEqual({
      reserved: 40_000,
      households: 4,
      paid: 40_000,
      paidHouseholds: 3,
      duplicates: 1,
      duplicateAmount: 10_000,
    });
  });
});

describe('DynamoDbResultImportStore on the embedded DynamoDB', () => {
  it('stages a large file in chunks once, and gives its results back in order', async () => {
    const store = new DynamoDbResultImportStore(doc, table);
    const results: PaymentResult[] = Array.from({ length: 4500 }, (_, i) => ({
      paymentReference: `P-${String(i).padStart(16, '0')}`,
      status: i % 2 ? 'PAID' : 'FAILED',
    }));
    const header: ResultImport = {
      importId: 'R-0123456789ABCDEF',
      batchId: 'B-0000000C',
      campaignId: 'C-IMPORT',
      status: 'staged',
      uploadedBy: 'officer-1',
      uploaderRole: 'program-officer',
      uploadedAt: '2026-03-01T10:00:00.000Z',
      received: 4500,
      known: 4500,
      filePaid: 2250,
      fileFailed: 2250,
      unknownReferences: [],
    };

    const staged = [await store.stage(header, results), await store.stage(header, results)];
    const moved = await store.transition('B-0000000C', header.importId, 'staged', {
      ...header,
      status: 'applying',
      confirmedBy: 'officer-2',
    });
    const again = await store.transition('B-0000000C', header.importId, 'staged', header);

    expect(staged).toEqual(['created', 'exists']);
    expect(await store.results('B-0000000C', header.importId)).toEqual(results);
    expect([moved, again]).toEqual([true, false]);
    expect(await store.list('B-0000000C')).toEqual([
      expect.objectContaining({ importId: header.importId, status: 'applying', confirmedBy: 'officer-2' }),
    ]);
  });
});

describe('DynamoDbPaymentEnrollments on the embedded DynamoDB', () => {
  it('keeps a held household out of batches until its re-check is due, and claiming clears the hold', async () => {
    const enrollments = new DynamoDbPaymentEnrollments(doc, table);
    for (const householdId of ['HH-HELD', 'HH-OK']) {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...operationsKeys.enrollment('C-HOLD', householdId),
            gsi2pk: operationsKeys.enrollmentsByDistrict('C-HOLD', 'Dadu'),
            gsi2sk: `2026-03-01T00:00:00.000Z#${householdId}`,
            type: 'ENROLLMENT',
            campaignId: 'C-HOLD',
            householdId,
            messageId: `m-${householdId}`,
            reference: `R-${householdId}`,
            cnicHash: `h-${householdId}`,
            category: 'TOP_UP',
            district: 'Dadu',
            tehsil: 'Dadu',
            amount: 10_000,
            ruleSetVersion: 'C-HOLD/v1',
            channel: 'sms',
            enrolledAt: '2026-03-01T00:00:00.000Z',
          },
        }),
      );
    }
    const query = (now: string) => ({ campaignId: 'C-HOLD', district: 'Dadu', limit: 10, now });
    await enrollments.hold('C-HOLD', 'HH-HELD', {
      reason: 'NO_VALID_PAYEE',
      at: '2026-03-01T10:00:00.000Z',
      until: '2026-03-02T10:00:00.000Z',
    });

    const during = await enrollments.unbatched(query('2026-03-01T12:00:00.000Z'));
    const after = await enrollments.unbatched(query('2026-03-02T10:00:01.000Z'));
    const claimed = await enrollments.claim('C-HOLD', 'HH-HELD', 'B-0000000H', '2026-03-02T10:00:01.000Z');
    const [loaded] = [
      ...(await enrollments.load([{ campaignId: 'C-HOLD', householdId: 'HH-HELD' }])).values(),
    ];

    expect(during.map((e) => e.householdId)).toEqual(['HH-OK']);
    expect(after.map((e) => e.householdId).sort()).toEqual(['HH-HELD', 'HH-OK']);
    expect(claimed).toEqual({ claimed: true, attempt: 1 });
    expect(loaded).not.toHaveProperty('paymentHold');
  });
});
