import type { QueueId, QueueSpec } from '@madad/adapters/resources';

/** Read and write units a second a table or index serves from its first second (DynamoDB warm throughput). */
export interface WarmUnits {
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
}

/**
 * The settings of a large run, deployed with `-c runProfile=<name>` (infra/deploy-options.ts) and read by
 * the cost model's plan (tools/cost-model/national-plan-report.ts), so the plan and the stack cannot drift.
 */
export interface RunProfile {
  readonly name: string;
  /** Warm throughput of every table. */
  readonly warmThroughput: WarmUnits;
  /**
   * Indexes warmed to the same figures: those the run writes or reads. The plan's units a second per
   * table count the index writes with the table's, so an index never needs more than its table.
   */
  readonly warmIndexes: readonly string[];
  /**
   * Maximum concurrency of the workers' SQS event sources, by queue, instead of `resources.ts`'s values.
   * Not reserved concurrency: `madad-stack.ts` says why a reservation would send messages to the DLQ.
   */
  readonly workerConcurrency: Readonly<Record<'imports' | 'activation' | 'batches', number>> &
    Readonly<Partial<Record<QueueId, number>>>;
  /**
   * Payment-batch requests the plan runs at once after the batches are made (approve, export, results:
   * the api function, inside its reserved concurrency).
   */
  readonly paymentBatchesAtOnce: number;
  /**
   * Lambda concurrent executions the account must allow in the Region (Service Quotas, "Concurrent
   * executions", 1,000 by default): the synth refuses the profile when the reservations, every event
   * source at its maximum and the 100 Lambda keeps unreserved do not fit (infra/concurrency-budget.ts).
   */
  readonly accountConcurrency: number;
}

/**
 * 35 million households from registry file to payment file in about 7.4 hours (docs/performance.md,
 * "The plan for 35 million households on AWS"): both tables warm at 40,000 read and write units a
 * second (the default per-table quota, so no quota request for the tables), import and activation
 * workers at 500, batch workers at 100 (districts at once), 100 payment-batch requests at once. The
 * account quota: prod reserves 400 for the api and 400 for the SMS webhook; the event sources may run
 * 50 + 20 + 4 (surge consumers, replay) + 500 + 500 + 100; with the 100 unreserved that is 2,074, so
 * the profile asks for 3,000.
 */
export const nationalRun: RunProfile = {
  name: 'national',
  warmThroughput: { readUnitsPerSecond: 40_000, writeUnitsPerSecond: 40_000 },
  // Households by district (the import writes it, activation reads it) and the operations table's index
  // (enrollments by district, batches). Not byCampaignDecision: only the surge's decisions write it.
  warmIndexes: ['byDistrict', 'byCampaign'],
  workerConcurrency: { imports: 500, activation: 500, batches: 100 },
  paymentBatchesAtOnce: 100,
  accountConcurrency: 3_000,
};

export const runProfiles: Readonly<Record<string, RunProfile>> = { national: nationalRun };

/** A queue's event-source maximum concurrency: the profile's, else `resources.ts`'s. */
export function maxConcurrencyOf(spec: QueueSpec, profile?: RunProfile): number {
  return profile?.workerConcurrency[spec.id as QueueId] ?? spec.maxConcurrency;
}
