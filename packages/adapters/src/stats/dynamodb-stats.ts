import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, STATS_SHARDS, type StatsSink, systemClock } from '@madad/core';
import { operationsKeys } from '../keys.js';
import { batchGetAll } from '../runtime/dynamodb-batch.js';

/** Registrations counted in one UTC minute (`YYYY-MM-DDTHH:MM`). */
export interface MinuteCount {
  readonly minute: string;
  readonly count: number;
}

/**
 * What a batch added during one UTC hour (`YYYY-MM-DDTHH`), sharded like the counters: the live sum
 * minus the current hour's gives the figures as of the hour's start, for the public page.
 */
const hourShardKey = (campaignId: string, hour: string, shard: number) => ({
  pk: `STATSHOUR#${campaignId}#${String(shard).padStart(2, '0')}`,
  sk: `H#${hour}`,
});

/** Sharded counters: each batch adds into one random shard; readers sum the shards. */
export class DynamoDbStats implements StatsSink {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
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
    const shard = Math.floor(Math.random() * STATS_SHARDS);
    const hour = this.clock.now().toISOString().slice(0, 13);
    // The live counters first, then the hour's: a reader between the two (or after a crash between
    // them) publishes a batch a little early, never subtracts one that the live sum lacks.
    for (const Key of [operationsKeys.statsShard(campaignId, shard), hourShardKey(campaignId, hour, shard)]) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: `ADD ${parts.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  /** The sum over all shards of a campaign's counters. */
  async read(campaignId: string): Promise<Record<string, number>> {
    const shards = Array.from({ length: STATS_SHARDS }, (_, shard) =>
      operationsKeys.statsShard(campaignId, shard),
    );
    return sumCounters(await batchGetAll(this.doc, this.table, shards));
  }

  /**
   * The counters as they stood at the start of the current UTC hour (what every batch added before
   * it), read in one BatchGet of the live and the hour's shards: the public page's delayed figures.
   */
  async readAsOfHour(campaignId: string): Promise<{ asOf: Date; counters: Record<string, number> }> {
    const now = this.clock.now();
    const hour = now.toISOString().slice(0, 13);
    const live = Array.from({ length: STATS_SHARDS }, (_, s) => operationsKeys.statsShard(campaignId, s));
    const recent = Array.from({ length: STATS_SHARDS }, (_, s) => hourShardKey(campaignId, hour, s));
    const items = await batchGetAll(this.doc, this.table, [...live, ...recent]);
    const isRecent = (item: Record<string, unknown>) => String(item.pk).startsWith('STATSHOUR#');
    const counters = sumCounters(items.filter((item) => !isRecent(item)));
    for (const [name, value] of Object.entries(sumCounters(items.filter(isRecent)))) {
      counters[name] = Math.max(0, (counters[name] ?? 0) - value);
    }
    return { asOf: new Date(`${hour}:00:00.000Z`), counters };
  }
  /**
   * Adds registrations per minute (`YYYY-MM-DDTHH:MM` to count), one update per UTC hour touched
   * (one, or two across the hour), into a random shard of that hour's item.
   */
  async addPerMinute(campaignId: string, perMinute: Readonly<Record<string, number>>): Promise<void> {
    const byHour = new Map<string, [string, number][]>();
    for (const [minute, count] of Object.entries(perMinute)) {
      if (count === 0 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(minute)) continue;
      const hour = minute.slice(0, 13);
      byHour.set(hour, [...(byHour.get(hour) ?? []), [`m${minute.slice(14, 16)}`, count]]);
    }
    for (const [hour, counts] of byHour) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: operationsKeys.registrationRate(campaignId, hour, Math.floor(Math.random() * STATS_SHARDS)),
          UpdateExpression: `ADD ${counts.map((_, i) => `#m${i} :m${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(counts.map(([name], i) => [`#m${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(counts.map(([, count], i) => [`:m${i}`, count])),
        }),
      );
    }
  }

  /** Registrations per minute from `from` to `to` (UTC), summed over the shards; minutes without any are absent. */
  async readPerMinute(campaignId: string, from: Date, to: Date): Promise<MinuteCount[]> {
    const totals = new Map<string, number>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': operationsKeys.registrationRatePartition(campaignId),
          ':from': `H#${from.toISOString().slice(0, 13)}`,
          ':to': `H#${to.toISOString().slice(0, 13)}#~`,
        },
      },
    );
    for await (const result of pages) {
      for (const item of result.Items ?? []) {
        const hour = String(item.sk).slice(2, 15);
        for (const [name, value] of Object.entries(item)) {
          if (!/^m\d{2}$/.test(name) || typeof value !== 'number') continue;
          const minute = `${hour}:${name.slice(1)}`;
          totals.set(minute, (totals.get(minute) ?? 0) + value);
        }
      }
    }
    const first = from.toISOString().slice(0, 16);
    const last = to.toISOString().slice(0, 16);
    return [...totals]
      .filter(([minute]) => minute >= first && minute <= last)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([minute, count]) => ({ minute, count }));
  }
}

function sumCounters(items: readonly Record<string, unknown>[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      if (typeof value === 'number') totals[name] = (totals[name] ?? 0) + value;
    }
  }
  return totals;
}
