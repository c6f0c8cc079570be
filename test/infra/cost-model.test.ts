import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blendCalls,
  type CallCounts,
  type CallStep,
  costPerMillion,
  formatDollars,
  listPrices,
  modelledCalls,
  modelRegistrationCalls,
  modelRegistrationSteps,
  readUnits,
  renderCostTable,
  renderStepTable,
  repeatRegistration,
  smsCostPerMillion,
  typicalRegistration,
  UNIQUE_SHARE_2020,
  uniqueRegistration,
  writeUnits,
} from '../../infra/cost-model.js';
import { queues } from '../../packages/adapters/src/resources.js';

const root = new URL('../../', import.meta.url);
const source = (path: string) => readFileSync(new URL(path, root), 'utf8');
const sum = (steps: readonly CallStep[], service: CallStep['service'], perBatch?: boolean) =>
  steps
    .filter((s) => s.service === service && (perBatch === undefined || s.perBatch === perBatch))
    .reduce((total, s) => total + s.units, 0);

describe('on-demand request units', () => {
  it('charges a write per started KB, once more for each index the item projects into', () => {
    expect(writeUnits(0.1)).toBe(1);
    expect(writeUnits(0.9, 1)).toBe(2);
    expect(writeUnits(1.2, 1)).toBe(4);
  });

  it('charges an eventually consistent read half a unit per started 4 KB, even when nothing is found', () => {
    expect(readUnits(0)).toBe(0.5);
    expect(readUnits(3.9)).toBe(0.5);
    expect(readUnits(4.5)).toBe(1);
  });
});

