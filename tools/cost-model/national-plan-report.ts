/**
 * Prints the plan for 35 million households as Markdown tables, from bench/national-calls.json:
 * the counted calls per household, then each stage at national size with today's settings and with
 * the plan's (docs/performance.md "The plan for 35 million households on AWS").
 *
 *   node --import tsx tools/cost-model/national-plan-report.ts [bench/national-calls.json]
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { queues } from '@madad/adapters';
import { functionPlans } from '@madad/infra/function-plans';
import { nationalRun } from '@madad/infra/run-profiles';
import { type NationalCalls, type StageProfile, stageProfiles } from './national-calls.js';
import { type AwsLimits, type NationalPlan, type PlanSettings, planNational } from './national-plan.js';

export const NATIONAL: { households: number; largestDistrictShare: number } = {
  households: 35_000_000,
  // Lahore: about 13.0 million of Pakistan's 241.5 million people (2023 census), taken as its share of households.
  largestDistrictShare: 0.054,
};

export const AWS_LIMITS: AwsLimits = {
  partitionWriteUnits: 1000,
  s3PrefixPutsPerSecond: 3500,
  s3PrefixGetsPerSecond: 5500,
  requestMs: 10,
};

const IMPORTS = ['registry import', 'identity import', 'exclusion import'];
// Batch make runs in the batch workers (a district a work item); the stages after it in the api.
const PAYMENTS = ['approve', 'export', 'results import'];
const memoryMb = Object.fromEntries(
  Object.entries(functionPlans).map(([name, plan]) => [name, plan.memorySize]),
);
const shared = {
  // MAX_CAP_SHARDS (packages/core/src/campaigns/cap-shards.ts) for a campaign of millions.
  'operations CAP/CAP': 64,
  'operations STATS/SHARD': 16,
  'operations STATSHOUR/H': 16,
  'operations AUDIT/HEAD': 1,
  'operations BUDGET/BUDGET': 1,
  'operations IMPORT/JOB': 1,
};

function settings(
  warmWrites: number,
  warmReads: number,
  workers: { imports: number; activation: number; batches: number; payments: number },
): PlanSettings {
  const stages: Record<string, PlanSettings['stages'][string]> = {};
  for (const stage of IMPORTS)
    stages[stage] = { basis: 'registry', fn: 'import-worker', concurrency: workers.imports };
  stages.activation = { basis: 'registry', fn: 'activation-worker', concurrency: workers.activation };
  stages['batch make'] = { basis: 'paid', fn: 'batch-worker', concurrency: workers.batches };
  for (const stage of PAYMENTS) stages[stage] = { basis: 'paid', fn: 'api', concurrency: workers.payments };
  return {
    warmWritesPerTable: warmWrites,
    warmReadsPerTable: warmReads,
    stages,
    sharedKinds: shared,
    districtIndexedKinds: ['registry HH/HH', 'operations ENR/ENR'],
    memoryMb,
  };
}

/** Today: new on-demand tables (4,000 writes, 12,000 reads a second), the queues' maximum concurrency. */
export const TODAY = settings(4000, 12_000, {
  imports: queues.imports.maxConcurrency,
  activation: queues.activation.maxConcurrency,
  batches: queues.batches.maxConcurrency,
  payments: 4,
});
/**
 * The plan: the national run profile that `cdk deploy -c runProfile=national` deploys (infra/run-profiles.ts),
 * tables pre-warmed to the default per-table quota, import and activation workers at 500.
 */
export const PLANNED = settings(
  nationalRun.warmThroughput.writeUnitsPerSecond,
  nationalRun.warmThroughput.readUnitsPerSecond,
  {
    imports: nationalRun.workerConcurrency.imports,
    activation: nationalRun.workerConcurrency.activation,
    batches: nationalRun.workerConcurrency.batches,
    payments: nationalRun.paymentBatchesAtOnce,
  },
);

const n = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const small = (x: number) => (x === 0 ? '0' : x >= 10 ? n(x, 1) : x >= 0.1 ? n(x, 2) : x.toPrecision(2));

