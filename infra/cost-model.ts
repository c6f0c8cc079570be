import { pathToFileURL } from 'node:url';
import { queues } from '../packages/adapters/src/resources.js';
import { functionPlans } from './function-plans.js';

/**
 * What one registration costs on AWS, from the calls its code path makes (docs/cost-model.md).
 * `modelRegistrationSteps` lists them from the code as written, for a unique registration and for a
 * repeat (`uniqueRegistration`, `repeatRegistration`); `modelledCalls` sums them and blends the 2020
 * mix. The benchmark can pass measured counts to `costPerMillion` instead. SMS is priced apart
 * (`smsCostPerMillion`): it dwarfs the rest.
 */

/** List prices, us-east-1, in US dollars. Check them before budgeting: AWS changes prices. */
export interface PriceList {
  readonly asOf: string;
  readonly region: string;
  /** HTTP API, first 300 million requests a month (each up to 512 KB). */
  readonly apiGatewayHttpPerMillionRequests: number;
  readonly lambdaArmPerGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  /** Standard queues, each 64 KB chunk of a request counts as one request. */
  readonly sqsPerMillionRequests: number;
  /** On-demand; the prices of the 1 November 2024 reduction. */
  readonly dynamodbPerMillionWriteUnits: number;
  readonly dynamodbPerMillionReadUnits: number;
  readonly cloudWatchLogsPerGbIngested: number;
  readonly xrayPerMillionTracesRecorded: number;
}

export const listPrices: PriceList = {
  asOf: '2024-11-01',
  region: 'us-east-1',
  apiGatewayHttpPerMillionRequests: 1.0,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  dynamodbPerMillionWriteUnits: 0.625,
  dynamodbPerMillionReadUnits: 0.125,
  cloudWatchLogsPerGbIngested: 0.5,
  xrayPerMillionTracesRecorded: 5.0,
};

/** Billable units one registration uses, on average. */
export interface CallCounts {
  readonly apiRequests: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly sqsRequests: number;
  readonly dynamodbReadUnits: number;
  readonly dynamodbWriteUnits: number;
  readonly logBytes: number;
  readonly xrayTraces: number;
}

type Service = keyof CallCounts;

/** One call on the path, with where the code makes it, so the doc can show the count's origin. */
export interface CallStep {
  readonly stage: 'webhook' | 'reconciler' | 'sms-sender' | 'all';
  readonly what: string;
  readonly service: Service;
  /** Units per registration. */
  readonly units: number;
  /** The file that makes the call (or configures it), relative to the repository root. */
  readonly source: string;
  /** Made once per batch (or per campaign per batch) and shared by the batch's registrations. */
  readonly perBatch: boolean;
  /** KB read or written, where the size sets the units. */
  readonly kb?: number;
}

/**
 * The path modelled: an SMS registration of a CNIC in the registry, in an active campaign, from a phone
 * under a third of its hourly allowance. Two sets below: a unique registration and a repeat.
 */
export interface RegistrationAssumptions {
  readonly reconcilerBatchSize: number;
  readonly senderBatchSize: number;
  readonly campaignsInForce: number;
  /** Share that enrolls (an ELIGIBLE decision writes an enrollment): a repeat never does. */
  readonly eligibleShare: number;
  /**
   * Share that writes the person's decision of record: a person's first registration in a campaign,
   * or a changed outcome. A repeat with the same outcome writes none.
   */
  readonly newDecisionShare: number;
  /**
   * Share from a phone past a third of its hourly allowance (`EXACT_TALLY_SHARE`): one counter update
   * per busy phone and hour a batch. 0 for the modelled path: an honest phone never gets there.
   */
  readonly busyPhoneShare: number;
  /** Decisions of record already in the person's partition (one per campaign decided). */
  readonly decisionsOfRecord: number;
  /** Message records already in the phone's partition, read whole by the phone's Query. */
  readonly phoneMessagesBefore: number;
  /**
   * Item sizes in KB (1,024 bytes): the record, enrollment, IDENTITY and EXCLUSIONS as measured on the
   * embedded stack, the others estimated (docs/cost-model.md).
   */
  readonly itemKb: {
    /** A registration record, with its decision and English reply: also the phone's message record. */
    readonly registration: number;
    readonly decisionOfRecord: number;
    readonly enrollment: number;
    /** PERSON with the household snapshot and the members' exclusion flags (under 1 KB by design). */
    readonly person: number;
    /** IDENTITY and EXCLUSIONS items. */
    readonly registryKeyItem: number;
    readonly statsShard: number;
    readonly rateCounter: number;
    readonly phoneHourCounter: number;
  };
  /** Billed duration, milliseconds (estimates): one api request, one reconciler batch, one sender batch. */
  readonly durationMs: {
    readonly api: number;
    readonly reconcilerBatch: number;
    readonly senderBatch: number;
  };
  /** CloudWatch Logs per registration: access log, Lambda START/END/REPORT, metrics. */
  readonly logBytes: number;
  /** X-Ray's default rule records the first request a second and 5% of the rest. */
  readonly tracedShare: number;
}

