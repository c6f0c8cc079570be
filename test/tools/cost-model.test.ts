import { existsSync, readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionPlans } from '../../infra/function-plans.js';
import { queues } from '../../packages/adapters/src/resources.js';
import {
  blendCalls,
  type CallCounts,
  type CallStep,
  costPerMillion,
  formatDollars,
  intakeSteps,
  listPrices,
  modelledCalls,
  modelRegistrationCalls,
  modelRegistrationSteps,
  readUnits,
  reconciliationSteps,
  renderCostTable,
  renderIntakeSummary,
  renderStepTable,
  repeatRegistration,
  smsCostPerMillion,
  typicalRegistration,
  UNIQUE_SHARE_2020,
  uniqueRegistration,
  utf8Bytes,
  writeUnits,
} from '../../tools/cost-model/cost-model.js';

const root = new URL('../../', import.meta.url);
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
    ...intakeSteps('sns', uniqueRegistration),
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
    // That the handler sends no DynamoDB command is driven in test/functions/sms-sender-handler.test.ts
    // ("makes no DynamoDB call at all", every DynamoDB command rejected).
  });

  it('reads with one Query of the person and one of the phone, and no enrollment pre-read', () => {
    const reads = modelRegistrationSteps().filter((s) => s.service === 'dynamodbReadUnits');
    expect(reads.map((s) => s.source)).toEqual([
      'packages/adapters/src/registry/dynamodb-registry-lookup.ts',
      'packages/adapters/src/registration/dynamodb-registration-store.ts',
    ]);
    // The lookup's Query commands ('pk = :pk', no index) are observed in cost-model-behaviour.test.ts;
    // one Query per person and one per phone (pk PHONE#...), nothing else read, in
    // test/functions/reconciler-handler.test.ts ("decides and replies to good records ...").
  });

  it('counts index writes as the adapters write index keys: none for the record, one for the decision', () => {
    // The registration record carries index keys only when flagged for review (not the modelled path):
    // the record the reconciler puts has no gsi1pk in test/functions/reconciler-handler.test.ts.
    // The decision of record carries the sparse byCampaignDecision index's keys (rules replay reads
    // them), and the enrollment the byCampaign index's keys: both observed on the PutCommand the
    // adapter sends in cost-model-behaviour.test.ts.
    const write = (file: string) =>
      modelRegistrationSteps().find((s) => s.service === 'dynamodbWriteUnits' && s.source.endsWith(file));
    expect(write('dynamodb-decision-records.ts')?.units).toBe(
      writeUnits(uniqueRegistration.itemKb.decisionOfRecord, 1),
    );
    expect(write('dynamodb-enrollment-store.ts')?.units).toBe(
      writeUnits(uniqueRegistration.itemKb.enrollment, 1),
    );
  });

  it('queues the replies of a batch as one pack when it ends, one message the sender takes alone', () => {
    // Observed elsewhere by running the code: the reconciler queues a batch's replies in one SQS request
    // at its end (test/functions/reconciler-handler.test.ts); packing (one SendMessage for a batch, 500
    // replies and 200 KiB a pack at most) with a mocked SQS client in cost-model-behaviour.test.ts; the
    // sender takes a pack and hands it to the aggregator in the bulk form (test/functions/
    // sms-sender-handler.test.ts); the pack of 100 in one bulk request: SMS_BULK_MAX imported in
    // cost-model-behaviour.test.ts, used as the chunk size in test/adapters/sms-delivery.test.ts.
    expect(queues.outbound.batchSize).toBe(1);
    // 100 replies of 0.4 KB: one pack under 64 KB, so one SendMessage, one receive, one delete a batch.
    const flush = modelRegistrationSteps().find((s) => /SendMessage` of the batch's replies/.test(s.what));
    expect(flush?.units).toBeCloseTo(1 / queues.registrations.batchSize, 10);
    expect(flush?.perBatch).toBe(true);
    const sender = modelRegistrationSteps().filter((s) => s.stage === 'sms-sender');
    expect(sum(sender, 'lambdaRequests')).toBeCloseTo(1 / queues.registrations.batchSize, 10);
    expect(sum(sender, 'sqsRequests')).toBeCloseTo(2 / queues.registrations.batchSize, 10);
  });

  it('bills a pack past 64 KB as one SQS request per chunk', () => {
    const urduLong = modelRegistrationSteps({
      ...uniqueRegistration,
      itemKb: { ...uniqueRegistration.itemKb, reply: 0.8 },
    });
    const flush = urduLong.find((s) => /SendMessage` of the batch's replies/.test(s.what));
    // 100 replies of 0.8 KB: 80 KB, two chunks.
    expect(flush?.units).toBeCloseTo(2 / queues.registrations.batchSize, 10);
  });

  it('lists the same steps for both assumption sets, so the doc can put them side by side', () => {
    for (const intake of ['webhook', 'sns'] as const) {
      const unique = modelRegistrationSteps(uniqueRegistration, intake).map((s) => [
        s.stage,
        s.what,
        s.service,
      ]);
      expect(
        modelRegistrationSteps(repeatRegistration, intake).map((s) => [s.stage, s.what, s.service]),
      ).toEqual(unique);
    }
  });

  it('takes an SMS from the two-way topic with one sns-inbound invocation and one SQS request', () => {
    // One SendMessageBatch request for the notification's one record, and no other SQS call: observed by
    // running the handler in test/functions/sns-inbound-logging.test.ts.
    const sns = modelRegistrationCalls(uniqueRegistration, 'sns');
    const webhook = modelRegistrationCalls(uniqueRegistration, 'webhook');
    expect(sns.apiRequests).toBe(0);
    expect(sns.snsPublishes).toBe(1);
    expect(webhook.snsPublishes).toBe(0);
    expect(sns.lambdaRequests).toBeCloseTo(webhook.lambdaRequests, 10);
    expect(sns.sqsRequests).toBeCloseTo(webhook.sqsRequests, 10);
    // Less work than the api (no HTTP routing, no signature): estimated below its duration.
    expect(sns.lambdaGbSeconds).toBeLessThan(webhook.lambdaGbSeconds);
    expect(functionPlans['sns-inbound'].memorySize).toBe(functionPlans['sms-webhook'].memorySize);
  });

  it('shares the reconciliation and reply steps between both intakes', () => {
    const pastIntake = (intake: 'webhook' | 'sns') =>
      modelRegistrationSteps(uniqueRegistration, intake).slice(intakeSteps(intake).length);
    expect(pastIntake('sns')).toEqual(reconciliationSteps(uniqueRegistration));
    expect(pastIntake('webhook')).toEqual(reconciliationSteps(uniqueRegistration));
  });
});

