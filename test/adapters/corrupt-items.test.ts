import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  CorruptItemError,
  DynamoDbAppealStore,
  DynamoDbEnrollmentStore,
  fromItem,
  operationsKeys,
} from '@madad/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type OperationsTable, startOperationsTable } from '../support/operations-table.js';

let operations: OperationsTable | undefined;

beforeAll(async () => {
  operations = await startOperationsTable('madad-corrupt-items-');
});

afterAll(async () => {
  await operations?.stop();
});

describe('fromItem: an item read from a table is parsed, not cast', () => {
  const Schema = z.looseObject({ id: z.string(), amount: z.number() });

  it('returns a good item with every field, unchanged', () => {
    const item = { pk: 'X#1', sk: 'A', id: '1', amount: 5, extra: ['kept'] };

    expect(fromItem(Schema, item, 'thing')).toEqual(item);
  });

  it('refuses a bad item with CorruptItemError naming the key and the zod issue', () => {
    const item = { pk: 'X#1', sk: 'A', id: '1', amount: 'five' };

    const refusal = (() => {
      try {
        fromItem(Schema, item, 'thing');
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(CorruptItemError);
    expect((refusal as CorruptItemError).message).toMatch(/^Corrupt thing item X#1\/A: amount: /);
  });
});

describe('DynamoDbAppealStore reads appeals through their schema', () => {
  it('refuses a stored appeal whose status is not one it knows, naming its key', async () => {
    const { doc, table } = operations as OperationsTable;
    const key = operationsKeys.appeal('ap-corrupt');
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...key,
          type: 'APPEAL',
          appealId: 'ap-corrupt',
          messageId: 'm-1',
          cnicHash: 'h1',
          phone: '+923001234567',
          lang: 'en',
          note: 'n',
          status: 'LOST',
          openedAt: '2026-08-20T10:00:00Z',
        },
      }),
    );
    const store = new DynamoDbAppealStore(doc, table);

    await expect(store.get('ap-corrupt')).rejects.toThrow(CorruptItemError);
    await expect(store.get('ap-corrupt')).rejects.toThrow(`${key.pk}`);
  });
});

describe('DynamoDbEnrollmentStore reads enrollments through their schema', () => {
  it('refuses a stored enrollment whose amount is not a number, naming its key', async () => {
    const { doc, table } = operations as OperationsTable;
    const key = operationsKeys.enrollment('C-CORRUPT', 'HH-1');
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...key,
          type: 'ENROLLMENT',
          campaignId: 'C-CORRUPT',
          householdId: 'HH-1',
          messageId: 'm-1',
          reference: 'R-1',
          cnicHash: 'h1',
          category: 'TOP_UP',
          amount: '25000',
          district: 'Jhang',
          tehsil: 'Jhang',
          ruleSetVersion: 'C-CORRUPT/v1',
          channel: 'sms',
          enrolledAt: '2026-08-20T10:00:00Z',
        },
      }),
    );
    const store = new DynamoDbEnrollmentStore(doc, table);

    const read = store.find([{ campaignId: 'C-CORRUPT', householdId: 'HH-1' }]);

    await expect(read).rejects.toThrow(CorruptItemError);
    await expect(read).rejects.toThrow(/amount/);
  });
});
