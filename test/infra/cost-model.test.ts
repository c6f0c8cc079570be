import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CallCounts,
  costPerMillion,
  formatDollars,
  listPrices,
  modelRegistrationCalls,
  modelRegistrationSteps,
  readUnits,
  renderCostTable,
  smsCostPerMillion,
  typicalRegistration,
  writeUnits,
} from '../../infra/cost-model.js';
import { queues } from '../../packages/adapters/src/resources.js';

describe('on-demand request units', () => {
  it('charges a write per started KB, once more for each index the item projects into', () => {
    expect(writeUnits(0.1)).toBe(1);
    expect(writeUnits(0.9, 1)).toBe(2);
    expect(writeUnits(1.2, 1)).toBe(4);
  });

  it('charges an eventually consistent read half a unit per started 4 KB, even for a missing item', () => {
    expect(readUnits(0)).toBe(0.5);
    expect(readUnits(1.5)).toBe(0.5);
    expect(readUnits(4.5)).toBe(1);
  });
});

describe('modelRegistrationCalls', () => {
  const calls = modelRegistrationCalls();

  it('counts the webhook, the reconciler’s share of a batch and the sender’s share of a batch', () => {
    const batch = queues.registrations.batchSize;
    const replies = queues.outbound.batchSize;
    expect(calls.apiRequests).toBe(1);
    expect(calls.lambdaRequests).toBeCloseTo(1 + 1 / batch + 1 / replies, 10);
    // Sends: the webhook's and the reply's; the pollers receive and delete 10 at a time.
    expect(calls.sqsRequests).toBeCloseTo(
      2 + (2 * Math.ceil(batch / 10)) / batch + (2 * Math.ceil(replies / 10)) / replies,
      10,
    );
  });

  it('reads the applicant, the household, the other members’ flags, the phone and the enrollment', () => {
    // 3 applicant items + 1 household + 5 other members + 1 phone + 1 enrollment, half a unit each.
    expect(calls.dynamodbReadUnits).toBe(11 * 0.5);
  });

  it('writes activity, the indexed registration and enrollment, the batch counters and the sender’s two', () => {
    const counters = (writeUnits(4) + writeUnits(0.1)) / queues.registrations.batchSize;
    expect(calls.dynamodbWriteUnits).toBeCloseTo(1 + 2 + 2 + counters + 2, 10);
  });

  it('follows the batch sizes of resources.ts: smaller batches cost more per registration', () => {
    const small = modelRegistrationCalls({ ...typicalRegistration, reconcilerBatchSize: 5 });
    expect(small.lambdaRequests).toBeGreaterThan(calls.lambdaRequests);
    expect(small.dynamodbWriteUnits).toBeGreaterThan(calls.dynamodbWriteUnits);
  });

  it('writes less for a repeat from a known phone that does not enroll', () => {
    const repeat = modelRegistrationCalls({
      ...typicalRegistration,
      eligibleShare: 0,
      firstFromPhoneShare: 0,
    });
    expect(repeat.dynamodbWriteUnits).toBeCloseTo(calls.dynamodbWriteUnits - 3, 10);
  });

  it('names the source file of every step', () => {
    for (const step of modelRegistrationSteps())
      expect(step.source, step.what).toMatch(/^(infra|packages|functions)\//);
  });
});

describe('costPerMillion', () => {
  const cost = costPerMillion(modelRegistrationCalls());

  it('prices a million typical registrations at list prices, SMS excluded', () => {
    const byItem = Object.fromEntries(cost.lines.map((line) => [line.item, line.dollars]));
    expect(byItem['API Gateway HTTP API requests']).toBeCloseTo(1.0, 6);
    expect(byItem['DynamoDB writes (on-demand)']).toBeCloseTo(7.2 * 0.625, 6);
    expect(byItem['DynamoDB reads (on-demand)']).toBeCloseTo(5.5 * 0.125, 6);
    expect(cost.total).toBeGreaterThan(8);
    expect(cost.total).toBeLessThan(9);
    expect(cost.lines.some((line) => /sms/i.test(line.item))).toBe(false);
  });

  it('finds DynamoDB writes the largest AWS item', () => {
    const largest = [...cost.lines].sort((a, b) => b.dollars - a.dollars)[0];
    expect(largest?.item).toBe('DynamoDB writes (on-demand)');
  });

  it('is linear in measured counts, so the benchmark can feed its own', () => {
    const measured: CallCounts = { ...modelRegistrationCalls(), dynamodbWriteUnits: 14.4 };
    const difference = costPerMillion(measured).total - cost.total;
    expect(difference).toBeCloseTo(7.2 * listPrices.dynamodbPerMillionWriteUnits, 6);
  });

  it('keeps SMS apart: at any plausible price it dwarfs everything else', () => {
    expect(smsCostPerMillion({ segmentsPerReply: 1.3, dollarsPerSegment: 0.002 })).toBeCloseTo(2600, 6);
  });

  it('is the table published in docs/cost-model.md', () => {
    const doc = readFileSync(new URL('../../docs/cost-model.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderCostTable());
    expect(doc).toContain(formatDollars(cost.total));
    expect(doc).toContain(listPrices.asOf);
  });
});
