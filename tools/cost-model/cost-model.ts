import { pathToFileURL } from 'node:url';
import { queues } from '@madad/adapters';
import { type FunctionName, type FunctionPlan, functionPlans } from '@madad/infra/function-plans';

/**
 * What one registration costs on AWS, from the calls its code path makes (docs/cost-model.md).
 * `modelRegistrationSteps` lists them from the code as written, for a unique registration and for a
 * repeat (`uniqueRegistration`, `repeatRegistration`), through either intake (`IntakePath`: the
 * aggregator's webhook or End User Messaging's two-way SMS topic); `modelledCalls` sums them and blends
 * the 2020 mix. The benchmark can pass measured counts to `costPerMillion` instead. SMS is priced apart
 * (`smsCostPerMillion`): it dwarfs the rest.
 */

/** List prices, us-east-1, in US dollars. Check them before budgeting: AWS changes prices. */
export interface PriceList {
  readonly asOf: string;
  readonly region: string;
  /** HTTP API, first 300 million requests a month (each up to 512 KB). */
  readonly apiGatewayHttpPerMillionRequests: number;
  /**
   * SNS standard topics, per million requests (a `Publish` each, per 64 KB chunk); deliveries to Lambda
   * functions are not charged, only data transfer, which stays in the region here.
   * https://aws.amazon.com/sns/pricing/ (the $0.50 was checked against third-party summaries of that
   * page, e.g. factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols, June 2026; the
   * free Lambda delivery is as the pricing page states it, not re-checked online).
   */
  readonly snsPerMillionRequests: number;
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
  snsPerMillionRequests: 0.5,
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
  readonly snsPublishes: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly sqsRequests: number;
  readonly dynamodbReadUnits: number;
  readonly dynamodbWriteUnits: number;
  readonly logBytes: number;
  readonly xrayTraces: number;
}

type Service = keyof CallCounts;

/**
 * How an SMS reaches the registrations queue: the aggregator's webhook (`POST /sms/inbound` on the HTTP
 * API, the api function) or AWS End User Messaging's two-way SMS, published to an SNS topic that
 * invokes the sns-inbound function (context `smsInboundTopic`). Both queue the same message.
 */
export type IntakePath = 'webhook' | 'sns';

export const intakePaths: Readonly<Record<IntakePath, string>> = {
  webhook: 'SMS aggregator webhook (HTTP API)',
  sns: 'End User Messaging two-way SMS (SNS topic)',
};