/** A person's first registration in the campaign, decided ELIGIBLE: every write happens (the upper end). */
export const uniqueRegistration: RegistrationAssumptions = {
  reconcilerBatchSize: queues.registrations.batchSize,
  senderBatchSize: queues.outbound.batchSize,
  campaignsInForce: 1,
  eligibleShare: 1,
  newDecisionShare: 1,
  busyPhoneShare: 0,
  decisionsOfRecord: 0,
  phoneMessagesBefore: 2,
  itemKb: {
    registration: 0.9,
    decisionOfRecord: 0.6,
    enrollment: 0.4,
    person: 1.0,
    registryKeyItem: 0.2,
    statsShard: 4,
    rateCounter: 0.1,
    phoneHourCounter: 0.1,
  },
  durationMs: { api: 20, reconcilerBatch: 400, senderBatch: 400 },
  logBytes: 900,
  tracedShare: 0.05,
};

/** The same CNIC again (same outcome, the household enrolled already): only its own record is written. */
export const repeatRegistration: RegistrationAssumptions = {
  ...uniqueRegistration,
  eligibleShare: 0,
  newDecisionShare: 0,
  decisionsOfRecord: 1,
  phoneMessagesBefore: 4,
};

/** The default path priced (`modelRegistrationCalls()`), kept under its old name for the benchmark. */
export const typicalRegistration: RegistrationAssumptions = uniqueRegistration;

/** 2020: 1.46 billion SMS carried 48.2 million unique requests; the rest were repeats. */
export const UNIQUE_SHARE_2020 = 48.2e6 / 1.46e9;

/** On-demand write units of one write: per started KB, once more per index it projects into. */
export const writeUnits = (kb: number, indexes = 0): number => Math.ceil(kb) * (1 + indexes);

/**
 * On-demand read units of one eventually consistent read (a Query's items summed, or one item): half
 * per started 4 KB, and half a unit even when nothing is found.
 */
export const readUnits = (kb: number): number => 0.5 * Math.max(1, Math.ceil(kb / 4));

const gbSeconds = (memoryMb: number, ms: number) => (memoryMb / 1024) * (ms / 1000);

