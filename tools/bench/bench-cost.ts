import { functionPlans } from '@madad/infra/function-plans';
import {
  addCalls,
  type CallCounts,
  type Cost,
  costPerMillion,
  intakeSteps,
  listPrices,
  reconciliationSteps,
  smsCostPerMillion,
  sumSteps,
  typicalRegistration,
} from '../cost-model/cost-model.js';
import type { IntakeResult } from './intake-bench.js';
import type { ReconcileResult } from './reconcile-bench.js';
import { type ReplySegments, UNIQUE_SHARE_2020 } from './reply-segments.js';
import type { TargetCheck } from './targets.js';

export { UNIQUE_SHARE_2020 } from './reply-segments.js';
/**
 * Assumed price of one outbound SMS segment in Pakistan. Not a list price: none is public for the
 * 8171-style government short code. 0.002 US dollars is about PKR 0.56 at PKR 280 to the dollar, a bulk
 * local-aggregator rate; international A2P routes cost many times more. Check before budgeting.
 */
export const ASSUMED_DOLLARS_PER_SEGMENT = 0.002;

interface Cases<T> {
  readonly unique: T;
  readonly duplicate: T;
  readonly mix2020: T;
}

export interface BenchCost {
  readonly prices: typeof listPrices;
  /** Per registration, as counted (Lambda time as measured on the embedded stack: an upper bound). */
  readonly calls: Cases<CallCounts>;
  /** Through the aggregator's webhook (HTTP API and api function), measured end to end. */
  readonly perMillion: Cases<Cost>;
  /** The same with Lambda durations from the cost model (`tools/cost-model/cost-model.ts`), for comparison. */
  readonly perMillionModelledDurations: Cases<number>;
  /**
   * Through End User Messaging's two-way SMS topic instead: the intake (SNS publish, sns-inbound, its
   * one SQS request) as the cost model prices it, the reconciliation and the replies as measured.
   */
  readonly perMillionSnsIntake: Cases<Cost>;
  readonly sms: {
    /** Mean segments a reply in the 2020 mix: what the SMS bill is priced on. */
    readonly segmentsPerReply: number;
    /** The same for first registrations and for repeats, as measured. */
    readonly segments: ReplySegments;
    readonly dollarsPerSegment: number;
    readonly perMillion: number;
  };
  readonly notes: string[];
}

/** The webhook's part as measured: one HTTP API request and api invocation, its SQS requests. */
function webhookCalls(intake: IntakeResult, modelledDurations: boolean): CallCounts {
  const modelled = sumSteps(intakeSteps('webhook', typicalRegistration));
  const apiGbSeconds = (functionPlans.api.memorySize / 1024) * (intake.apiMsPerRequest / 1000);
  return {
    ...modelled,
    lambdaGbSeconds: modelledDurations ? modelled.lambdaGbSeconds : apiGbSeconds,
    // On Lambda an api instance serves one request at a time, so the webhook's sends are never grouped
    // as they are on the embedded stack (one process): at least one SQS request an SMS.
    sqsRequests: Math.max(1, intake.sqsRequestsPerMessage),
  };
}

/** The SNS intake's part: not run by the embedded stack, so as the cost model prices it. */
const snsIntakeCalls = (): CallCounts => sumSteps(intakeSteps('sns', typicalRegistration));

/** The reconciler's and the sender's part as measured; logs and traces as the cost model has them. */
function reconciliationCalls(recon: ReconcileResult, modelledDurations: boolean): CallCounts {
  const modelled = sumSteps(reconciliationSteps(typicalRegistration));
  const { lambda } = recon.costs;
  const reconciler = lambda.reconciler ?? { invocations: 0, gbSeconds: 0 };
  const sender = lambda['sms-sender'] ?? { invocations: 0, gbSeconds: 0 };
  return {
    apiRequests: 0,
    snsPublishes: 0,
    lambdaRequests: reconciler.invocations + sender.invocations,
    lambdaGbSeconds: modelledDurations ? modelled.lambdaGbSeconds : reconciler.gbSeconds + sender.gbSeconds,
    sqsRequests: recon.costs.sqsRequests,
    dynamodbReadUnits: recon.costs.readUnits,
    dynamodbWriteUnits: recon.costs.writeUnits,
    // Not measurable on the embedded stack: as the cost model derives them.
    logBytes: modelled.logBytes,
    xrayTraces: modelled.xrayTraces,
  };
}

