import type {
  Decision,
  DecisionOfRecord,
  ReplayDecisionsPort,
  ReplayJob,
  ReplayJobStore,
  ReplayShard,
  ReplayWork,
  ReplayWorkDeps,
} from '@madad/core';
import { replayWorkPage, STATS_SHARDS } from '@madad/core';

/**
 * A campaign's decisions of record in memory, paged per shard as the index pages them (a numeric
 * cursor), with the adapter's conditional replace (only from the version it replaces).
 */
export function memoryReplayDecisions(records: DecisionOfRecord[]): ReplayDecisionsPort & {
  readonly records: DecisionOfRecord[];
  readonly pagesRead: number[];
} {
  const shardOf = (record: DecisionOfRecord) => records.indexOf(record) % STATS_SHARDS;
  const pagesRead: number[] = [];
  return {
    records,
    pagesRead,
    async decisionsPage(campaignId, shard, cursor, limit = 1000) {
      const all = records.filter((r) => r.campaignId === campaignId && shardOf(r) === shard);
      const from = typeof cursor?.at === 'number' ? cursor.at : 0;
      const items = all.slice(from, from + limit).map((r) => ({ ...r }));
      pagesRead.push(items.length);
      return from + limit < all.length ? { items, cursor: { at: from + limit } } : { items };
    },
    async replaceDecision(record: DecisionOfRecord, decision: Decision, previous: Decision) {
      const i = records.findIndex(
        (r) => r.cnicHash === record.cnicHash && r.campaignId === record.campaignId,
      );
      const current = records[i];
      if (!current || current.decision.ruleSetVersion !== previous.ruleSetVersion)
        throw new Error('ConditionalCheckFailed: replaced meanwhile');
      records[i] = { ...current, decision };
    },
  };
}

/** Replay jobs in memory with the store's conditions (a page recorded only from the page before). */
export function memoryReplayJobs(): ReplayJobStore & { readonly jobs: Map<string, ReplayJob> } {
  const jobs = new Map<string, ReplayJob>();
  const withShard = (version: string, shard: number, change: (s: ReplayShard) => ReplayShard) => {
    const job = jobs.get(version);
    if (!job) throw new Error(`No replay ${version}`);
    jobs.set(version, { ...job, shards: job.shards.map((s) => (s.shard === shard ? change(s) : s)) });
  };
  return {
    jobs,
    async create(job, shards) {
      if (jobs.has(job.ruleSetVersion)) return;
      const empty = { page: 0, done: false, nextQueued: true };
      const tally = { examined: 0, unchanged: 0, changes: {}, notified: 0 };
      jobs.set(job.ruleSetVersion, {
        ...job,
        shards: Array.from({ length: shards }, (_, shard) => ({ shard, ...empty, tally })),
      });
    },
    async read(campaignId, version) {
      const job = jobs.get(version);
      return job?.campaignId === campaignId ? structuredClone(job) : undefined;
    },
    async recordPage(_campaignId, version, next, fromPage) {
      const current = jobs.get(version)?.shards.find((s) => s.shard === next.shard);
      if (!current || current.page !== fromPage || current.done) return false;
      withShard(version, next.shard, () => next);
      return true;
    },
    async markNextQueued(_campaignId, version, shard, page) {
      withShard(version, shard, (s) => (s.page === page ? { ...s, nextQueued: true } : s));
    },
  };
}

/**
 * The replay queue in memory: `drain` delivers each item to the worker until none is left; an item
 * whose handling throws stays first on the queue, as an unacknowledged SQS message is delivered again.
 */
export function memoryReplayQueue(): {
  readonly items: ReplayWork[];
  readonly delivered: ReplayWork[];
  enqueueAll(items: readonly ReplayWork[]): Promise<void>;
  drain(deps: ReplayWorkDeps): Promise<void>;
} {
  const items: ReplayWork[] = [];
  const delivered: ReplayWork[] = [];
  return {
    items,
    delivered,
    async enqueueAll(next) {
      items.push(...next.map((item) => ({ ...item })));
    },
    async drain(deps) {
      for (let item = items.shift(); item; item = items.shift()) {
        delivered.push(item);
        try {
          await replayWorkPage(deps, item);
        } catch (error) {
          // Not acknowledged: SQS delivers it again (the next drain).
          items.unshift(item);
          throw error;
        }
      }
    },
  };
}