/** Every billable call of one registration, from the code path (`packages/…`, `functions/…`). */
export function modelRegistrationSteps(a: RegistrationAssumptions = uniqueRegistration): CallStep[] {
  const batch = a.reconcilerBatchSize;
  const replies = a.senderBatchSize;
  // Lambda's SQS poller receives and deletes at most 10 messages a call.
  const pollerCalls = (size: number) => (2 * Math.ceil(size / 10)) / size;
  const k = a.itemKb;
  const partitionKb = k.person + 2 * k.registryKeyItem + a.decisionsOfRecord * k.decisionOfRecord;
  const phoneKb = a.phoneMessagesBefore * k.registration;
  return [
    {
      stage: 'webhook',
      what: 'HTTP API request `POST /sms/inbound`',
      service: 'apiRequests',
      units: 1,
      source: 'infra/constructs/public-http-api.ts',
      perBatch: false,
    },
    {
      stage: 'webhook',
      what: 'api invocation (one request each on Lambda)',
      service: 'lambdaRequests',
      units: 1,
      source: 'functions/api/handler.ts',
      perBatch: false,
    },
    {
      stage: 'webhook',
      what: `api compute (${functionPlans.api.memorySize} MB x ${a.durationMs.api} ms)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans.api.memorySize, a.durationMs.api),
      source: 'functions/api/handler.ts',
      perBatch: false,
    },
    {
      stage: 'webhook',
      what: '`SendMessage` to the registrations queue (one request per invocation: nothing to batch with)',
      service: 'sqsRequests',
      units: 1,
      source: 'packages/api/src/routes/sms-inbound.ts',
      perBatch: false,
    },
    {
      stage: 'reconciler',
      what: `invocation, shared by a batch of ${batch}`,
      service: 'lambdaRequests',
      units: 1 / batch,
      source: 'functions/reconciler/handler.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: `compute (${functionPlans.reconciler.memorySize} MB x ${a.durationMs.reconcilerBatch} ms a batch)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans.reconciler.memorySize, a.durationMs.reconcilerBatch) / batch,
      source: 'functions/reconciler/handler.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: "Lambda's poller: `ReceiveMessage` and `DeleteMessageBatch`, 10 a call",
      service: 'sqsRequests',
      units: pollerCalls(batch),
      source: 'infra/madad-stack.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: "`Query` of the applicant's partition `CNIC#<hash>`: PERSON with the household snapshot and the members' flags, IDENTITY, EXCLUSIONS, the person's decisions of record",
      service: 'dynamodbReadUnits',
      units: readUnits(partitionKb),
      source: 'packages/adapters/src/dynamodb-registry-lookup.ts',
      perBatch: false,
      kb: partitionKb,
    },
    {
      stage: 'reconciler',
      what: "`Query` of the phone's message records `PHONE#<phone>` (its hourly tally and the CNICs it sent)",
      service: 'dynamodbReadUnits',
      units: readUnits(phoneKb),
      source: 'packages/adapters/src/dynamodb-registration-store.ts',
      perBatch: false,
      kb: phoneKb,
    },
    {
      stage: 'reconciler',
      what: "`UpdateItem`: a busy phone's hourly counter (past a third of its allowance)",
      service: 'dynamodbWriteUnits',
      units: a.busyPhoneShare * writeUnits(k.phoneHourCounter),
      source: 'packages/adapters/src/dynamodb-registration-store.ts',
      perBatch: false,
      kb: k.phoneHourCounter,
    },
    {
      stage: 'reconciler',
      what: "`PutItem`: the registration record in the phone's partition (no index)",
      service: 'dynamodbWriteUnits',
      units: writeUnits(k.registration),
      source: 'packages/adapters/src/dynamodb-registration-store.ts',
      perBatch: false,
      kb: k.registration,
    },
    {
      stage: 'reconciler',
      what: "`PutItem`: the person's decision of record `DEC#<campaign>` in the registry (no index; new or changed outcome only)",
      service: 'dynamodbWriteUnits',
      units: a.newDecisionShare * writeUnits(k.decisionOfRecord),
      source: 'packages/adapters/src/dynamodb-decision-records.ts',
      perBatch: false,
      kb: k.decisionOfRecord,
    },
    {
      stage: 'reconciler',
      what: '`PutItem`: enrollment when eligible (+ `byCampaign` index)',
      service: 'dynamodbWriteUnits',
      units: a.eligibleShare * writeUnits(k.enrollment, 1),
      source: 'packages/adapters/src/dynamodb-enrollment-store.ts',
      perBatch: false,
      kb: k.enrollment,
    },
    {
      stage: 'reconciler',
      what: '`UpdateItem`: campaign counter shard and per-minute rate, once per campaign a batch',
      service: 'dynamodbWriteUnits',
      units: (a.campaignsInForce * (writeUnits(k.statsShard) + writeUnits(k.rateCounter))) / batch,
      source: 'packages/adapters/src/dynamodb-stats.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: "`SendMessageBatch` of the batch's replies to the outbound queue, 10 a request",
      service: 'sqsRequests',
      units: Math.ceil(batch / 10) / batch,
      source: 'packages/adapters/src/sqs-queue.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: `invocation, shared by a batch of ${replies}`,
      service: 'lambdaRequests',
      units: 1 / replies,
      source: 'functions/sms-sender/handler.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: `compute (${functionPlans['sms-sender'].memorySize} MB x ${a.durationMs.senderBatch} ms a batch, mostly waiting on the provider)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans['sms-sender'].memorySize, a.durationMs.senderBatch) / replies,
      source: 'functions/sms-sender/handler.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: "Lambda's poller: `ReceiveMessage` and `DeleteMessageBatch`, 10 a call",
      service: 'sqsRequests',
      units: pollerCalls(replies),
      source: 'infra/madad-stack.ts',
      perBatch: true,
    },
    {
      stage: 'all',
      what: 'CloudWatch Logs: access log, Lambda START/END/REPORT lines, metrics (bytes)',
      service: 'logBytes',
      units: a.logBytes,
      source: 'infra/constructs/madad-function.ts',
      perBatch: false,
    },
    {
      stage: 'all',
      what: 'X-Ray traces recorded (default sampling: 1 a second, then 5%)',
      service: 'xrayTraces',
      units: a.tracedShare,
      source: 'infra/constructs/madad-function.ts',
      perBatch: false,
    },
  ];
}