function blend(a: CallCounts, b: CallCounts, shareOfA: number): CallCounts {
  const mixed = {} as Record<keyof CallCounts, number>;
  for (const key of Object.keys(a) as (keyof CallCounts)[])
    mixed[key] = shareOfA * a[key] + (1 - shareOfA) * b[key];
  return mixed;
}

function casesOf(intakeCalls: CallCounts, unique: CallCounts, duplicate: CallCounts): Cases<CallCounts> {
  const u = addCalls(intakeCalls, unique);
  const d = addCalls(intakeCalls, duplicate);
  return { unique: u, duplicate: d, mix2020: blend(u, d, UNIQUE_SHARE_2020) };
}

const priced = (calls: Cases<CallCounts>): Cases<Cost> => ({
  unique: costPerMillion(calls.unique),
  duplicate: costPerMillion(calls.duplicate),
  mix2020: costPerMillion(calls.mix2020),
});

/** Dollars per million registrations from the counted calls, for unique, duplicate and the 2020 mix. */
export function benchCost(
  intake: IntakeResult,
  unique: ReconcileResult,
  duplicate: ReconcileResult,
  segments: ReplySegments,
): BenchCost {
  const segmentsPerReply = segments.mix2020;
  const measured = {
    unique: reconciliationCalls(unique, false),
    duplicate: reconciliationCalls(duplicate, false),
  };
  const calls = casesOf(webhookCalls(intake, false), measured.unique, measured.duplicate);
  const modelled = priced(
    casesOf(
      webhookCalls(intake, true),
      reconciliationCalls(unique, true),
      reconciliationCalls(duplicate, true),
    ),
  );
  return {
    prices: listPrices,
    calls,
    perMillion: priced(calls),
    perMillionModelledDurations: {
      unique: modelled.unique.total,
      duplicate: modelled.duplicate.total,
      mix2020: modelled.mix2020.total,
    },
    perMillionSnsIntake: priced(casesOf(snsIntakeCalls(), measured.unique, measured.duplicate)),
    sms: {
      segmentsPerReply,
      segments,
      dollarsPerSegment: ASSUMED_DOLLARS_PER_SEGMENT,
      perMillion: smsCostPerMillion({ segmentsPerReply, dollarsPerSegment: ASSUMED_DOLLARS_PER_SEGMENT }),
    },
    notes: [
      `List prices ${listPrices.region} as of ${listPrices.asOf} (tools/cost-model/cost-model.ts); DynamoDB on-demand after the November 2024 reduction.`,
      'Requests, SQS requests and DynamoDB units are counted from every SDK call; Lambda GB-seconds use the handlers’ time on the embedded stack, where the emulators share the thread: an upper bound.',
      'CloudWatch Logs and X-Ray per registration are the cost model’s, derived from the lines that remain at the functions’ log levels and from the functions’ tracing modes (docs/cost-model.md), not measured.',
      'Via the SNS two-way SMS intake: the SNS publish, the sns-inbound invocation, its compute and its one SQS request are the cost model’s (the embedded stack has no SNS); the reconciliation and the replies are as measured.',
      `The 2020 mix weighs ${(UNIQUE_SHARE_2020 * 100).toFixed(1)}% unique and the rest duplicate registrations (48.2 M unique of 1.46 bn SMS).`,
    ],
  };
}

/**
 * The cost targets through the SNS intake, judged like the webhook's (`evaluateTargets`): the same
 * limit, on the figures as computed, never adjusted to pass.
 */
export function snsIntakeTargets(cost: BenchCost, limit = 3): TargetCheck[] {
  const labels: Cases<string> = {
    unique: 'unique registrations',
    duplicate: 'duplicate registrations',
    mix2020: 'registrations in the 2020 mix',
  };
  return (Object.keys(labels) as (keyof Cases<string>)[]).map((key) => {
    const measured = cost.perMillionSnsIntake[key].total;
    const met = measured <= limit;
    return {
      target: `Cloud cost under $${limit} per million ${labels[key]} via the SNS two-way SMS intake, SMS excluded`,
      measured,
      limit,
      unit: 'USD',
      met,
      ...(met ? {} : { gap: `${(measured / limit).toFixed(2)}x the limit` }),
    };
  });
}
