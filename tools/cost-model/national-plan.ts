import { listPrices, type PriceList } from './cost-model.js';
import type { StageProfile } from './national-calls.js';

/**
 * The plan for a national registry on AWS (issue 19), from the counted calls per household of each
 * stage (bench/national-calls.json, `stageProfiles`): per stage the capacity units, the rate each
 * limit allows, the one that binds first, the hours, and the cost. Pure arithmetic: the limits and
 * prices it relies on are inputs, cited in docs/performance.md "The plan for 35 million".
 */

/** What the plan takes as given about the country. */
export interface NationalScenario {
  readonly households: number;
  /** Households paid, as a share of the registry (the payment stages' households). */
  readonly paidShare: number;
  /** Share of all households in the largest district (a district is one partition of an index). */
  readonly largestDistrictShare: number;
}

/** AWS's limits the plan relies on, and the one latency it assumes. */
export interface AwsLimits {
  /** Per partition (and so per partition-key value of an index): 1,000 write units a second. */
  readonly partitionWriteUnits: number;
  /** Per partitioned S3 prefix: 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests a second. */
  readonly s3PrefixPutsPerSecond: number;
  readonly s3PrefixGetsPerSecond: number;
  /** Assumed time of one DynamoDB, SQS or S3 request from Lambda, issued one after another. */
  readonly requestMs: number;
}

/** How a stage runs: on which households, in which function, and how many at once. */
export interface StageSetting {
  readonly basis: 'registry' | 'paid';
  readonly fn: string;
  readonly concurrency: number;
}

/** The dials of a plan: the tables' warm throughput and each stage's concurrency. */
export interface PlanSettings {
  readonly warmWritesPerTable: number;
  readonly warmReadsPerTable: number;
  readonly stages: Readonly<Record<string, StageSetting>>;
  /** `table KIND` → partitions the kind's items share (cap shards, stats shards, the audit head). */
  readonly sharedKinds: Readonly<Record<string, number>>;
  /** `table KIND` whose index entries are partitioned by district. */
  readonly districtIndexedKinds: readonly string[];
  readonly memoryMb: Readonly<Record<string, number>>;
}

/** S3 Standard request prices, us-east-1 (per 1,000). */
export interface S3Prices {
  readonly putPerThousand: number;
  readonly getPerThousand: number;
}
export const s3ListPrices: S3Prices = { putPerThousand: 0.005, getPerThousand: 0.0004 };

export interface Limit {
  readonly what: string;
  readonly householdsPerSecond: number;
}

export interface StageCost {
  readonly dynamodb: number;
  readonly lambda: number;
  readonly sqs: number;
  readonly s3: number;
  readonly total: number;
}

