/**
 * The one description of Madad's tables and queues. The CDK stack (`infra/`) and the embedded local
 * stack (`@madad/local`) are both built from it, so local and cloud cannot drift.
 */

export type AttributeType = 'S' | 'N';

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface TableSpec {
  /** Logical id, used for env var names (`MADAD_TABLE_<ID>`) and local table names. */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexSpec[];
  readonly description: string;
  /**
   * Items carrying this attribute (epoch seconds) are deleted by DynamoDB some time after it passes
   * (cloud only: the embedded dynalite has no TTL). Readers still check the time themselves.
   */
  readonly timeToLiveAttribute?: string;
}

export interface QueueSpec {
  readonly id: string;
  /** Timeout of the consuming function; the visibility timeout is derived from it (6x, as AWS advises). */
  readonly consumerTimeoutSeconds: number;
  readonly batchSize: number;
  /**
   * The batch size of the embedded stack's poller, where it differs from the cloud's. The local stack
   * runs at most 4 consumers a queue on one machine, the cloud up to `maxConcurrency`: a message waits
   * about (consumers x batch) / arrival rate (Little's law), so the local batch is smaller to keep that
   * wait what it is in the cloud. The cloud ignores it.
   */
  readonly localBatchSize?: number;
  readonly maxBatchingWindowSeconds: number;
  /** Upper bound of concurrent consumers, protecting the tables during a surge. */
  readonly maxConcurrency: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  /** The function that consumes it, a folder under `functions/`. */
  readonly consumer: string;
  readonly description: string;
}

export const tables = {
  registry: {
    id: 'registry',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byDistrict', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      // Sparse: only decisions of record (`DEC#`) carry gsi3pk, a campaign's shard, for rules replay.
      { name: 'byCampaignDecision', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    ],
    description:
      'Households, the CNIC index with exclusion flags, identity records, change requests, decisions of record',
  },
  operations: {
    id: 'operations',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'byCampaign', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' }],
    description: 'Registrations, decisions, enrollments, outbound SMS, counters, campaigns, payments, audit',
    // Only the console's sessions and sign-in records set it; nothing else in the table expires.
    timeToLiveAttribute: 'expiresAtEpoch',
  },
} as const satisfies Record<string, TableSpec>;

export const queues = {
  registrations: {
    id: 'registrations',
    consumerTimeoutSeconds: 30,
    batchSize: 100,
    // 4 local consumers of 100 held 400 messages in flight at 200 SMS/s: each waited about 2 s for its
    // batch (surge p50 3.0 s, p99 4.8 s, idle 2-core machine); batches of 25 keep 100 in flight, as 50
    // cloud consumers of 100 do at 10,000 SMS/s in proportion (p50 0.37 s, p99 1.2 s, docs/performance.md).
    localBatchSize: 25,
    maxBatchingWindowSeconds: 1,
    maxConcurrency: 50,
    maxReceiveCount: 5,
    retentionDays: 14,
    consumer: 'reconciler',
    description: 'Inbound SMS and web registrations waiting for reconciliation',
  },
  outbound: {
    id: 'outbound',
    consumerTimeoutSeconds: 30,
    // One pack (the replies of a reconciled batch, up to 100) per invocation, sent ten at a time.
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 20,
    maxReceiveCount: 5,
    retentionDays: 4,
    consumer: 'sms-sender',
    description: 'SMS replies waiting for the provider, in packs of a batch',
  },
  activation: {
    id: 'activation',
    consumerTimeoutSeconds: 60,
    // Up to ten pages an invocation, expanded in parallel: more pages in flight per consumer.
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 10,
    maxReceiveCount: 5,
    retentionDays: 4,
    consumer: 'activation-worker',
    description: 'Vertical expansion work: one page of one district of an activated campaign',
  },
  replay: {
    id: 'replay',
    consumerTimeoutSeconds: 60,
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    // A replay is a rare staff action: a few pages at once, so a surge's reconciliation keeps the tables.
    maxConcurrency: 4,
    maxReceiveCount: 5,
    retentionDays: 4,
    consumer: 'replay-worker',
    description: "Rules replay with apply: one page of one shard of a campaign's decisions of record",
  },
  imports: {
    id: 'imports',
    // One chunk (8 MiB of lines by default) is read, validated and written by one invocation; five
    // minutes leaves room for throttled writes. Lower the chunk size rather than raise this.
    consumerTimeoutSeconds: 300,
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    // Each worker keeps 4 BatchWrites of 25 items in flight, so at most 64 are in flight: the bound
    // that keeps a national import from taking the registry table's throughput from a surge.
    maxConcurrency: 16,
    maxReceiveCount: 5,
    retentionDays: 4,
    consumer: 'import-worker',
    description:
      'Import work: one chunk (a byte range of whole lines) of a file uploaded to the files bucket',
  },
  batches: {
    id: 'batches',
    // A district's batches, one after another; the worker stops starting batches 2 minutes before
    // this and queues the district again, so a large district goes on in the next invocation.
    consumerTimeoutSeconds: 300,
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    // Districts made at once: each keeps 16 claims in flight, so at most 128 conditional writes.
    maxConcurrency: 8,
    maxReceiveCount: 5,
    retentionDays: 4,
    consumer: 'batch-worker',
    description: "Batch making: one district of a campaign's payment batch job",
  },
} as const satisfies Record<string, QueueSpec>;

/** A bucket of the stack; the CDK stack and the embedded S3 emulator create the same ones. */
export interface BucketSpec {
  readonly id: string;
  readonly description: string;
  /** Objects under these prefixes expire after so many days (S3 lifecycle; the emulator keeps them). */
  readonly expiry: readonly { readonly prefix: string; readonly days: number }[];
}

export const buckets = {
  files: {
    id: 'files',
    description:
      'Files in and out: uploaded registry, identity, exclusion and area files (uploads/<kind>/), their ' +
      'import rejects (rejects/) and summaries (imports/), payment files',
    // Reject files quote raw input lines (CNICs, names, phones): kept a month for correction, then gone.
    expiry: [{ prefix: 'rejects/', days: 30 }],
  },
} as const satisfies Record<string, BucketSpec>;

export type BucketId = keyof typeof buckets;

/** Environment variable that carries a bucket's name to the functions. */
export function bucketEnvName(id: BucketId): string {
  return `MADAD_BUCKET_${id.toUpperCase()}`;
}

export type TableId = keyof typeof tables;
export type QueueId = keyof typeof queues;

/** Visibility timeout derived in one place from the consumer timeout. */
export function visibilityTimeoutSeconds(queue: QueueSpec): number {
  return queue.consumerTimeoutSeconds * 6;
}

export function deadLetterQueueId(queue: QueueSpec): string {
  return `${queue.id}-dlq`;
}

/** Environment variable that carries a table's name to the functions. */
export function tableEnvName(id: TableId): string {
  return `MADAD_TABLE_${id.toUpperCase()}`;
}

/** Environment variable that carries a queue's URL to the functions. */
export function queueEnvName(id: QueueId): string {
  return `MADAD_QUEUE_${id.toUpperCase()}_URL`;
}
