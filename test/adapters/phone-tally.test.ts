import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRegistrationStore, MOST_CNICS } from '@madad/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';

let operations: OperationsTable | undefined;
let doc: DynamoDBDocumentClient;
let store: DynamoDbRegistrationStore;
/** Every command sent to the table, by name (`UpdateItemCommand`, `QueryCommand`, ...). */
const sent: string[] = [];

beforeAll(async () => {
  operations = await startOperationsTable('madad-phone-tally-');
  doc = operations.doc;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  store = new DynamoDbRegistrationStore(doc, operations.table);
});

afterAll(async () => {
  await operations?.stop();
});

describe("DynamoDbRegistrationStore.tally (a phone's hourly count and the CNICs it registered)", () => {
  it('adds a batch of one phone in a single UpdateItem and gives back what the tally held before', async () => {
    sent.length = 0;

    const first = await store.tally('+923000000001', { '2026-12-07T10': 2, '2026-12-07T11': 1 }, ['c1']);
    const second = await store.tally('+923000000001', { '2026-12-07T11': 3 }, ['c1', 'c2']);

    expect(first).toEqual({ hours: { '2026-12-07T10': 0, '2026-12-07T11': 0 }, cnics: [] });
    expect(second).toEqual({ hours: { '2026-12-07T11': 1 }, cnics: ['c1'] });
    expect(sent).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
  });

  it('gives concurrent batches of one phone distinct counts (the allowance stays exact)', async () => {
    const hour = '2026-12-07T12';

    const before = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.tally('+923000000002', { [hour]: 1 }, [`c${i}`])),
    );

    expect(before.map((b) => b.hours[hour]).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(Math.max(...before.map((b) => b.cnics.length))).toBe(19);
  });

  it(`stops adding CNICs at ${MOST_CNICS} but still counts the phone's messages`, async () => {
    const phone = '+923000000003';
    const hour = '2026-12-07T13';
    await store.tally(
      phone,
      { [hour]: 1 },
      Array.from({ length: MOST_CNICS }, (_, i) => `full-${i}`),
    );

    const past = await store.tally(phone, { [hour]: 1 }, ['one-more']);
    const after = await store.tally(phone, { [hour]: 1 }, ['another']);

    expect(past.hours[hour]).toBe(1);
    expect(after.hours[hour]).toBe(2);
    expect(after.cnics).toHaveLength(MOST_CNICS);
    expect(after.cnics).not.toContain('one-more');
  });
});
