import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAppealStore, operationsKeys } from '@madad/adapters';
import type { Appeal, AppealClaim } from '@madad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';

let operations: OperationsTable | undefined;
let doc: DynamoDBDocumentClient;
let table = '';

beforeAll(async () => {
  operations = await startOperationsTable('madad-appeal-pointer-');
  ({ doc, table } = operations);
});

afterAll(async () => {
  await operations?.stop();
});

const appeal = (appealId: string, cnicHash: string, openedAt: string): Appeal => ({
  appealId,
  messageId: `m-${appealId}`,
  cnicHash,
  phone: '+923001234567',
  lang: 'en',
  note: 'Our house was washed away',
  status: 'OPEN',
  openedAt,
});
const claim: AppealClaim = {
  by: 'officer-sana',
  role: 'program-officer',
  outcome: 'UPHELD',
  reason: 'Score confirmed by the survey',
  at: '2026-08-22T09:00:00Z',
};

describe("DynamoDbAppealStore: a person's latest appeal, by key", () => {
  it('finds the appeal a person filed, and follows it through its resolution', async () => {
    const store = new DynamoDbAppealStore(doc, table);
    await store.open(appeal('A1000001', 'person-1', '2026-08-20T10:00:00Z'));

    expect((await store.latestOf('person-1'))?.status).toBe('OPEN');
    expect(await store.claim('A1000001', claim)).toBe(true);
    await store.complete('A1000001', 'UPHELD', {
      by: claim.by,
      at: claim.at,
      reason: claim.reason,
      enrolled: false,
    });

    expect(await store.latestOf('person-1')).toMatchObject({ appealId: 'A1000001', status: 'UPHELD' });
    expect(await store.latestOf('nobody')).toBeUndefined();
  });

  it('keeps pointing at the newest appeal, whichever is opened (or redelivered) last', async () => {
    const store = new DynamoDbAppealStore(doc, table);
    await store.open(appeal('A2000002', 'person-2', '2026-08-21T10:00:00Z'));
    await store.open(appeal('A2000001', 'person-2', '2026-08-20T10:00:00Z'));
    await store.open(appeal('A2000002', 'person-2', '2026-08-21T10:00:00Z'));

    expect((await store.latestOf('person-2'))?.appealId).toBe('A2000002');
  });

  it('completes the pointer when the appeal is redelivered after a crash between the two writes', async () => {
    const store = new DynamoDbAppealStore(doc, table);
    const filed = appeal('A3000001', 'person-3', '2026-08-20T10:00:00Z');
    // The appeal item alone, as a crash right after its write leaves it.
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...operationsKeys.appeal(filed.appealId), type: 'APPEAL', ...filed },
      }),
    );
    expect(await store.latestOf('person-3')).toBeUndefined();

    await store.open(filed);

    expect((await store.latestOf('person-3'))?.appealId).toBe('A3000001');
  });
});