/** One call on the path, with where the code makes it, so the doc can show the count's origin. */
export interface CallStep {
  readonly stage: 'webhook' | 'sns-inbound' | 'reconciler' | 'sms-sender';
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
  /**
   * Outbound messages an sms-sender invocation takes. Each is a pack: the replies of a reconciled batch
   * in one message (`SqsReplyQueue`, split only past 200 KiB or 500 replies).
   */
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
   * Share that updates its phone's hourly counter: one update per phone and hour a batch, so 1 for an
   * honest phone (alone in its batch) and less for a flood (several of its messages share a batch).
   */
  readonly phoneCounterShare: number;
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
    /** The CNIC's phones in a campaign (one small attribute a phone), for `phonesPerCnic`. */
    readonly cnicPhones: number;
    /** A reply as queued (id, phone, text, reference, times): 0.36 KB in English, 0.41 in Urdu. */
    readonly reply: number;
  };
  /**
   * Billed duration, milliseconds (estimates): one sms-webhook request, one sns-inbound notification, one
   * reconciler batch, one sender pack (a batch's replies in one bulk request to the aggregator).
   */
  readonly durationMs: {
    readonly smsWebhook: number;
    readonly snsInbound: number;
    readonly reconcilerBatch: number;
    readonly senderPack: number;
  };
  /**
   * CloudWatch Logs bytes (UTF-8) of each line that remains under Lambda's advanced logging controls
   * (`madad-function.ts`: system logs at WARN, so no START/END/REPORT; application logs at INFO). What
   * is left per registration (docs/cost-model.md, "Logs"):
   * - webhook: the HTTP API's access log line (`accessLogLine`, about 280 bytes). The sms-webhook
   *   function itself writes nothing for an accepted SMS: no logger in `functions/sms-webhook/handler.ts`
   *   or the routes of `packages/api`, only `console.error` for a 500.
   * - sns-inbound: its INFO line 'Queued inbound SMS' per notification (`snsInboundLine`, about 550
   *   bytes: Powertools Logger adds the Lambda context, function name and ARN, and the trace id).
   * - reconciler: per batch of 100, one embedded-metric-format line of the decisions metric per status
   *   in the batch (`decisionMetricLine` x `decisionStatusesPerBatch`), about 9 bytes a registration;
   *   its only other line is an ERROR for an unreadable message.
   * - sms-sender: nothing at INFO ('Reply delivered' is DEBUG).
   * Each size is checked against the code that writes it (test/tools/cost-model.test.ts). CloudWatch
   * bills ingested bytes; its `IncomingBytes` metric per log group is the figure to compare on AWS.
   */
  readonly logBytes: {
    readonly accessLogLine: number;
    readonly snsInboundLine: number;
    readonly decisionMetricLine: number;
  };
  /** Distinct decision statuses in a reconciler batch: one EMF line each. */
  readonly decisionStatusesPerBatch: number;
  /**
   * Share of an actively traced function's invocations that X-Ray records: Lambda samples 5% (and the
   * first invocation each second, a fixed cost of at most one trace a second per function, priced with
   * the fixed costs in docs/cost-model.md). Only the queue consumers are traced actively, once a batch;
   * the per-SMS functions pass through (`FunctionPlan.tracing`).
   */
  readonly tracedShare: number;
}

/**
 * The HTTP API's access log line for an accepted SMS, with typical values, in the format of
 * `infra/constructs/public-http-api.ts` (the same keys in the same order: test/tools/cost-model.test.ts
 * reads the format from the synthesized stage). API Gateway writes `-` for an empty variable; the
 * response is `{"status":"queued","messageId":…}` with a 36-character id, 70 bytes.
 */
export const typicalAccessLog = {
  requestId: 'Fq1a2b3cPcwEMEw=',
  requestTime: '25/Nov/2026:11:00:00 +0000',
  sourceIp: '203.0.113.17',
  routeKey: 'POST /sms/inbound',
  path: '/sms/inbound',
  status: '200',
  responseLength: '70',
  latencyMs: '24',
  integrationLatencyMs: '21',
  integrationError: '-',
  authorizerError: '-',
} as const;

/** Bytes of a log line as CloudWatch Logs ingests it (UTF-8). */
export const utf8Bytes = (line: string): number => new TextEncoder().encode(line).length;

/** A person's first registration in the campaign, decided ELIGIBLE: every write happens (the upper end). */
export const uniqueRegistration: RegistrationAssumptions = {
  reconcilerBatchSize: queues.registrations.batchSize,
  senderBatchSize: queues.outbound.batchSize,
  campaignsInForce: 1,
  eligibleShare: 1,
  newDecisionShare: 1,
  phoneCounterShare: 1,
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
    cnicPhones: 0.1,
    reply: 0.4,
  },
  // sns-inbound does less than the sms-webhook: the same zod parse and one SQS round trip, but no HTTP routing,
  // no signature check and no response to render.
  // The sender hands its pack of 100 to the aggregator in one bulk request (`sendMany`), mostly waiting.
  durationMs: { smsWebhook: 20, snsInbound: 15, reconcilerBatch: 400, senderPack: 600 },
  logBytes: {
    accessLogLine: utf8Bytes(JSON.stringify(typicalAccessLog)),
    // As Powertools Logger 2.36 writes it, with a 50-character function name (checked by the test).
    snsInboundLine: 554,
    // One Decisions metric line of the reconciler (Powertools Metrics, service and status dimensions).
    decisionMetricLine: 226,
  },
  // A 2020-like batch: mostly DUPLICATE, some ELIGIBLE, NOT_ELIGIBLE, INVALID_REQUEST (9 possible).
  decisionStatusesPerBatch: 4,
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

