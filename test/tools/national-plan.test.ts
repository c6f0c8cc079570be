import { describe, expect, it } from 'vitest';
import type { CallTally } from '../../tools/bench/sdk-call-counter.js';
import { type CountedRun, type StageProfile, stageProfiles } from '../../tools/cost-model/national-calls.js';
import {
  type AwsLimits,
  type NationalScenario,
  type PlanSettings,
  planNational,
  planStage,
} from '../../tools/cost-model/national-plan.js';

const scenario: NationalScenario = { households: 1_000_000, paidShare: 0.5, largestDistrictShare: 0.1 };
const limits: AwsLimits = {
  partitionWriteUnits: 1000,
  s3PrefixPutsPerSecond: 3500,
  s3PrefixGetsPerSecond: 5500,
  requestMs: 10,
};
const settings: PlanSettings = {
  warmWritesPerTable: 40_000,
  warmReadsPerTable: 40_000,
  stages: {
    import: { basis: 'registry', fn: 'import-worker', concurrency: 10 },
    approve: { basis: 'paid', fn: 'api', concurrency: 1000 },
  },
  sharedKinds: { 'operations CAP/CAP': 4 },
  districtIndexedKinds: ['registry HH/HH'],
  memoryMb: { 'import-worker': 2048, api: 1024 },
};

const importProfile: StageProfile = {
  stage: 'import',
  tables: { registry: { readRequests: 1, writeRequests: 1, readUnits: 2, writeUnits: 10 } },
  writeUnitsByKind: { 'registry HH/HH': 2 },
  indexUnitsByKind: { 'registry HH/HH': 1 },
  sqsRequests: 0.5,
  s3PutRequests: 0.001,
  s3GetRequests: 0.002,
  s3Bytes: 1000,
  invocations: { 'import-worker': 0.01 },
  lambdaMs: { 'import-worker': 50 },
  requests: 0.5,
};

const approveProfile: StageProfile = {
  stage: 'approve',
  tables: { operations: { readRequests: 1, writeRequests: 1, readUnits: 1, writeUnits: 4 } },
  writeUnitsByKind: { 'operations CAP/CAP': 2 },
  indexUnitsByKind: {},
  sqsRequests: 0,
  s3PutRequests: 0,
  s3GetRequests: 0,
  s3Bytes: 0,
  invocations: {},
  lambdaMs: {},
  requests: 1,
};

describe('planStage', () => {
  it('binds a stage at its slowest limit and prices what a million households use', () => {
    // Arrange: by hand, table writes allow 40,000 / 10 = 4,000 households/s, reads 20,000, the
    // largest district's index 1,000 / (1 × 0.1) = 10,000, and 10 workers at 0.5 requests × 10 ms
    // = 5 ms a household 2,000: the workers bind. S3: 5,500 GETs / 0.002 and 3,500 PUTs / 0.001.
    // Act
    const plan = planStage(importProfile, scenario, limits, settings);
    // Assert
    expect(plan.limits.map((l) => [l.what, l.householdsPerSecond])).toEqual([
      ['import-worker concurrency 10', 2000],
      ['registry table writes', 4000],
      ['registry HH/HH index, largest district', 10_000],
      ['registry table reads', 20_000],
      ['S3 GETs on one prefix', 2_750_000],
      ['S3 PUTs on one prefix', 3_500_000],
    ]);
    expect(plan.hours).toBeCloseTo(1_000_000 / 2000 / 3600, 10);
    expect(plan.writesPerSecond).toEqual({ registry: 20_000 });
    expect(plan.readsPerSecond).toEqual({ registry: 4000 });
    expect(plan.busyInstances).toBeCloseTo(10, 10);
    // 10 million write units at $0.625 a million and 2 million reads at $0.125; 10,000 invocations at
    // $0.20 a million and 100,000 GB-s (50 ms at 2 GB) at $0.0000133334; 500,000 SQS requests at
    // $0.40 a million; 1,000 S3 PUTs at $0.005 a thousand and 2,000 GETs at $0.0004 a thousand.
    expect(plan.cost.dynamodb).toBeCloseTo(6.5, 10);
    expect(plan.cost.lambda).toBeCloseTo(0.002 + 1.33334, 10);
    expect(plan.cost.sqs).toBeCloseTo(0.2, 10);
    expect(plan.cost.s3).toBeCloseTo(0.0058, 10);
    expect(plan.cost.total).toBeCloseTo(8.04114, 10);
  });

  it('counts the paid households only in the payment stages, and a shared item as its partitions', () => {
    // Arrange: 4 cap shards of 1,000 units/s at 2 units a household allow 2,000 households/s.
    // Act
    const plan = planStage(approveProfile, scenario, limits, settings);
    // Assert
    expect(plan.households).toBe(500_000);
    expect(plan.limits[0]).toEqual({ what: 'operations CAP/CAP (4 partitions)', householdsPerSecond: 2000 });
    expect(plan.hours).toBeCloseTo(500_000 / 2000 / 3600, 10);
    expect(plan.writeUnits).toBe(2_000_000);
  });
});

