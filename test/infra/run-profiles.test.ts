import { type QueueId, queues } from '@madad/adapters/resources';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AccountConcurrencyError,
  checkAccountConcurrency,
  concurrencyNeeded,
  UNRESERVED_MINIMUM,
} from '../../infra/concurrency-budget.js';
import { deployOptions } from '../../infra/deploy-options.js';
import { nationalRun } from '../../infra/run-profiles.js';
import { PLANNED } from '../../tools/cost-model/national-plan-report.js';
import { arnOf, logicalId, type SynthesizedStage, synthesizeStage } from './synthesize-stage.js';

interface TableJson {
  WarmThroughput?: unknown;
  GlobalSecondaryIndexes?: Array<{ IndexName: string; WarmThroughput?: unknown }>;
}

const tablesOf = (synthesized: SynthesizedStage): TableJson[] =>
  Object.values(synthesized.template.findResources('AWS::DynamoDB::Table')).map(
    (resource) => resource.Properties as TableJson,
  );

/** The maximum concurrency of the event source that feeds a queue to its consumer. */
function maxConcurrencyOf(synthesized: SynthesizedStage, id: QueueId): number | undefined {
  const arn = JSON.stringify(arnOf(synthesized.stack.queues.get(id).queue));
  const mappings = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping'));
  const mapping = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn) === arn);
  if (!mapping) throw new Error(`no event source for the ${id} queue`);
  return mapping.Properties.ScalingConfig?.MaximumConcurrency;
}

describe('deployOptions: runProfile and accountConcurrency', () => {
  const from = (context: Record<string, unknown>) => deployOptions((key) => context[key]);

  it('reads `-c runProfile=national` as the national run profile', () => {
    expect(from({ runProfile: 'national' }).runProfile).toBe(nationalRun);
  });

  it('fails the synth on a profile it does not know or a quota that is not a number', () => {
    expect(() => from({ runProfile: 'nationwide' })).toThrow(/runProfile must be one of national/);
    expect(() => from({ accountConcurrency: 'lots' })).toThrow(/accountConcurrency/);
  });

  it('reads the account quota as a number', () => {
    expect(from({ accountConcurrency: '3000' })).toEqual({ accountConcurrency: 3000 });
  });
});

describe('concurrencyNeeded', () => {
  const demand = { reserved: { api: 400, 'sms-webhook': 400 }, eventSources: { imports: 500, outbound: 20 } };

  it('adds the reservations, every event source at its maximum and the 100 Lambda keeps unreserved', () => {
    expect(concurrencyNeeded(demand)).toBe(400 + 400 + 500 + 20 + UNRESERVED_MINIMUM);
  });

  it('accepts a quota that holds it and refuses one that does not, naming both figures', () => {
    expect(() => checkAccountConcurrency(demand, 1420)).not.toThrow();
    expect(() => checkAccountConcurrency(demand, 1419)).toThrow(AccountConcurrencyError);
    expect(() => checkAccountConcurrency(demand, 1000)).toThrow(/1420 Lambda executions .* account's 1000/);
  });
});

describe('the national run profile on the prod stage (`-c runProfile=national`)', () => {
  let plain: SynthesizedStage;
  let national: SynthesizedStage;

  beforeAll(() => {
    plain = synthesizeStage('prod', { bundle: false });
    national = synthesizeStage('prod', { bundle: false, context: { runProfile: 'national' } });
  }, 240_000);

  it('pre-warms both tables, and the indexes the run uses, to the profile’s read and write units', () => {
    const warm = {
      ReadUnitsPerSecond: nationalRun.warmThroughput.readUnitsPerSecond,
      WriteUnitsPerSecond: nationalRun.warmThroughput.writeUnitsPerSecond,
    };
    const found = tablesOf(national);

    expect(found).toHaveLength(2);
    for (const table of found) expect(table.WarmThroughput).toEqual(warm);
    const indexes = found.flatMap((table) => table.GlobalSecondaryIndexes ?? []);
    const warmed = indexes.filter((index) => index.WarmThroughput !== undefined);
    expect(warmed.map((index) => index.IndexName).sort()).toEqual([...nationalRun.warmIndexes].sort());
    for (const index of warmed) expect(index.WarmThroughput).toEqual(warm);
  });

  it('leaves every table and index as a new on-demand one without the profile', () => {
    for (const table of tablesOf(plain)) {
      expect(table.WarmThroughput).toBeUndefined();
      for (const index of table.GlobalSecondaryIndexes ?? []) expect(index.WarmThroughput).toBeUndefined();
    }
  });

  it('raises the import, activation and batch workers’ maximum concurrency, and only with the profile', () => {
    for (const id of ['imports', 'activation', 'batches'] as const) {
      expect(maxConcurrencyOf(national, id), id).toBe(nationalRun.workerConcurrency[id]);
      expect(maxConcurrencyOf(plain, id), id).toBe(queues[id].maxConcurrency);
    }
    // The surge's consumers keep the values that protect the tables during a surge.
    expect(maxConcurrencyOf(national, 'registrations')).toBe(queues.registrations.maxConcurrency);
  });

  it('reserves no concurrency for the workers: their event sources bound them', () => {
    const reserved = (fn: 'import-worker' | 'activation-worker' | 'batch-worker') =>
      national.template.toJSON().Resources[logicalId(national.stack.lambda(fn).function)].Properties
        .ReservedConcurrentExecutions;

    expect(reserved('import-worker')).toBeUndefined();
    expect(reserved('activation-worker')).toBeUndefined();
    expect(reserved('batch-worker')).toBeUndefined();
  });

  it('deploys the settings the cost model’s plan is computed with (tools/cost-model)', () => {
    const registry = tablesOf(national)[0];

    expect(registry?.WarmThroughput).toEqual({
      ReadUnitsPerSecond: PLANNED.warmReadsPerTable,
      WriteUnitsPerSecond: PLANNED.warmWritesPerTable,
    });
    expect(maxConcurrencyOf(national, 'imports')).toBe(PLANNED.stages['registry import']?.concurrency);
    expect(maxConcurrencyOf(national, 'activation')).toBe(PLANNED.stages.activation?.concurrency);
    expect(maxConcurrencyOf(national, 'batches')).toBe(PLANNED.stages['batch make']?.concurrency);
  });

  it('refuses to synthesize the profile for an account whose quota cannot run it', () => {
    expect(() =>
      synthesizeStage('prod', {
        bundle: false,
        context: { runProfile: 'national', accountConcurrency: 1000 },
      }),
    ).toThrow(AccountConcurrencyError);
  }, 240_000);
});