/** The steps summed per billable unit. */
export function modelRegistrationCalls(a: RegistrationAssumptions = uniqueRegistration): CallCounts {
  const totals: Record<Service, number> = {
    apiRequests: 0,
    lambdaRequests: 0,
    lambdaGbSeconds: 0,
    sqsRequests: 0,
    dynamodbReadUnits: 0,
    dynamodbWriteUnits: 0,
    logBytes: 0,
    xrayTraces: 0,
  };
  for (const step of modelRegistrationSteps(a)) totals[step.service] += step.units;
  return totals;
}

/** Counts of a mix: `shareOfA` of registrations like `a`, the rest like `b`. */
export function blendCalls(a: CallCounts, b: CallCounts, shareOfA: number): CallCounts {
  const mixed = {} as Record<Service, number>;
  for (const key of Object.keys(a) as Service[]) mixed[key] = shareOfA * a[key] + (1 - shareOfA) * b[key];
  return mixed;
}

/** The three priced cases: a unique registration, a repeat, and the 2020 mix of the two. */
export function modelledCalls(): { unique: CallCounts; repeat: CallCounts; mix2020: CallCounts } {
  const unique = modelRegistrationCalls(uniqueRegistration);
  const repeat = modelRegistrationCalls(repeatRegistration);
  return { unique, repeat, mix2020: blendCalls(unique, repeat, UNIQUE_SHARE_2020) };
}

export interface CostLine {
  readonly item: string;
  /** Units a million registrations use. */
  readonly units: number;
  readonly unit: string;
  readonly dollars: number;
}

export interface Cost {
  readonly lines: readonly CostLine[];
  /** US dollars per million registrations, SMS excluded. */
  readonly total: number;
}

/** Dollars per million registrations for the given per-registration counts (modelled or measured). */
export function costPerMillion(calls: CallCounts, prices: PriceList = listPrices): Cost {
  const million = 1_000_000;
  const lines: CostLine[] = [
    {
      item: 'API Gateway HTTP API requests',
      units: calls.apiRequests * million,
      unit: 'requests',
      dollars: calls.apiRequests * prices.apiGatewayHttpPerMillionRequests,
    },
    {
      item: 'Lambda requests',
      units: calls.lambdaRequests * million,
      unit: 'requests',
      dollars: calls.lambdaRequests * prices.lambdaPerMillionRequests,
    },
    {
      item: 'Lambda compute (arm64)',
      units: calls.lambdaGbSeconds * million,
      unit: 'GB-seconds',
      dollars: calls.lambdaGbSeconds * million * prices.lambdaArmPerGbSecond,
    },
    {
      item: 'SQS requests',
      units: calls.sqsRequests * million,
      unit: 'requests',
      dollars: calls.sqsRequests * prices.sqsPerMillionRequests,
    },
    {
      item: 'DynamoDB reads (on-demand)',
      units: calls.dynamodbReadUnits * million,
      unit: 'read units',
      dollars: calls.dynamodbReadUnits * prices.dynamodbPerMillionReadUnits,
    },
    {
      item: 'DynamoDB writes (on-demand)',
      units: calls.dynamodbWriteUnits * million,
      unit: 'write units',
      dollars: calls.dynamodbWriteUnits * prices.dynamodbPerMillionWriteUnits,
    },
    {
      item: 'CloudWatch Logs ingestion',
      units: (calls.logBytes * million) / 1024 ** 3,
      unit: 'GB',
      dollars: ((calls.logBytes * million) / 1024 ** 3) * prices.cloudWatchLogsPerGbIngested,
    },
    {
      item: 'X-Ray traces',
      units: calls.xrayTraces * million,
      unit: 'traces',
      dollars: calls.xrayTraces * prices.xrayPerMillionTracesRecorded,
    },
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.dollars, 0) };
}