export interface StagePlan {
  readonly stage: string;
  readonly households: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** The limits, the binding one first. */
  readonly limits: readonly Limit[];
  readonly householdsPerSecond: number;
  readonly hours: number;
  /** Write and read units a second on each table at that rate: what to pre-warm. */
  readonly writesPerSecond: Readonly<Record<string, number>>;
  readonly readsPerSecond: Readonly<Record<string, number>>;
  /** Lambda instances busy at that rate (requests per household × latency × rate). */
  readonly busyInstances: number;
  readonly s3RequestsPerSecond: number;
  readonly cost: StageCost;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** One stage at national size: every limit as a rate of households, the slowest binds. */
export function planStage(
  profile: StageProfile,
  scenario: NationalScenario,
  limits: AwsLimits,
  settings: PlanSettings,
  prices: PriceList = listPrices,
  s3: S3Prices = s3ListPrices,
): StagePlan {
  const setting = settings.stages[profile.stage];
  if (!setting) throw new Error(`no setting for stage ${profile.stage}`);
  const households =
    setting.basis === 'registry' ? scenario.households : scenario.households * scenario.paidShare;
  const tables = Object.entries(profile.tables);
  const found: Limit[] = [];
  for (const [table, load] of tables) {
    if (load.writeUnits > 0)
      found.push({
        what: `${table} table writes`,
        householdsPerSecond: settings.warmWritesPerTable / load.writeUnits,
      });
    if (load.readUnits > 0)
      found.push({
        what: `${table} table reads`,
        householdsPerSecond: settings.warmReadsPerTable / load.readUnits,
      });
  }
  const secondsPerHousehold = (profile.requests * limits.requestMs) / 1000;
  if (secondsPerHousehold > 0)
    found.push({
      what: `${setting.fn} concurrency ${setting.concurrency}`,
      householdsPerSecond: setting.concurrency / secondsPerHousehold,
    });
  // The worst case: every object of the stage under one prefix (`uploads/`, `payment-files/`).
  if (profile.s3PutRequests > 0)
    found.push({
      what: 'S3 PUTs on one prefix',
      householdsPerSecond: limits.s3PrefixPutsPerSecond / profile.s3PutRequests,
    });
  if (profile.s3GetRequests > 0)
    found.push({
      what: 'S3 GETs on one prefix',
      householdsPerSecond: limits.s3PrefixGetsPerSecond / profile.s3GetRequests,
    });
  for (const [kind, partitions] of Object.entries(settings.sharedKinds)) {
    const units = profile.writeUnitsByKind[kind] ?? 0;
    if (units > 0)
      found.push({
        what: `${kind} (${partitions} partition${partitions === 1 ? '' : 's'})`,
        householdsPerSecond: (partitions * limits.partitionWriteUnits) / units,
      });
  }
  for (const kind of settings.districtIndexedKinds) {
    const units = profile.indexUnitsByKind[kind] ?? 0;
    if (units > 0)
      found.push({
        what: `${kind} index, largest district`,
        householdsPerSecond: limits.partitionWriteUnits / (units * scenario.largestDistrictShare),
      });
  }
  const ordered = found.sort((a, b) => a.householdsPerSecond - b.householdsPerSecond);
  const rate = ordered[0]?.householdsPerSecond ?? Number.POSITIVE_INFINITY;
  const writeUnits = sum(tables.map(([, load]) => load.writeUnits)) * households;
  const readUnits = sum(tables.map(([, load]) => load.readUnits)) * households;
  const gbSeconds = sum(
    Object.entries(profile.lambdaMs).map(
      ([fn, ms]) => (ms / 1000) * ((settings.memoryMb[fn] ?? 1024) / 1024),
    ),
  );
  const dynamodb =
    (writeUnits / 1e6) * prices.dynamodbPerMillionWriteUnits +
    (readUnits / 1e6) * prices.dynamodbPerMillionReadUnits;
  const lambda =
    ((sum(Object.values(profile.invocations)) * households) / 1e6) * prices.lambdaPerMillionRequests +
    gbSeconds * households * prices.lambdaArmPerGbSecond;
  const sqs = ((profile.sqsRequests * households) / 1e6) * prices.sqsPerMillionRequests;
  const s3Cost =
    ((profile.s3PutRequests * households) / 1000) * s3.putPerThousand +
    ((profile.s3GetRequests * households) / 1000) * s3.getPerThousand;
  return {
    stage: profile.stage,
    households,
    writeUnits,
    readUnits,
    limits: ordered,
    householdsPerSecond: rate,
    hours: households / rate / 3600,
    writesPerSecond: Object.fromEntries(tables.map(([table, load]) => [table, load.writeUnits * rate])),
    readsPerSecond: Object.fromEntries(tables.map(([table, load]) => [table, load.readUnits * rate])),
    busyInstances: secondsPerHousehold * rate,
    s3RequestsPerSecond: (profile.s3PutRequests + profile.s3GetRequests) * rate,
    cost: { dynamodb, lambda, sqs, s3: s3Cost, total: dynamodb + lambda + sqs + s3Cost },
  };
}

export interface NationalPlan {
  readonly stages: readonly StagePlan[];
  /** Upload to the last payment line: the stages one after another. */
  readonly hours: number;
  readonly cost: number;
  /** The binding limit of the longest stage. */
  readonly firstBottleneck: { readonly stage: string; readonly limit: Limit };
}

/** Every stage in order; the chain's hours are their sum (each starts when the one before ends). */
export function planNational(
  profiles: readonly StageProfile[],
  scenario: NationalScenario,
  limits: AwsLimits,
  settings: PlanSettings,
  prices: PriceList = listPrices,
  s3: S3Prices = s3ListPrices,
): NationalPlan {
  const stages = profiles.map((profile) => planStage(profile, scenario, limits, settings, prices, s3));
  const longest = [...stages].sort((a, b) => b.hours - a.hours)[0];
  const limit = longest?.limits[0];
  if (!longest || !limit) throw new Error('no stage limits anything');
  return {
    stages,
    hours: sum(stages.map((s) => s.hours)),
    cost: sum(stages.map((s) => s.cost.total)),
    firstBottleneck: { stage: longest.stage, limit },
  };
}
