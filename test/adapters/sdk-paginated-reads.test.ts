import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbPhoneLanguages } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbPaymentBatchStore } from '../../packages/adapters/src/payments/dynamodb-payment-batch-store.js';

// The readers moved from hand-written LastEvaluatedKey loops to the SDK's paginateQuery read every page,
// each asked from where the one before ended (behaviour kept: these pass on the loops too).
const ddbMock = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const LAST_OF_PAGE_1 = { pk: 'p', sk: 'last-of-page-1' };

afterEach(() => {
  ddbMock.reset();
});

function twoPages(first: Record<string, unknown>[], second: Record<string, unknown>[]) {
  ddbMock
    .on(QueryCommand)
    .resolvesOnce({ Items: first, LastEvaluatedKey: LAST_OF_PAGE_1 })
    .resolvesOnce({ Items: second });
}

const line = (ref: string) => ({
  pk: 'PAYBATCH#B-1',
  sk: `LINE#${ref}`,
  batchId: 'B-1',
  paymentReference: ref,
});

describe('SDK-paginated reads', () => {
  it("yields a batch's lines page by page, each page asked at the caller's page size", async () => {
    twoPages([line('R1'), line('R2')], [line('R3')]);

    const pages: string[][] = [];
    for await (const lines of new DynamoDbPaymentBatchStore(doc, 'ops').linePages('B-1', 2))
      pages.push(lines.map((l) => l.paymentReference));

    expect(pages).toEqual([['R1', 'R2'], ['R3']]);
    const queries = ddbMock.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.Limit)).toEqual([2, 2]);
    expect(queries[1]?.ExclusiveStartKey).toEqual(LAST_OF_PAGE_1);
  });

  it("reads every page of a batch's lines", async () => {
    twoPages([line('R1')], [line('R2')]);

    const lines = await new DynamoDbPaymentBatchStore(doc, 'ops').lines('B-1');

    expect(lines.map((l) => l.paymentReference)).toEqual(['R1', 'R2']);
    expect(ddbMock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(LAST_OF_PAGE_1);
  });

  it("finds a phone's newest language on the second page", async () => {
    twoPages(
      [{ lang: 'en', receivedAt: '2026-03-01T10:00:00Z' }],
      [{ lang: 'ur', receivedAt: '2026-03-02T10:00:00Z' }],
    );

    const languages = await new DynamoDbPhoneLanguages(doc, 'ops').lastLanguages(['+923001234567']);

    expect(languages.get('+923001234567')).toBe('ur');
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
