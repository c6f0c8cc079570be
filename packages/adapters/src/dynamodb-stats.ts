import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { operationsKeys, STATS_SHARDS, type StatsSink } from '@madad/core';

/** Sharded counters: each batch adds into one random shard; readers sum the shards. */
export class DynamoDbStats implements StatsSink {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(campaignId: string, counters: Readonly<Record<string, number>>): Promise<void> {
    const entries = Object.entries(counters).filter(([, v]) => v !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const parts = entries.map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:v${i}`] = value;
      return `#c${i} :v${i}`;
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: operationsKeys.statsShard(campaignId, Math.floor(Math.random() * STATS_SHARDS)),
        UpdateExpression: `ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The sum over all shards of a campaign's counters. */
  async read(campaignId: string): Promise<Record<string, number>> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': operationsKeys.statsPartition(campaignId) },
      }),
    );
    const totals: Record<string, number> = {};
    for (const item of result.Items ?? []) {
      for (const [name, value] of Object.entries(item)) {
        if (typeof value === 'number') totals[name] = (totals[name] ?? 0) + value;
      }
    }
    return totals;
  }
}