/** What one outbound pack may hold (`SqsReplyQueue`: 200 KiB of replies, at most 500). */
const PACK_LIMITS = { kb: 200, replies: 500 } as const;

/** Traces an invocation of `name` records: Lambda's sample when it is actively traced, else none. */
function traces(a: RegistrationAssumptions, name: FunctionName, invocations: number): number {
  const plan: FunctionPlan = functionPlans[name];
  return plan.tracing === 'Active' ? a.tracedShare * invocations : 0;
}

/** The calls that put one SMS on the registrations queue, by intake path. */
export function intakeSteps(intake: IntakePath, a: RegistrationAssumptions = uniqueRegistration): CallStep[] {
  if (intake === 'sns') {
    return [
      {
        stage: 'sns-inbound',
        what: 'SNS `Publish` of the SMS by End User Messaging to the two-way topic (delivery to Lambda: no charge)',
        service: 'snsPublishes',
        units: 1,
        source: 'infra/constructs/sms-inbound-topic.ts',
        perBatch: false,
      },
      {
        stage: 'sns-inbound',
        what: 'sns-inbound invocation (SNS invokes with one record)',
        service: 'lambdaRequests',
        units: 1,
        source: 'functions/sns-inbound/handler.ts',
        perBatch: false,
      },
      {
        stage: 'sns-inbound',
        what: `sns-inbound compute (${functionPlans['sns-inbound'].memorySize} MB x ${a.durationMs.snsInbound} ms)`,
        service: 'lambdaGbSeconds',
        units: gbSeconds(functionPlans['sns-inbound'].memorySize, a.durationMs.snsInbound),
        source: 'functions/sns-inbound/handler.ts',
        perBatch: false,
      },
      {
        stage: 'sns-inbound',
        what: '`SendMessageBatch` of its one message to the registrations queue (`sendAll`)',
        service: 'sqsRequests',
        units: 1,
        source: 'functions/sns-inbound/handler.ts',
        perBatch: false,
      },
      {
        stage: 'sns-inbound',
        what: "CloudWatch Logs: its INFO line 'Queued inbound SMS' (START/END/REPORT dropped)",
        service: 'logBytes',
        units: a.logBytes.snsInboundLine,
        source: 'functions/sns-inbound/handler.ts',
        perBatch: false,
      },
      {
        stage: 'sns-inbound',
        what: 'X-Ray: pass-through, and the topic sends no sampled trace header',
        service: 'xrayTraces',
        units: traces(a, 'sns-inbound', 1),
        source: 'infra/function-plans.ts',
        perBatch: false,
      },
    ];
  }
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
      what: 'sms-webhook invocation (one request each on Lambda)',
      service: 'lambdaRequests',
      units: 1,
      source: 'functions/sms-webhook/handler.ts',
      perBatch: false,
    },
    {
      stage: 'webhook',
      what: `sms-webhook compute (${functionPlans['sms-webhook'].memorySize} MB x ${a.durationMs.smsWebhook} ms)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans['sms-webhook'].memorySize, a.durationMs.smsWebhook),
      source: 'functions/sms-webhook/handler.ts',
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
      stage: 'webhook',
      what: 'CloudWatch Logs: the access log line (the webhook writes none at INFO; START/END/REPORT dropped)',
      service: 'logBytes',
      units: a.logBytes.accessLogLine,
      source: 'infra/constructs/public-http-api.ts',
      perBatch: false,
    },
    {
      stage: 'webhook',
      what: 'X-Ray: pass-through, and the HTTP API sends no trace header',
      service: 'xrayTraces',
      units: traces(a, 'sms-webhook', 1),
      source: 'infra/function-plans.ts',
      perBatch: false,
    },
  ];
}

/** The calls after the queue, the same for both intakes: the reconciler's and the sender's. */
export function reconciliationSteps(a: RegistrationAssumptions = uniqueRegistration): CallStep[] {
  const batch = a.reconcilerBatchSize;
  // Lambda's SQS poller receives and deletes at most 10 messages a call.
  const pollerCalls = (size: number) => (2 * Math.ceil(size / 10)) / size;
  // The batch's replies go out as packs (`SqsReplyQueue`): one message each, billed per 64 KB chunk
  // to send and to receive, once to delete.
  const repliesPerPack = Math.min(batch, PACK_LIMITS.replies, Math.floor(PACK_LIMITS.kb / a.itemKb.reply));
  const packs = Math.ceil(batch / repliesPerPack) / batch;
  const packChunks = Math.max(1, Math.ceil((repliesPerPack * a.itemKb.reply) / 64));
  const senderInvocations = packs / a.senderBatchSize;
  const k = a.itemKb;
  const partitionKb = k.person + 2 * k.registryKeyItem + a.decisionsOfRecord * k.decisionOfRecord;
  const phoneKb = a.phoneMessagesBefore * k.registration;
  return [
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
      source: 'packages/adapters/src/registry/dynamodb-registry-lookup.ts',
      perBatch: false,
      kb: partitionKb,
    },
    {
      stage: 'reconciler',
      what: "`Query` of the phone's message records `PHONE#<phone>` (its hourly tally and the CNICs it sent)",
      service: 'dynamodbReadUnits',
      units: readUnits(phoneKb),
      source: 'packages/adapters/src/registration/dynamodb-registration-store.ts',
      perBatch: false,
      kb: phoneKb,
    },
    {
      stage: 'reconciler',
      what: "`UpdateItem`: the phone's hourly counter (ranks its messages exactly under concurrency)",
      service: 'dynamodbWriteUnits',
      units: a.phoneCounterShare * writeUnits(k.phoneHourCounter),
      source: 'packages/adapters/src/registration/dynamodb-registration-store.ts',
      perBatch: false,
      kb: k.phoneHourCounter,
    },
    {
      stage: 'reconciler',
      what: "`PutItem`: the registration record in the phone's partition (no index)",
      service: 'dynamodbWriteUnits',
      units: writeUnits(k.registration),
      source: 'packages/adapters/src/registration/dynamodb-registration-store.ts',
      perBatch: false,
      kb: k.registration,
    },
    {
      stage: 'reconciler',
      what: "`PutItem`: the person's decision of record `DEC#<campaign>` in the registry, and its entry in the sparse byCampaignDecision index that rules replay reads (new or changed outcome only)",
      service: 'dynamodbWriteUnits',
      units: a.newDecisionShare * writeUnits(k.decisionOfRecord, 1),
      source: 'packages/adapters/src/registration/dynamodb-decision-records.ts',
      perBatch: false,
      kb: k.decisionOfRecord,
    },
    {
      stage: 'reconciler',
      what: "`UpdateItem`: the CNIC's phones in the campaign, the phone's place for `phonesPerCnic` (not on a repeat from the phone that decided)",
      service: 'dynamodbWriteUnits',
      units: a.newDecisionShare * writeUnits(k.cnicPhones),
      source: 'packages/adapters/src/registration/dynamodb-cnic-phones.ts',
      perBatch: false,
      kb: k.cnicPhones,
    },
    {
      stage: 'reconciler',
      what: '`PutItem`: enrollment when eligible (+ `byCampaign` index)',
      service: 'dynamodbWriteUnits',
      units: a.eligibleShare * writeUnits(k.enrollment, 1),
      source: 'packages/adapters/src/campaigns/dynamodb-enrollment-store.ts',
      perBatch: false,
      kb: k.enrollment,
    },
    {
      stage: 'reconciler',
      what: "`UpdateItem`: campaign counter shard, the same shard of the hour's item (public figures as of the hour) and per-minute rate, once per campaign a batch",
      service: 'dynamodbWriteUnits',
      // The hour's item is taken at the shard's size: in a surge every area shows up within the hour.
      units: (a.campaignsInForce * (2 * writeUnits(k.statsShard) + writeUnits(k.rateCounter))) / batch,
      source: 'packages/adapters/src/stats/dynamodb-stats.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: `\`SendMessage\` of the batch's replies as one pack to the outbound queue (${repliesPerPack} replies, ${(repliesPerPack * k.reply).toFixed(0)} KB: ${packChunks} request per 64 KB)`,
      service: 'sqsRequests',
      units: packs * packChunks,
      source: 'packages/adapters/src/messaging/sqs-queue.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: `CloudWatch Logs: one line of the decisions metric (EMF) per status a batch, ${a.decisionStatusesPerBatch} statuses`,
      service: 'logBytes',
      units: (a.decisionStatusesPerBatch * a.logBytes.decisionMetricLine) / batch,
      source: 'functions/reconciler/decision-metrics.ts',
      perBatch: true,
    },
    {
      stage: 'reconciler',
      what: `X-Ray traces: active, ${a.tracedShare * 100}% of its invocations`,
      service: 'xrayTraces',
      units: traces(a, 'reconciler', 1 / batch),
      source: 'infra/function-plans.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: `invocation, one pack of ${repliesPerPack} replies`,
      service: 'lambdaRequests',
      units: senderInvocations,
      source: 'functions/sms-sender/handler.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: `compute (${functionPlans['sms-sender'].memorySize} MB x ${a.durationMs.senderPack} ms a pack, mostly waiting on the provider)`,
      service: 'lambdaGbSeconds',
      units: gbSeconds(functionPlans['sms-sender'].memorySize, a.durationMs.senderPack) * packs,
      source: 'functions/sms-sender/handler.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: "Lambda's poller: `ReceiveMessage` of the pack (per 64 KB chunk) and its `DeleteMessageBatch`",
      service: 'sqsRequests',
      units: packs * packChunks + senderInvocations,
      source: 'infra/madad-stack.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: "CloudWatch Logs: none at INFO ('Reply delivered' is DEBUG)",
      service: 'logBytes',
      units: 0,
      source: 'functions/sms-sender/handler.ts',
      perBatch: true,
    },
    {
      stage: 'sms-sender',
      what: `X-Ray traces: active, ${a.tracedShare * 100}% of its invocations`,
      service: 'xrayTraces',
      units: traces(a, 'sms-sender', senderInvocations),
      source: 'infra/function-plans.ts',
      perBatch: true,
    },
  ];
}

/** Every billable call of one registration, from the code path (`packages/…`, `functions/…`). */
export function modelRegistrationSteps(
  a: RegistrationAssumptions = uniqueRegistration,
  intake: IntakePath = 'webhook',
): CallStep[] {
  return [...intakeSteps(intake, a), ...reconciliationSteps(a)];
}

/** Steps summed per billable unit. */
export function sumSteps(steps: readonly CallStep[]): CallCounts {
  const totals: Record<Service, number> = {
    apiRequests: 0,
    snsPublishes: 0,
    lambdaRequests: 0,
    lambdaGbSeconds: 0,
    sqsRequests: 0,
    dynamodbReadUnits: 0,
    dynamodbWriteUnits: 0,
    logBytes: 0,
    xrayTraces: 0,
  };
  for (const step of steps) totals[step.service] += step.units;
  return totals;
}

/** The steps of one registration summed per billable unit. */
export function modelRegistrationCalls(
  a: RegistrationAssumptions = uniqueRegistration,
  intake: IntakePath = 'webhook',
): CallCounts {
  return sumSteps(modelRegistrationSteps(a, intake));
}

/** Counts of a mix: `shareOfA` of registrations like `a`, the rest like `b`. */
export function blendCalls(a: CallCounts, b: CallCounts, shareOfA: number): CallCounts {
  const mixed = {} as Record<Service, number>;
  for (const key of Object.keys(a) as Service[]) mixed[key] = shareOfA * a[key] + (1 - shareOfA) * b[key];
  return mixed;
}

/** Counts of two parts of one registration added (an intake and the reconciliation, say). */
export function addCalls(a: CallCounts, b: CallCounts): CallCounts {
  const total = {} as Record<Service, number>;
  for (const key of Object.keys(a) as Service[]) total[key] = a[key] + b[key];
  return total;
}

/** The three priced cases of an intake: a unique registration, a repeat, and the 2020 mix of the two. */
export function modelledCalls(intake: IntakePath = 'webhook'): {
  unique: CallCounts;
  repeat: CallCounts;
  mix2020: CallCounts;
} {
  const unique = modelRegistrationCalls(uniqueRegistration, intake);
  const repeat = modelRegistrationCalls(repeatRegistration, intake);
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
      item: 'SNS publishes',
      units: calls.snsPublishes * million,
      unit: 'requests',
      dollars: calls.snsPublishes * prices.snsPerMillionRequests,
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

/** The cost table of an intake in docs/cost-model.md (`npx tsx tools/cost-model/cost-model.ts` prints them). */
export function renderCostTable(
  intake: IntakePath = 'webhook',
  columns: readonly { label: string; cost: Cost }[] = [
    { label: 'Unique', cost: costPerMillion(modelledCalls(intake).unique) },
    { label: 'Repeat', cost: costPerMillion(modelledCalls(intake).repeat) },
    { label: '2020 mix', cost: costPerMillion(modelledCalls(intake).mix2020) },
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

/** The totals of both intakes side by side (docs/cost-model.md). */
export function renderIntakeSummary(): string {
  const rows = (Object.keys(intakePaths) as IntakePath[]).map((intake) => {
    const calls = modelledCalls(intake);
    const totals = [calls.unique, calls.repeat, calls.mix2020].map((c) =>
      formatDollars(costPerMillion(c).total),
    );
    return `| ${intakePaths[intake]} | ${totals.join(' | ')} |`;
  });
  return ['| Intake | Unique | Repeat | 2020 mix |', '| --- | ---: | ---: | ---: |', ...rows].join('\n');
}

const unitNames: Record<Service, readonly [string, string]> = {
  apiRequests: ['request', 'requests'],
  snsPublishes: ['publish', 'publishes'],
  lambdaRequests: ['invocation', 'invocations'],
  lambdaGbSeconds: ['GB-s', 'GB-s'],
  sqsRequests: ['SQS request', 'SQS requests'],
  dynamodbReadUnits: ['read unit', 'read units'],
  dynamodbWriteUnits: ['write unit', 'write units'],
  logBytes: ['bytes', 'bytes'],
  xrayTraces: ['trace', 'traces'],
};

/**
 * A per-step table of docs/cost-model.md: each call's units for a unique registration and a repeat,
 * the whole path through an intake, or only the intake's steps.
 */
export function renderStepTable(intake: IntakePath = 'webhook', scope: 'path' | 'intake' = 'path'): string {
  const stepsOf = (a: RegistrationAssumptions) =>
    scope === 'intake' ? intakeSteps(intake, a) : modelRegistrationSteps(a, intake);
  const repeats = stepsOf(repeatRegistration);
  const units = (step: CallStep) => {
    if (step.units === 0) return '0';
    const [one, many] = unitNames[step.service];
    const size = step.kb === undefined ? '' : ` (${step.kb.toFixed(1)} KB)`;
    return `${Number(step.units.toPrecision(3))} ${step.units === 1 ? one : many}${size}`;
  };
  return [
    '| Stage | Call | Unique | Repeat | Where |',
    '| --- | --- | ---: | ---: | --- |',
    ...stepsOf(uniqueRegistration).map((step, i) => {
      const other = repeats[i] ?? step;
      return `| ${step.stage} | ${step.what} | ${units(step)} | ${units(other)} | \`${step.source}\` |`;
    }),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(
    [
      renderStepTable('webhook'),
      renderStepTable('sns', 'intake'),
      renderCostTable('webhook'),
      renderCostTable('sns'),
      renderIntakeSummary(),
    ].join('\n\n'),
  );
}