/** SMS, apart: one reply per registration, priced per segment by the aggregator or End User Messaging. */
export function smsCostPerMillion(options: { segmentsPerReply: number; dollarsPerSegment: number }): number {
  return 1_000_000 * options.segmentsPerReply * options.dollarsPerSegment;
}

export const formatDollars = (value: number): string => `$${value.toFixed(2)}`;

const plain = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** The cost tables of docs/cost-model.md (`npx tsx infra/cost-model.ts` prints them). */
export function renderCostTable(
  columns: readonly { label: string; cost: Cost }[] = [
    { label: 'Unique', cost: costPerMillion(modelledCalls().unique) },
    { label: 'Repeat', cost: costPerMillion(modelledCalls().repeat) },
    { label: '2020 mix', cost: costPerMillion(modelledCalls().mix2020) },
  ],
): string {
  const first = columns[0]?.cost.lines ?? [];
  return [
    `| Item | ${columns.map((c) => `${c.label}: units | ${c.label}`).join(' | ')} |`,
    `| --- |${' ---: | ---: |'.repeat(columns.length)}`,
    ...first.map((line, i) => {
      const cells = columns.map(({ cost }) => {
        const own = cost.lines[i] ?? line;
        return `${plain(own.units)} ${own.unit} | ${formatDollars(own.dollars)}`;
      });
      return `| ${line.item} | ${cells.join(' | ')} |`;
    }),
    `| **Total, SMS excluded** | ${columns.map((c) => `| **${formatDollars(c.cost.total)}**`).join(' | ')} |`,
  ].join('\n');
}

const unitNames: Record<Service, readonly [string, string]> = {
  apiRequests: ['request', 'requests'],
  lambdaRequests: ['invocation', 'invocations'],
  lambdaGbSeconds: ['GB-s', 'GB-s'],
  sqsRequests: ['SQS request', 'SQS requests'],
  dynamodbReadUnits: ['read unit', 'read units'],
  dynamodbWriteUnits: ['write unit', 'write units'],
  logBytes: ['bytes', 'bytes'],
  xrayTraces: ['trace', 'traces'],
};

/** The per-step table of docs/cost-model.md: each call's units for a unique registration and a repeat. */
export function renderStepTable(
  unique: RegistrationAssumptions = uniqueRegistration,
  repeat: RegistrationAssumptions = repeatRegistration,
): string {
  const repeats = modelRegistrationSteps(repeat);
  const units = (step: CallStep) => {
    if (step.units === 0) return '0';
    const [one, many] = unitNames[step.service];
    const size = step.kb === undefined ? '' : ` (${step.kb.toFixed(1)} KB)`;
    return `${Number(step.units.toPrecision(3))} ${step.units === 1 ? one : many}${size}`;
  };
  return [
    '| Stage | Call | Unique | Repeat | Where |',
    '| --- | --- | ---: | ---: | --- |',
    ...modelRegistrationSteps(unique).map((step, i) => {
      const other = repeats[i] ?? step;
      return `| ${step.stage} | ${step.what} | ${units(step)} | ${units(other)} | \`${step.source}\` |`;
    }),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`${renderStepTable()}\n\n${renderCostTable()}`);
}