describe('planNational', () => {
  it('adds the stages one after another and names the limit of the longest as the first bottleneck', () => {
    // Act
    const plan = planNational([importProfile, approveProfile], scenario, limits, settings);
    // Assert: import 500 s, approve 250 s.
    expect(plan.hours).toBeCloseTo(750 / 3600, 10);
    expect(plan.firstBottleneck.stage).toBe('import');
    expect(plan.firstBottleneck.limit.what).toBe('import-worker concurrency 10');
    expect(plan.cost).toBeCloseTo(8.04114 + 2_000_000 * 0.625e-6 + 500_000 * 0.125e-6, 10);
  });
});

const tally = (
  over: Partial<CallTally> & Pick<CallTally, 'fn' | 'operation' | 'target' | 'kind'>,
): CallTally => ({
  service: 'dynamodb',
  calls: 1,
  errors: 0,
  items: 1,
  consumedUnits: 0,
  indexWriteUnits: 0,
  failedWriteUnits: 0,
  billedRequests: 0,
  firstAt: 0,
  lastAt: 0,
  ...over,
});

function run(households: number, scale: number): CountedRun {
  return {
    households,
    members: households * 6,
    batches: 1,
    loadAverage: [1, 1],
    stages: [
      {
        stage: 'activation',
        households,
        seconds: 1,
        calls: [
          // Enrollments are put with one index unit each, and updated later.
          tally({
            fn: 'activation-worker',
            operation: 'PutItem',
            target: 'operations',
            kind: 'ENR/ENR',
            calls: 10 * scale,
            items: 10 * scale,
            consumedUnits: 10 * scale,
            indexWriteUnits: 10 * scale,
          }),
          tally({
            fn: 'activation-worker',
            operation: 'UpdateItem',
            target: 'operations',
            kind: 'ENR/ENR',
            calls: 10 * scale,
            items: 10 * scale,
            consumedUnits: 10 * scale,
          }),
          tally({
            fn: 'activation-worker',
            operation: 'Query',
            target: 'registry',
            kind: '-@byDistrict',
            calls: 2 + scale,
            consumedUnits: 0.5 * (2 + scale),
          }),
          tally({ fn: 'driver', operation: 'GetItem', target: 'operations', kind: 'CAMPAIGN', calls: 500 }),
          tally({
            fn: 'event-source',
            service: 'sqs',
            operation: 'ReceiveMessage',
            target: 'activation',
            kind: '-',
            calls: 900,
            billedRequests: 900,
          }),
        ],
        s3: [],
        lambda: [
          {
            fn: 'activation-worker',
            invocations: 4 + 2 * scale,
            records: 4 + 2 * scale,
            totalMs: 100 * scale,
          },
        ],
      },
    ],
  };
}

describe('stageProfiles', () => {
  it('takes the marginal cost of a household between two sizes, leaving out the bench and idle polls', () => {
    // Arrange: 100 households (scale 1) and 300 (scale 3): 200 households more.
    const runs = [run(300, 3), run(100, 1)];
    // Act
    const [profile] = stageProfiles(runs);
    // Assert: puts 20 more units plus 20 index, updates 20 plus 20 index: 80 over 200 households.
    expect(profile?.tables.operations?.writeUnits).toBeCloseTo(0.4, 10);
    expect(profile?.indexUnitsByKind['operations ENR/ENR']).toBeCloseTo(0.2, 10);
    expect(profile?.tables.operations?.readRequests).toBe(0);
    expect(profile?.tables.registry?.readUnits).toBeCloseTo(1 / 200, 10);
    // 4 more invocations: a receive and a delete each; the idle receives are not the households'.
    expect(profile?.sqsRequests).toBeCloseTo(8 / 200, 10);
    expect(profile?.lambdaMs['activation-worker']).toBeCloseTo(1, 10);
    expect(profile?.requests).toBeCloseTo((20 + 20 + 2) / 200, 10);
  });
});