export function renderCounts(profiles: readonly StageProfile[]): string {
  const rows = profiles.map((p) => {
    const tables = Object.values(p.tables);
    const sum = (pick: (t: (typeof tables)[number]) => number) => tables.reduce((a, t) => a + pick(t), 0);
    const invocations = Object.values(p.invocations).reduce((a, b) => a + b, 0);
    const ms = Object.values(p.lambdaMs).reduce((a, b) => a + b, 0);
    return `| ${p.stage} | ${small(sum((t) => t.readRequests))} / ${small(sum((t) => t.writeRequests))} | ${small(sum((t) => t.readUnits))} / ${small(sum((t) => t.writeUnits))} | ${small(p.sqsRequests)} | ${small(p.s3PutRequests + p.s3GetRequests)} / ${n(p.s3Bytes)} | ${small(invocations)} / ${n(ms, 1)} |`;
  });
  return [
    '| Stage (per household) | DynamoDB reads / writes (requests) | Read / write units | SQS requests | S3 requests / bytes | Lambda invocations / ms (local) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

export function renderPlan(today: NationalPlan, planned: NationalPlan): string {
  const rows = planned.stages.map((p, i) => {
    const was = today.stages[i];
    const warm = Object.entries(p.writesPerSecond)
      .filter(([, w]) => w >= 1)
      .map(([table, w]) => `${table} ${n(w)} W / ${n(p.readsPerSecond[table] ?? 0)} R`)
      .join('; ');
    return `| ${p.stage} | ${n(p.households / 1e6, 1)} M | ${n(p.writeUnits / 1e6)} M / ${n(p.readUnits / 1e6)} M | ${was ? `${n(was.hours, 1)} h: ${was.limits[0]?.what}` : ''} | ${n(p.hours, 2)} h: ${p.limits[0]?.what} | ${warm} | ${n(p.busyInstances)} | $${n(p.cost.total)} |`;
  });
  return [
    '| Stage | Households | Write / read units | Today: hours, binding limit | Plan: hours, binding limit | Plan: units a second per table | Lambda busy | Cost |',
    '| --- | ---: | ---: | --- | --- | --- | ---: | ---: |',
    ...rows,
    `| **Upload to last payment line** | | | **${n(today.hours, 1)} h** | **${n(planned.hours, 1)} h** | | | **$${n(planned.cost)}** |`,
  ].join('\n');
}

/** The paid share is the counted one: payment lines over registry households in the larger run. */
export function paidShareOf(calls: NationalCalls): number {
  const run = [...calls.runs].sort((a, b) => b.households - a.households)[0];
  const lines = run?.stages.find((s) => s.stage === 'batch make')?.households ?? 0;
  return run ? lines / run.households : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const calls = JSON.parse(
    await readFile(process.argv[2] ?? 'bench/national-calls.json', 'utf8'),
  ) as NationalCalls;
  const profiles = stageProfiles(calls.runs);
  const scenario = { ...NATIONAL, paidShare: paidShareOf(calls) };
  const today = planNational(profiles, scenario, AWS_LIMITS, TODAY);
  const planned = planNational(profiles, scenario, AWS_LIMITS, PLANNED);
  console.log(
    `Counted at ${calls.runs.map((r) => r.households).join(' and ')} households, commit ${calls.commit.slice(0, 7)}, ${calls.measuredAt}; paid share ${n(scenario.paidShare, 3)}\n`,
  );
  console.log(renderCounts(profiles));
  console.log('');
  console.log(renderPlan(today, planned));
  console.log(
    `\nFirst bottleneck today: ${today.firstBottleneck.stage}, ${today.firstBottleneck.limit.what}; with the plan: ${planned.firstBottleneck.stage}, ${planned.firstBottleneck.limit.what}`,
  );
  for (const stage of planned.stages)
    console.log(
      `  ${stage.stage}: ${stage.limits
        .slice(0, 4)
        .map((l) => `${l.what} ${n(l.householdsPerSecond)}/s`)
        .join(
          '; ',
        )}; S3 ${n(stage.s3RequestsPerSecond, 1)} req/s; cost ddb $${n(stage.cost.dynamodb)} lambda $${n(stage.cost.lambda)} sqs $${n(stage.cost.sqs)} s3 $${n(stage.cost.s3)}`,
    );
}
