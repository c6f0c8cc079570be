import { pathToFileURL } from 'node:url';
import { queues } from '../packages/adapters/src/resources.js';
import { functionPlans } from './function-plans.js';

/**
 * What one registration costs on AWS, from the calls its code path makes (docs/cost-model.md).
 * `modelRegistrationCalls` counts them from the code as written; the benchmark can pass measured
 * counts to `costPerMillion` instead. SMS is priced apart (`smsCostPerMillion`): it dwarfs the rest.
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
  readonly source: string;
}

/** The path modelled: an SMS registration of a CNIC in the registry, in an active campaign. */
export interface RegistrationAssumptions {
  readonly reconcilerBatchSize: number;
  readonly senderBatchSize: number;
  /** Members of the applicant's household: the other members' exclusion flags are read too. */
  readonly householdMembers: number;
  readonly campaignsInForce: number;
  /** Share that enrolls (an ELIGIBLE decision writes an enrollment). */
  readonly eligibleShare: number;
  /** Share where the phone sends this CNIC for the first time (a sender-activity write). */
  readonly firstFromPhoneShare: number;
  /** Item sizes in KB (1,024 bytes), as measured on the embedded stack (docs/cost-model.md). */
  readonly itemKb: {
    readonly registration: number;
    readonly enrollment: number;
    readonly outboundSms: number;
    readonly phoneActivity: number;
    readonly statsShard: number;
    readonly rateCounter: number;
    readonly household: number;
    readonly registryKeyItem: number;
  };
  /** Billed duration, milliseconds: one api request, one reconciler batch, one sender batch. */
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

export const typicalRegistration: RegistrationAssumptions = {
  reconcilerBatchSize: queues.registrations.batchSize,
  senderBatchSize: queues.outbound.batchSize,
  householdMembers: 6,
  campaignsInForce: 1,
  eligibleShare: 1,
  firstFromPhoneShare: 1,
  itemKb: {
    registration: 0.9,
    enrollment: 0.4,
    outboundSms: 0.4,
    phoneActivity: 0.1,
    statsShard: 4,
    rateCounter: 0.1,
    household: 1.5,
    registryKeyItem: 0.2,
  },
  durationMs: { api: 20, reconcilerBatch: 250, senderBatch: 400 },
  logBytes: 900,
  tracedShare: 0.05,
};

/** On-demand write units of one write: per started KB, once more per index it projects into. */
export const writeUnits = (kb: number, indexes = 0): number => Math.ceil(kb) * (1 + indexes);

/** On-demand read units of one eventually consistent read (BatchGetItem's default): half per 4 KB. */
export const readUnits = (kb: number): number => 0.5 * Math.max(1, Math.ceil(kb / 4));

const gbSeconds = (memoryMb: number, ms: number) => (memoryMb / 1024) * (ms / 1000);

/** Every billable call of one registration, from the code path (`packages/…`, `functions/…`). */
export function modelRegistrationSteps(a: RegistrationAssumptions = typicalRegistration): CallStep[] {
  const batch = a.reconcilerBatchSize;
  const replies = a.senderBatchSize;
  // Lambda's SQS poller receives and deletes at most 10 messages a call.
  const pollerCalls = (size: number) => (2 * Math.ceil(size / 10)) / size;
  const other = a.householdMembers - 1;
  const k = a.itemKb;
  return [
    {
      stage: 'webhook',
      what: 'HTTP API request POST /sms/inbound',
      service: 'apiRequests',
      units: 1,
      source: 'infra/constructs/public-http-api.ts',
    },
    {
      stage: 'webhook',
      what: 'api invocation',
      service: 'lambdaRequests',
      units: 1,
      source: 'functions/api/handler.ts',
    },
    {
      stage: 'webhook',
      what: `api compute (${functionPlans.api.memorySize} MB x ${a.durationMs.api} ms)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans.api.memorySize, a.durationMs.api),
      source: 'functions/api/handler.ts',
    },
    {
      stage: 'webhook',
      what: 'SendMessage to the registrations queue',
      service: 'sqsRequests',
      units: 1,
      source: 'packages/api/src/routes/sms-inbound.ts',
    },
    {
      stage: 'reconciler',
      what: `invocation, shared by a batch of ${batch}`,
      service: 'lambdaRequests',
      units: 1 / batch,
      source: 'functions/reconciler/handler.ts',
    },
    {
      stage: 'reconciler',
      what: `compute (${functionPlans.reconciler.memorySize} MB x ${a.durationMs.reconcilerBatch} ms a batch)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans.reconciler.memorySize, a.durationMs.reconcilerBatch) / batch,
      source: 'functions/reconciler/handler.ts',
    },
    {
      stage: 'reconciler',
      what: 'poller ReceiveMessage and DeleteMessageBatch (10 a call)',
      service: 'sqsRequests',
      units: pollerCalls(batch),
      source: 'infra/madad-stack.ts (SqsEventSource)',
    },
    {
      stage: 'reconciler',
      what: 'registry: person, identity and exclusion items',
      service: 'dynamodbReadUnits',
      units: 3 * readUnits(k.registryKeyItem),
      source: 'packages/adapters/src/dynamodb-registry-lookup.ts',
    },
    {
      stage: 'reconciler',
      what: 'registry: the household',
      service: 'dynamodbReadUnits',
      units: readUnits(k.household),
      source: 'packages/adapters/src/dynamodb-registry-lookup.ts',
    },
    {
      stage: 'reconciler',
      what: `registry: exclusion items of the ${other} other members`,
      service: 'dynamodbReadUnits',
      units: other * readUnits(k.registryKeyItem),
      source: 'packages/adapters/src/dynamodb-registry-lookup.ts',
    },
    {
      stage: 'reconciler',
      what: 'sender activity of the phone',
      service: 'dynamodbReadUnits',
      units: readUnits(k.phoneActivity),
      source: 'packages/adapters/src/dynamodb-sender-activity.ts',
    },
    {
      stage: 'reconciler',
      what: 'existing enrollment, per campaign in force',
      service: 'dynamodbReadUnits',
      units: a.campaignsInForce * readUnits(k.enrollment),
      source: 'packages/adapters/src/dynamodb-enrollment-store.ts',
    },
    {
      stage: 'reconciler',
      what: 'sender activity update (first time this phone sends this CNIC)',
      service: 'dynamodbWriteUnits',
      units: a.firstFromPhoneShare * writeUnits(k.phoneActivity),
      source: 'packages/adapters/src/dynamodb-sender-activity.ts',
    },
    {
      stage: 'reconciler',
      what: 'registration and decision record (+ byCnic index)',
      service: 'dynamodbWriteUnits',
      units: writeUnits(k.registration, 1),
      source: 'packages/adapters/src/dynamodb-registration-store.ts',
    },
    {
      stage: 'reconciler',
      what: 'enrollment when eligible (+ byCampaign index)',
      service: 'dynamodbWriteUnits',
      units: a.eligibleShare * writeUnits(k.enrollment, 1),
      source: 'packages/adapters/src/dynamodb-enrollment-store.ts',
    },
    {
      stage: 'reconciler',
      what: 'campaign counters and per-minute rate, one update each a batch',
      service: 'dynamodbWriteUnits',
      units: (a.campaignsInForce * (writeUnits(k.statsShard) + writeUnits(k.rateCounter))) / batch,
      source: 'packages/adapters/src/dynamodb-stats.ts',
    },
    {
      stage: 'reconciler',
      what: 'SendMessage of the reply to the outbound queue',
      service: 'sqsRequests',
      units: 1,
      source: 'packages/adapters/src/sqs-queue.ts',
    },
    {
      stage: 'sms-sender',
      what: `invocation, shared by a batch of ${replies}`,
      service: 'lambdaRequests',
      units: 1 / replies,
      source: 'functions/sms-sender/handler.ts',
    },
    {
      stage: 'sms-sender',
      what: `compute (${functionPlans['sms-sender'].memorySize} MB x ${a.durationMs.senderBatch} ms a batch, mostly waiting on the provider)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans['sms-sender'].memorySize, a.durationMs.senderBatch) / replies,
      source: 'functions/sms-sender/handler.ts',
    },
    {
      stage: 'sms-sender',
      what: 'poller ReceiveMessage and DeleteMessageBatch',
      service: 'sqsRequests',
      units: pollerCalls(replies),
      source: 'infra/madad-stack.ts (SqsEventSource)',
    },
    {
      stage: 'sms-sender',
      what: 'claim the reply (conditional put) and mark it sent (update)',
      service: 'dynamodbWriteUnits',
      units: 2 * writeUnits(k.outboundSms),
      source: 'packages/adapters/src/dynamodb-outbound-log.ts',
    },
    {
      stage: 'all',
      what: 'CloudWatch Logs: access log, Lambda report lines, metrics',
      service: 'logBytes',
      units: a.logBytes,
      source: 'infra/constructs/public-http-api.ts, madad-function.ts',
    },
    {
      stage: 'all',
      what: 'X-Ray traces recorded (default sampling)',
      service: 'xrayTraces',
      units: a.tracedShare,
      source: 'infra/constructs/madad-function.ts',
    },
  ];
}

/** The steps summed per billable unit. */
export function modelRegistrationCalls(a: RegistrationAssumptions = typicalRegistration): CallCounts {
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

/** The cost table of docs/cost-model.md (`npx tsx infra/cost-model.ts` prints it). */
export function renderCostTable(cost: Cost = costPerMillion(modelRegistrationCalls())): string {
  const number = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  return [
    '| Item | Units per million registrations | Cost |',
    '| --- | ---: | ---: |',
    ...cost.lines.map(
      (line) => `| ${line.item} | ${number(line.units)} ${line.unit} | ${formatDollars(line.dollars)} |`,
    ),
    `| **Total, SMS excluded** | | **${formatDollars(cost.total)}** |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderCostTable());
}