describe('what remains in CloudWatch Logs per registration', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  /** What `write` puts on stdout (where Powertools writes, past the runtime's console). */
  async function stdoutOf(write: () => unknown): Promise<string[]> {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    await write();
    vi.restoreAllMocks();
    return lines;
  }

  const nearly = (actual: number, modelled: number) => {
    expect(actual).toBeGreaterThan(modelled * 0.95);
    expect(actual).toBeLessThan(modelled * 1.05);
  };

  // That the sms-webhook writes nothing for an accepted SMS and one error line for a 500 is observed on
  // its output in test/functions/sms-webhook-logging.test.ts; the model counts only its access log line.

  it("sizes sns-inbound's INFO line as Powertools Logger writes it with the Lambda context", async () => {
    // That the handler writes exactly this one INFO line (masked phone, same size) is observed by running
    // it in test/functions/sns-inbound-logging.test.ts.
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'madad-sns-inbound');
    vi.stubEnv('POWERTOOLS_DEV', '');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'INFO');
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    );
    const name = 'Madad-prod-SnsInboundFunction7A1B2C3D-AbCdEfGhIjKl';
    const lines = await stdoutOf(() => {
      const logger = new Logger();
      logger.addContext({
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:ap-south-1:123456789012:function:${name}`,
        memoryLimitInMB: '256',
        awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        callbackWaitsForEmptyEventLoop: true,
        logGroupName: `/aws/lambda/${name}`,
        logStreamName: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef',
        getRemainingTimeInMillis: () => 1000,
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
      });
      logger.info('Queued inbound SMS', {
        messageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
        from: '+92300*****67',
      });
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'INFO', message: 'Queued inbound SMS' });
    nearly(utf8Bytes(lines[0] ?? ''), uniqueRegistration.logBytes.snsInboundLine);
  });

  it("sizes the reconciler's decisions metric line as Powertools Metrics writes it, one per status", async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'madad-reconciler');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Madad');
    vi.stubEnv('POWERTOOLS_DEV', '');
    vi.resetModules();
    const { publishDecisionCounts } = await import('../../functions/reconciler/decision-metrics.js');
    const lines = await stdoutOf(() =>
      publishDecisionCounts([
        ['campaign-1', { 'status:ELIGIBLE': 3, 'status:DUPLICATE': 90, registered: 93 }],
      ]),
    );
    expect(lines).toHaveLength(2);
    // EMF lines carry no `level`: Lambda files them under INFO, so the application level must stay INFO.
    expect(JSON.parse(lines[0] ?? '{}')).not.toHaveProperty('level');
    for (const line of lines) nearly(utf8Bytes(line), uniqueRegistration.logBytes.decisionMetricLine);
  });

  // The sender's reply line is at DEBUG, below the functions' INFO: observed on its output in
  // test/functions/sms-sender-logging.test.ts; the levels (application INFO, system WARN) are asserted on
  // the synthesized template in test/infra/madad-stack.test.ts ("log JSON without ... from INFO").

  it('adds up to the access log line and a share of the metric lines: no START/END/REPORT', () => {
    const batch = queues.registrations.batchSize;
    const { logBytes, decisionStatusesPerBatch } = uniqueRegistration;
    const metrics = (decisionStatusesPerBatch * logBytes.decisionMetricLine) / batch;
    expect(modelRegistrationCalls(uniqueRegistration, 'webhook').logBytes).toBeCloseTo(
      logBytes.accessLogLine + metrics,
      10,
    );
    expect(modelRegistrationCalls(uniqueRegistration, 'sns').logBytes).toBeCloseTo(
      logBytes.snsInboundLine + metrics,
      10,
    );
    expect(modelRegistrationCalls().logBytes).toBeLessThan(400);
  });
});

describe('X-Ray traces per registration', () => {
  it('traces only the queue consumers, 5% of their invocations, once a batch', () => {
    expect(functionPlans['sms-webhook'].tracing).toBe('PassThrough');
    expect(functionPlans['sns-inbound'].tracing).toBe('PassThrough');
    expect(functionPlans.reconciler.tracing).toBe('Active');
    expect(functionPlans['sms-sender'].tracing).toBe('Active');
    // A reconciler invocation a batch, a sender invocation a pack (the batch's replies).
    const consumerInvocations = 2 / queues.registrations.batchSize;
    for (const intake of ['webhook', 'sns'] as const) {
      expect(modelRegistrationCalls(uniqueRegistration, intake).xrayTraces).toBeCloseTo(
        uniqueRegistration.tracedShare * consumerInvocations,
        10,
      );
    }
  });
});

describe('modelRegistrationCalls', () => {
  const batch = queues.registrations.batchSize;
  const replies = queues.outbound.batchSize;
  const unique = modelRegistrationSteps(uniqueRegistration);
  const repeat = modelRegistrationSteps(repeatRegistration);
  // Amortized per batch: one campaign counter shard (4 KB: 4 units), the same shard of the hour's item
  // (the public page's figures as of the hour, 4 units) and one per-minute rate item (1 unit).
  const counters = (2 * writeUnits(4) + writeUnits(0.1)) / batch;

  it('counts the webhook, the reconciler’s share of a batch and the sender’s share of a pack', () => {
    const calls = modelRegistrationCalls();
    expect(calls).toEqual(modelRegistrationCalls(typicalRegistration));
    expect(calls.apiRequests).toBe(1);
    // The api; the reconciler once a batch; the sender once a pack, a batch's replies.
    expect(calls.lambdaRequests).toBeCloseTo(1 + 1 / batch + 1 / (batch * replies), 10);
    // The webhook's SendMessage; the reconciler's poller and its pack; the pack's receive and delete.
    expect(calls.sqsRequests).toBeCloseTo(
      1 + (2 * Math.ceil(batch / 10)) / batch + 1 / batch + 2 / batch,
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

  it('writes a repeat at most 2 units, its own record and its phone counter, plus the amortized batch counters', () => {
    expect(sum(repeat, 'dynamodbWriteUnits', false)).toBeLessThanOrEqual(2);
    expect(sum(repeat, 'dynamodbWriteUnits', true)).toBeCloseTo(counters, 10);
    expect(modelRegistrationCalls(repeatRegistration).dynamodbWriteUnits).toBeCloseTo(2 + counters, 10);
  });

  it('writes a unique registration record and decision (≤ 5 units), and the indexed enrollment when eligible', () => {
    const notEnrolling = modelRegistrationSteps({ ...uniqueRegistration, eligibleShare: 0 });
    expect(sum(notEnrolling, 'dynamodbWriteUnits', false)).toBeLessThanOrEqual(5);
    // Record, decision (+ its byCampaignDecision entry, for rules replay), the phone's hourly counter
    // and the CNIC's phones (phonesPerCnic).
    expect(sum(notEnrolling, 'dynamodbWriteUnits', false)).toBe(1 + 2 + 1 + 1);
    // A household's first eligible registration adds its enrollment (+ byCampaign): 7, over the 5.
    expect(sum(unique, 'dynamodbWriteUnits', false)).toBe(1 + 2 + 1 + 1 + 2);
    expect(sum(unique, 'dynamodbWriteUnits', true)).toBeCloseTo(counters, 10);
  });

  it('writes one phone counter per phone and hour a batch: a unit for a phone alone in its batch, less for a flood', () => {
    expect(uniqueRegistration.phoneCounterShare).toBe(1);
    const flood = modelRegistrationCalls({ ...repeatRegistration, phoneCounterShare: 0.1 });
    expect(
      modelRegistrationCalls(repeatRegistration).dynamodbWriteUnits - flood.dynamodbWriteUnits,
    ).toBeCloseTo(0.9, 10);
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
    expect(unique['SNS publishes']).toBe(0);
    expect(unique['DynamoDB writes (on-demand)']).toBeCloseTo(7.09 * 0.625, 6);
    expect(unique['DynamoDB reads (on-demand)']).toBeCloseTo(1 * 0.125, 6);
    expect(byItem(cost.repeat)['DynamoDB writes (on-demand)']).toBeCloseTo(2.09 * 0.625, 6);
    expect(cost.unique.total).toBeGreaterThan(4.5);
    expect(cost.unique.total).toBeLessThan(7.0);
    expect(cost.repeat.total).toBeGreaterThan(2.5);
    expect(cost.repeat.total).toBeLessThan(3.5);
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

  it('finds writes the largest item of a unique registration and of a repeat (its phone counter)', () => {
    const largest = (c: typeof cost.unique) => [...c.lines].sort((a, b) => b.dollars - a.dollars)[0]?.item;
    expect(largest(cost.unique)).toBe('DynamoDB writes (on-demand)');
    expect(largest(cost.repeat)).toBe('DynamoDB writes (on-demand)');
  });

  it('prices the SNS intake with a $0.50 publish instead of the $1.00 HTTP API request', () => {
    const sns = modelledCalls('sns');
    const snsItems = byItem(costPerMillion(sns.repeat));
    expect(listPrices.snsPerMillionRequests).toBe(0.5);
    expect(snsItems['SNS publishes']).toBeCloseTo(0.5, 6);
    expect(snsItems['API Gateway HTTP API requests']).toBe(0);
    for (const key of ['unique', 'repeat', 'mix2020'] as const) {
      expect(costPerMillion(sns[key]).total).toBeLessThan(cost[key].total);
    }
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
    expect(doc).toContain(renderStepTable('sns', 'intake'));
    expect(doc).toContain(renderCostTable());
    expect(doc).toContain(renderCostTable('sns'));
    expect(doc).toContain(renderIntakeSummary());
    for (const c of Object.values(cost)) expect(doc).toContain(formatDollars(c.total));
    expect(doc).toContain(listPrices.asOf);
    expect(doc).toContain(`batch of ${queues.registrations.batchSize}`);
  });
});
