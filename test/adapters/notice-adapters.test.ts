import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeMarks, DynamoDbPhoneLanguages, operationsKeys } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';

const docMock = mockClient(DynamoDBDocumentClient);
afterEach(() => docMock.reset());
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const PHONE = '+923001234567';

describe('DynamoDbPhoneLanguages', () => {
  it("reads the language of the phone's newest message, across pages, whatever order they come in", async () => {
    docMock
      .on(QueryCommand, { ExclusiveStartKey: undefined })
      .resolves({
        Items: [
          { lang: 'en', receivedAt: '2026-11-25T09:00:00Z' },
          { lang: 'ur-Latn', receivedAt: '2026-11-25T11:00:00Z' },
        ],
        LastEvaluatedKey: { pk: 'x', sk: 'y' },
      })
      .on(QueryCommand, { ExclusiveStartKey: { pk: 'x', sk: 'y' } })
      .resolves({ Items: [{ lang: 'ur', receivedAt: '2026-11-25T10:00:00Z' }] });

    const languages = await new DynamoDbPhoneLanguages(doc, 'ops').lastLanguages([PHONE]);

    expect(languages).toEqual(new Map([[PHONE, 'ur-Latn']]));
    const [first] = docMock.commandCalls(QueryCommand);
    expect(first?.args[0].input).toMatchObject({
      TableName: 'ops',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
      ExpressionAttributeValues: {
        ':pk': operationsKeys.phoneMessages(PHONE),
        ':msg': operationsKeys.phoneMessagePrefix,
      },
    });
  });

  it('leaves out a phone that never wrote, and ignores a record without a known language', async () => {
    docMock.on(QueryCommand).resolves({ Items: [{ lang: 'fr', receivedAt: '2026-11-25T09:00:00Z' }] });

    const languages = await new DynamoDbPhoneLanguages(doc, 'ops').lastLanguages([PHONE, '+923009999999']);

    expect(languages.size).toBe(0);
    expect(docMock.commandCalls(QueryCommand)).toHaveLength(2);
  });
});

describe('DynamoDbNoticeMarks', () => {
  it('marks a run done in one small item and reads it back consistently', async () => {
    docMock.on(PutCommand).resolves({});
    docMock
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { pk: 'NOTICES#payment-batch.export/B-1', sk: 'DONE' } });
    const marks = new DynamoDbNoticeMarks(doc, 'ops');

    const before = await marks.isDone('payment-batch.export/B-1');
    await marks.markDone('payment-batch.export/B-1', '2026-11-25T11:00:00.000Z');
    const after = await marks.isDone('payment-batch.export/B-1');

    expect([before, after]).toEqual([false, true]);
    expect(docMock.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'ops',
      Item: {
        pk: 'NOTICES#payment-batch.export/B-1',
        sk: 'DONE',
        type: 'NOTICE_RUN',
        run: 'payment-batch.export/B-1',
        at: '2026-11-25T11:00:00.000Z',
      },
    });
    expect(docMock.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true });
  });
});
