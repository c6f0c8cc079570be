import {
  type CallCounts,
  type Cost,
  costPerMillion,
  listPrices,
  modelRegistrationCalls,
  smsCostPerMillion,
  typicalRegistration,
} from '../../../../infra/cost-model.js';
import type { IntakeResult } from './intake-bench.js';
import type { ReconcileResult } from './reconcile-bench.js';

/** 2020: 1.46 billion SMS for 48.2 million unique requests (docs: context anchors). */
export const UNIQUE_SHARE_2020 = 48.2e6 / 1.46e9;
/**
 * Assumed price of one outbound SMS segment in Pakistan. Not a list price: none is public for the
 * 8171-style government short code. 0.002 US dollars is about PKR 0.56 at PKR 280 to the dollar, a bulk
 * local-aggregator rate; international A2P routes cost many times more. Check before budgeting.
 */
export const ASSUMED_DOLLARS_PER_SEGMENT = 0.002;

export interface BenchCost {
  readonly prices: typeof listPrices;
  /** Per registration, as counted (Lambda time as measured on the embedded stack: an upper bound). */
  readonly calls: {
    readonly unique: CallCounts;
    readonly duplicate: CallCounts;
    readonly mix2020: CallCounts;
  };
  readonly perMillion: { readonly unique: Cost; readonly duplicate: Cost; readonly mix2020: Cost };
  /** The same with Lambda durations from the cost model (`infra/cost-model.ts`), for comparison. */
  readonly perMillionModelledDurations: {
    readonly unique: number;
    readonly duplicate: number;
    readonly mix2020: number;
  };
  readonly sms: {
    readonly segmentsPerReply: number;
    readonly dollarsPerSegment: number;
    readonly perMillion: number;
  };
  readonly notes: string[];
}

const MEMORY_API_MB = 256;

function measuredCalls(intake: IntakeResult, recon: ReconcileResult, modelledDurations: boolean): CallCounts {
  const { lambda } = recon.costs;
  const reconciler = lambda.reconciler ?? { invocations: 0, gbSeconds: 0 };
  const sender = lambda['sms-sender'] ?? { invocations: 0, gbSeconds: 0 };
  const measuredGbSeconds =
    (MEMORY_API_MB / 1024) * (intake.apiMsPerRequest / 1000) + reconciler.gbSeconds + sender.gbSeconds;
  return {
    apiRequests: 1,
    lambdaRequests: 1 + reconciler.invocations + sender.invocations,
    lambdaGbSeconds: modelledDurations ? modelRegistrationCalls().lambdaGbSeconds : measuredGbSeconds,
    // On Lambda an api instance serves one request at a time, so the webhook's sends are never grouped
    // as they are on the embedded stack (one process): at least one SQS request an SMS.
    sqsRequests: Math.max(1, intake.sqsRequestsPerMessage) + recon.costs.sqsRequests,
    dynamodbReadUnits: recon.costs.readUnits,
    dynamodbWriteUnits: recon.costs.writeUnits,
    // Not measurable on the embedded stack: as the cost model assumes.
    logBytes: typicalRegistration.logBytes,
    xrayTraces: typicalRegistration.tracedShare,
  };
}

function blend(a: CallCounts, b: CallCounts, shareOfA: number): CallCounts {
  const mixed = {} as Record<keyof CallCounts, number>;
  for (const key of Object.keys(a) as (keyof CallCounts)[])
    mixed[key] = shareOfA * a[key] + (1 - shareOfA) * b[key];
  return mixed;
}

/** Dollars per million registrations from the counted calls, for unique, duplicate and the 2020 mix. */
export function benchCost(
  intake: IntakeResult,
  unique: ReconcileResult,
  duplicate: ReconcileResult,
  segmentsPerReply: number,
): BenchCost {
  const calls = {
    unique: measuredCalls(intake, unique, false),
    duplicate: measuredCalls(intake, duplicate, false),
    mix2020: blend(
      measuredCalls(intake, unique, false),
      measuredCalls(intake, duplicate, false),
      UNIQUE_SHARE_2020,
    ),
  };
  const modelled = {
    unique: measuredCalls(intake, unique, true),
    duplicate: measuredCalls(intake, duplicate, true),
  };
  return {
    prices: listPrices,
    calls,
    perMillion: {
      unique: costPerMillion(calls.unique),
      duplicate: costPerMillion(calls.duplicate),
      mix2020: costPerMillion(calls.mix2020),
    },
    perMillionModelledDurations: {
      unique: costPerMillion(modelled.unique).total,
      duplicate: costPerMillion(modelled.duplicate).total,
      mix2020: costPerMillion(blend(modelled.unique, modelled.duplicate, UNIQUE_SHARE_2020)).total,
    },
    sms: {
      segmentsPerReply,
      dollarsPerSegment: ASSUMED_DOLLARS_PER_SEGMENT,
      perMillion: smsCostPerMillion({ segmentsPerReply, dollarsPerSegment: ASSUMED_DOLLARS_PER_SEGMENT }),
    },
    notes: [
      `List prices ${listPrices.region} as of ${listPrices.asOf} (infra/cost-model.ts); DynamoDB on-demand after the November 2024 reduction.`,
      'Requests, SQS requests and DynamoDB units are counted from every SDK call; Lambda GB-seconds use the handlers’ time on the embedded stack, where the emulators share the thread: an upper bound.',
      'CloudWatch Logs and X-Ray per registration are the cost model’s assumptions, not measured.',
      `The 2020 mix weighs ${(UNIQUE_SHARE_2020 * 100).toFixed(1)}% unique and the rest duplicate registrations (48.2 M unique of 1.46 bn SMS).`,
    ],
  };
}
