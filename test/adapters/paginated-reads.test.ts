import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCampaignStore, DynamoDbStats } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { unitCampaign } from '../support/unit-campaign.js';

// Reads that may span pages go through the SDK's paginator (`paginateQuery`), not a hand-written loop.
const ddbMock = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

afterEach(() => {
  ddbMock.reset();
});

/** Two pages: the first ends with a key to go on from, the second is the last. */
function twoPages(first: Record<string, unknown>[], second: Record<string, unknown>[]) {
  ddbMock
    .on(QueryCommand)
    .resolvesOnce({ Items: first, LastEvaluatedKey: { pk: 'p', sk: 'last-of-page-1' } })
    .resolvesOnce({ Items: second });
}

describe('paginated reads', () => {
  it("sums a campaign's per-minute counts over every page, the second asked from where the first ended", async () => {
    twoPages(
      [{ pk: 'RATE#C-1', sk: 'H#2026-03-01T10#03', m59: 2 }],
      [{ pk: 'RATE#C-1', sk: 'H#2026-03-01T10#11', m59: 3 }],
    );

    const counts = await new DynamoDbStats(doc, 'ops').readPerMinute(
      'C-1',
      new Date('2026-03-01T10:59:00Z'),
      new Date('2026-03-01T11:00:00Z'),
    );

    expect(counts).toEqual([{ minute: '2026-03-01T10:59', count: 5 }]);
    const queries = ddbMock.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries).toHaveLength(2);
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'p', sk: 'last-of-page-1' });
  });

  it('lists the campaigns of every page', async () => {
    twoPages(
      [{ pk: 'CAMPAIGN', sk: 'C-1', ...unitCampaign(), campaignId: 'C-1', revision: 1 }],
      [{ pk: 'CAMPAIGN', sk: 'C-2', ...unitCampaign(), campaignId: 'C-2', revision: 1 }],
    );

    const campaigns = await new DynamoDbCampaignStore(doc, 'ops').list();

    expect(campaigns.map((c) => c.campaignId)).toEqual(['C-1', 'C-2']);
    expect(ddbMock.commandCalls(QueryCommand)).toHaveLength(2);
  });
});