describe('the modelled path matches the code', () => {
  const steps = [
    ...modelRegistrationSteps(uniqueRegistration),
    ...modelRegistrationSteps(repeatRegistration),
  ];

  it('names an existing source file for every step', () => {
    for (const step of steps) {
      expect(step.source, step.what).toMatch(/^(infra|packages|functions)\/[\w/.-]+\.ts$/);
      expect(existsSync(new URL(step.source, root)), step.source).toBe(true);
    }
  });

  it('has no step of the removed sender activity or of the outbound claim and mark-sent', () => {
    expect(existsSync(new URL('packages/adapters/src/dynamodb-sender-activity.ts', root))).toBe(false);
    for (const step of steps) {
      expect(`${step.what} ${step.source}`, step.what).not.toMatch(
        /sender-activity|sender activity|outbound-log|claim|mark(ed)? (it )?sent/i,
      );
    }
  });

  it('gives the sms-sender no DynamoDB call, as its handler makes none', () => {
    const sender = steps.filter((s) => s.stage === 'sms-sender');
    expect(sender.filter((s) => s.service.startsWith('dynamodb'))).toEqual([]);
    expect(source('functions/sms-sender/handler.ts')).not.toMatch(/DynamoDb\w+|\bdoc\b/);
  });

  it('reads with one Query of the person and one of the phone, and no enrollment pre-read', () => {
    const reads = modelRegistrationSteps().filter((s) => s.service === 'dynamodbReadUnits');
    expect(reads.map((s) => s.source)).toEqual([
      'packages/adapters/src/dynamodb-registry-lookup.ts',
      'packages/adapters/src/dynamodb-registration-store.ts',
    ]);
    expect(source(reads[0]?.source ?? '')).toMatch(/QueryCommand[\s\S]*KeyConditionExpression: 'pk = :pk'/);
    expect(source(reads[1]?.source ?? '')).toMatch(/phoneMessages\(phone\)/);
  });

  it('counts index writes as the adapters write index keys: none for the record and the decision', () => {
    // The registration record carries index keys only when flagged for review (not the modelled path).
    expect(source('packages/adapters/src/dynamodb-registration-store.ts')).not.toMatch(/gsi1pk|byCnic/);
    expect(source('packages/adapters/src/dynamodb-decision-records.ts')).not.toMatch(/gsi\d/);
    expect(source('packages/adapters/src/dynamodb-enrollment-store.ts')).toMatch(/gsi2pk/);
    const write = (file: string) =>
      modelRegistrationSteps().find((s) => s.service === 'dynamodbWriteUnits' && s.source.endsWith(file));
    expect(write('dynamodb-decision-records.ts')?.units).toBe(
      writeUnits(uniqueRegistration.itemKb.decisionOfRecord),
    );
    expect(write('dynamodb-enrollment-store.ts')?.units).toBe(
      writeUnits(uniqueRegistration.itemKb.enrollment, 1),
    );
  });

  it('queues the replies of a batch together when it ends, ten a request', () => {
    expect(source('functions/reconciler/handler.ts')).toMatch(/flushReplies\(/);
    expect(source('packages/adapters/src/sqs-queue.ts')).toMatch(/entries: 10\b/);
    const flush = modelRegistrationSteps().find((s) =>
      /SendMessageBatch` of the batch's replies/.test(s.what),
    );
    expect(flush?.units).toBeCloseTo(
      Math.ceil(queues.registrations.batchSize / 10) / queues.registrations.batchSize,
      10,
    );
    expect(flush?.perBatch).toBe(true);
  });

  it('lists the same steps for both assumption sets, so the doc can put them side by side', () => {
    const unique = modelRegistrationSteps(uniqueRegistration).map((s) => [s.stage, s.what, s.service]);
    expect(modelRegistrationSteps(repeatRegistration).map((s) => [s.stage, s.what, s.service])).toEqual(
      unique,
    );
  });
});

describe('modelRegistrationCalls', () => {
  const batch = queues.registrations.batchSize;
  const replies = queues.outbound.batchSize;
  const unique = modelRegistrationSteps(uniqueRegistration);
  const repeat = modelRegistrationSteps(repeatRegistration);
  // Amortized per batch: one campaign counter shard (4 KB: 4 units) and one per-minute rate item (1 unit).
  const counters = (writeUnits(4) + writeUnits(0.1)) / batch;

  it('counts the webhook, the reconciler’s share of a batch and the sender’s share of a batch', () => {
    const calls = modelRegistrationCalls();
    expect(calls).toEqual(modelRegistrationCalls(typicalRegistration));
    expect(calls.apiRequests).toBe(1);
    expect(calls.lambdaRequests).toBeCloseTo(1 + 1 / batch + 1 / replies, 10);
    // The webhook's SendMessage; the reconciler's poller and reply flush; the sender's poller.
    expect(calls.sqsRequests).toBeCloseTo(
      1 +
        (2 * Math.ceil(batch / 10)) / batch +
        Math.ceil(batch / 10) / batch +
        (2 * Math.ceil(replies / 10)) / replies,
      10,
    );
  });

  it('reads at most 1 unit: half for the person’s partition, half for the phone’s records', () => {
    expect(sum(unique, 'dynamodbReadUnits')).toBeLessThanOrEqual(1);
    expect(sum(repeat, 'dynamodbReadUnits')).toBeLessThanOrEqual(1);
    expect(sum(unique, 'dynamodbReadUnits')).toBe(1);
  });

  it('reads more for a phone with a long history: half a unit per started 4 KB of its records', () => {
    const busy = modelRegistrationCalls({ ...repeatRegistration, phoneMessagesBefore: 15 });
    // 15 records of 0.9 KB: 13.5 KB, 4 started 4 KB blocks.
    expect(busy.dynamodbReadUnits).toBe(0.5 + 2);
  });

  it('writes a repeat at most 1 unit, its own record, plus the amortized batch counters', () => {
    expect(sum(repeat, 'dynamodbWriteUnits', false)).toBeLessThanOrEqual(1);
    expect(sum(repeat, 'dynamodbWriteUnits', true)).toBeCloseTo(counters, 10);
    expect(modelRegistrationCalls(repeatRegistration).dynamodbWriteUnits).toBeCloseTo(1 + counters, 10);
  });

  it('writes a unique registration record and decision (≤ 3 units), and the indexed enrollment when eligible', () => {
    const notEnrolling = modelRegistrationSteps({ ...uniqueRegistration, eligibleShare: 0 });
    expect(sum(notEnrolling, 'dynamodbWriteUnits', false)).toBeLessThanOrEqual(3);
    expect(sum(notEnrolling, 'dynamodbWriteUnits', false)).toBe(1 + 1);
    // A household's first eligible registration adds its enrollment (+ byCampaign): 4, over the 3.
    expect(sum(unique, 'dynamodbWriteUnits', false)).toBe(1 + 1 + 2);
    expect(sum(unique, 'dynamodbWriteUnits', true)).toBeCloseTo(counters, 10);
  });

  it('writes no busy-phone counter on the modelled path, one per busy phone when past a third', () => {
    expect(uniqueRegistration.busyPhoneShare).toBe(0);
    const busy = modelRegistrationCalls({ ...repeatRegistration, busyPhoneShare: 1 });
    expect(
      busy.dynamodbWriteUnits - modelRegistrationCalls(repeatRegistration).dynamodbWriteUnits,
    ).toBeCloseTo(1, 10);
  });

  it('follows the batch sizes of resources.ts: smaller batches cost more per registration', () => {
    const small = modelRegistrationCalls({ ...uniqueRegistration, reconcilerBatchSize: 5 });
    const calls = modelRegistrationCalls();
    expect(small.lambdaRequests).toBeGreaterThan(calls.lambdaRequests);
    expect(small.sqsRequests).toBeGreaterThan(calls.sqsRequests);
    expect(small.dynamodbWriteUnits).toBeGreaterThan(calls.dynamodbWriteUnits);
  });
});

describe('costPerMillion', () => {
  const calls = modelledCalls();
  const cost = {
    unique: costPerMillion(calls.unique),
    repeat: costPerMillion(calls.repeat),
    mix2020: costPerMillion(calls.mix2020),
  };
  const byItem = (c: typeof cost.unique) =>
    Object.fromEntries(c.lines.map((line) => [line.item, line.dollars]));

  it('prices a million registrations at list prices, SMS excluded', () => {
    const unique = byItem(cost.unique);
    expect(unique['API Gateway HTTP API requests']).toBeCloseTo(1.0, 6);
    expect(unique['DynamoDB writes (on-demand)']).toBeCloseTo(4.05 * 0.625, 6);
    expect(unique['DynamoDB reads (on-demand)']).toBeCloseTo(1 * 0.125, 6);
    expect(byItem(cost.repeat)['DynamoDB writes (on-demand)']).toBeCloseTo(1.05 * 0.625, 6);
    expect(cost.unique.total).toBeGreaterThan(5);
    expect(cost.unique.total).toBeLessThan(6);
    expect(cost.repeat.total).toBeGreaterThan(3.5);
    expect(cost.repeat.total).toBeLessThan(4);
    expect(cost.unique.lines.some((line) => /sms/i.test(line.item))).toBe(false);
  });

  it('weighs the 2020 mix as 48.2 million unique of 1.46 billion SMS', () => {
    expect(UNIQUE_SHARE_2020).toBeCloseTo(0.033, 3);
    expect(calls.mix2020).toEqual(blendCalls(calls.unique, calls.repeat, UNIQUE_SHARE_2020));
    expect(cost.mix2020.total).toBeCloseTo(
      UNIQUE_SHARE_2020 * cost.unique.total + (1 - UNIQUE_SHARE_2020) * cost.repeat.total,
      10,
    );
  });

  it('finds writes the largest item of a unique registration, API Gateway that of a repeat', () => {
    const largest = (c: typeof cost.unique) => [...c.lines].sort((a, b) => b.dollars - a.dollars)[0]?.item;
    expect(largest(cost.unique)).toBe('DynamoDB writes (on-demand)');
    expect(largest(cost.repeat)).toBe('API Gateway HTTP API requests');
  });

  it('is linear in measured counts, so the benchmark can feed its own', () => {
    const measured: CallCounts = { ...calls.unique, dynamodbWriteUnits: calls.unique.dynamodbWriteUnits + 2 };
    const difference = costPerMillion(measured).total - cost.unique.total;
    expect(difference).toBeCloseTo(2 * listPrices.dynamodbPerMillionWriteUnits, 6);
  });

  it('keeps SMS apart: at any plausible price it dwarfs everything else', () => {
    expect(smsCostPerMillion({ segmentsPerReply: 1.3, dollarsPerSegment: 0.002 })).toBeCloseTo(2600, 6);
  });

  it('is what docs/cost-model.md publishes: the step table, the cost table and the totals', () => {
    const doc = readFileSync(new URL('docs/cost-model.md', root), 'utf8');
    expect(doc).toContain(renderStepTable());
    expect(doc).toContain(renderCostTable());
    for (const c of Object.values(cost)) expect(doc).toContain(formatDollars(c.total));
    expect(doc).toContain(listPrices.asOf);
    expect(doc).toContain(`batch of ${queues.registrations.batchSize}`);
  });
});
