import { type QueueId, type QueueSpec, queues, type TableId } from '@madad/adapters/resources';
import { Duration } from 'aws-cdk-lib';

export type TableAccess = 'read' | 'readWrite';

/** What one function may touch; the stack turns this into environment variables and IAM grants. */
export interface FunctionPlan {
  readonly memorySize: number;
  /** For queue consumers this is ignored: the timeout comes from the queue spec. */
  readonly timeoutSeconds?: number;
  readonly tables: Partial<Record<TableId, TableAccess>>;
  readonly sendsTo: readonly QueueId[];
  /** Whether it reads the application secrets (`MADAD_SECRETS_ARN`). */
  readonly readsSecrets: boolean;
  /**
   * Whether it reads the SMS webhook's signing key, in a secret of its own (`MADAD_SMS_WEBHOOK_SECRET_ARN`),
   * so that the function every inbound SMS invokes is not granted the application secrets.
   */
  readonly readsWebhookSecret?: boolean;
  /** Whether it reads the SMS provider's API key (its own secret, deployed with `smsProviderUrl`). */
  readonly readsSmsProviderKey?: boolean;
  /**
   * Whether it appends to (and verifies) the audit ledger: reads the ledger's MAC key and writes and
   * reads anchors in the Object Lock bucket. Other table writers get neither.
   */
  readonly appendsAudit?: boolean;
  /**
   * Whether it reads every queue's and DLQ's depth (`readQueueDepths`: GetQueueAttributes, and
   * GetQueueUrl for the DLQs), as the staff stats and dashboard do.
   */
  readonly readsQueueDepths?: boolean;
  /** Deployed only when this optional feature is configured (see `deploy-options.ts`). */
  readonly feature?: 'smsInboundTopic';
  /**
   * X-Ray tracing mode (Lambda's `TracingConfig`). Lambda samples the first invocation a second and 5%
   * of the rest, and that rate cannot be set per function. `Active` for the queue consumers, invoked
   * once a batch; `PassThrough` for the functions invoked once an SMS or request (sms-webhook,
   * sns-inbound, api): they are traced only when the caller sends a sampled trace header, which
   * neither the HTTP API nor the two-way SMS topic does. At 10,000 SMS a second 5% would be 500
   * traces a second that nobody reads; their errors and latency are in the functions' metrics, the
   * access log and the alarms.
   */
  readonly tracing: 'Active' | 'PassThrough';
}

export const functionPlans = {
  'sms-webhook': {
    memorySize: 256,
    // Checks the signature and shape, enqueues, answers: well under the HTTP API's 30 s limit.
    timeoutSeconds: 10,
    // Every inbound SMS invokes it, so it holds no table, no pepper and no staff key: a flaw in it
    // reaches nothing but the registrations queue.
    tables: {},
    sendsTo: ['registrations'],
    readsSecrets: false,
    readsWebhookSecret: true,
    tracing: 'PassThrough',
  },
  api: {
    memorySize: 256,
    // Ingest only validates and enqueues; well under the HTTP API's 30 s integration limit.
    timeoutSeconds: 10,
    // Ingest never touches the registry; staff lookups read it, and staff-approved change requests
    // (dynamic inclusion) write it.
    tables: { registry: 'readWrite', operations: 'readWrite' },
    // Registrations from the webhook; activation work when a campaign is activated; replay work;
    // the households' SMS when a payment batch is exported or its results confirmed; batch job work.
    sendsTo: ['registrations', 'activation', 'replay', 'outbound', 'batches'],
    // CNIC lookups by staff and the web forms, staff JWTs (the SMS webhook is `sms-webhook`).
    readsSecrets: true,
    // Staff actions (campaigns, appeals, change requests, payment batches) and `GET /api/v1/audit/verify`.
    appendsAudit: true,
    // Payment files: it also writes them to the files bucket (payments/ only) and signs their 5-minute
    // download links, granted by `grantPaymentFiles` (constructs/payment-files-access.ts).
    // Campaign stats and the operations page show every queue's backlog and dead letters.
    readsQueueDepths: true,
    tracing: 'PassThrough',
  },
  reconciler: {
    memorySize: 512,
    // Writes to the registry to add provisional households (dynamic inclusion) and each person's
    // decision of record, kept beside the person so one Query reads both.
    tables: { registry: 'readWrite', operations: 'readWrite' },
    sendsTo: ['outbound'],
    // Registry keys are HMACs of the CNIC.
    readsSecrets: true,
    tracing: 'Active',
  },
  'activation-worker': {
    memorySize: 512,
    // Reads the area index and members' flags; writes enrollments and counters.
    tables: { registry: 'read', operations: 'readWrite' },
    // The next page of the district, and optional top-up notices.
    sendsTo: ['activation', 'outbound'],
    readsSecrets: false,
    tracing: 'Active',
  },
  'batch-worker': {
    memorySize: 512,
    // Reads enrollments, payees (registry members and identity records) and payment history; claims
    // enrollments, writes batch headers, lines and the job's progress.
    tables: { registry: 'read', operations: 'readWrite' },
    // The district again when its time runs out (a large district goes on in the next invocation).
    sendsTo: ['batches'],
    readsSecrets: false,
    // Each batch made is audited (payment-batch.create), as when the maker makes it through the API.
    appendsAudit: true,
    tracing: 'Active',
  },
  'replay-worker': {
    memorySize: 512,
    // Reads a campaign's decisions of record on the byCampaignDecision index (Query) and replaces
    // them; reads the campaign and writes enrollments, cap shards and the replay's progress.
    tables: { registry: 'readWrite', operations: 'readWrite' },
    // The next page of its shard, and the notices of changed outcomes.
    sendsTo: ['replay', 'outbound'],
    readsSecrets: false,
    tracing: 'Active',
  },
  'sms-sender': {
    memorySize: 512,
    // No table: the aggregator deduplicates replies by their id (the client reference).
    tables: {},
    sendsTo: [],
    // Not the application secrets (the CNIC pepper is none of its business): only the provider key.
    readsSecrets: false,
    readsSmsProviderKey: true,
    tracing: 'Active',
  },
  'import-splitter': {
    // NDJSON: a window of 64 KiB around each chunk boundary (about 2,000 range reads for 15 GB). CSV:
    // the whole file once more, in 1 MiB ranges 8 at a time, to count quotes (a quoted cell may hold
    // a newline): about 3.3 ms of CPU a MiB measured, so about 50 s for 15 GB on the one vCPU that
    // 1,769 MB buys, plus the reads; 15 minutes leaves room for a 35-million-household file.
    memorySize: 1769,
    timeoutSeconds: 900,
    // Its job record (operations); the file itself through the bucket grant of the import pipeline.
    tables: { operations: 'readWrite' },
    sendsTo: ['imports'],
    readsSecrets: false,
    tracing: 'Active',
  },
  'import-worker': {
    memorySize: 1024,
    // Writes households, the CNIC index, identity records and flags (reads them for the duplicate
    // check), and counts its chunk on the job record.
    tables: { registry: 'readWrite', operations: 'readWrite' },
    sendsTo: [],
    // Registry keys are HMACs of the CNIC.
    readsSecrets: true,
    tracing: 'Active',
  },
  'sns-inbound': {
    memorySize: 256,
    // Reshapes one SNS notification and sends one SQS message.
    timeoutSeconds: 10,
    tables: {},
    sendsTo: ['registrations'],
    readsSecrets: false,
    feature: 'smsInboundTopic',
    tracing: 'PassThrough',
  },
} as const satisfies Record<string, FunctionPlan>;

export type FunctionName = keyof typeof functionPlans;

/** The queue a function consumes, if any (`consumer` in `resources.ts`). */
export function consumedQueue(name: FunctionName): QueueSpec | undefined {
  return (Object.values(queues) as QueueSpec[]).find((spec) => spec.consumer === name);
}

export function functionTimeout(name: FunctionName): Duration {
  const queue = consumedQueue(name);
  const plan: FunctionPlan = functionPlans[name];
  const seconds = queue?.consumerTimeoutSeconds ?? plan.timeoutSeconds;
  if (seconds === undefined) throw new Error(`Function ${name} has neither a queue nor a timeout`);
  return Duration.seconds(seconds);
}
