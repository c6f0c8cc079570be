import {
  deadLetterQueueId,
  instrumentRuntime,
  queueEnvName,
  queues,
  tableEnvName,
  tables,
} from '@madad/adapters';
import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import type { InitializeMiddleware, MetadataBearer } from '@smithy/types';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionPlans } from '../../infra/function-plans.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { invokingFunction } from '../../packages/local/src/handlers.js';
import {
  arnOf,
  type PolicyStatementJson,
  statementsOfRole,
  synthesizeStage,
} from '../infra/synthesize-stage.js';
import { startTestStack, type TestStack, waitFor } from '../support/local-stack.js';

/** One SDK call a function's handler made on the embedded stack, as IAM sees it. */
interface RecordedCall {
  readonly fn: string;
  readonly action: string;
  readonly kind: 'table' | 'queue';
  readonly target: string;
  readonly index?: string;
}

// IAM actions of the document client's and SQS's commands (batch variants need the single action).
const iamAction: Record<string, string> = {
  Get: 'dynamodb:GetItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  BatchGet: 'dynamodb:BatchGetItem',
  BatchWrite: 'dynamodb:BatchWriteItem',
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
};
const sqsOperations = new Set([
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'PurgeQueue',
]);

const envId = <T extends string>(ids: readonly T[], envName: (id: T) => string, value: string) =>
  ids.find((id) => process.env[envName(id)] === value) ?? `unknown:${value}`;

/** `registrations`, or `registrations#dlq` for its dead-letter queue, from a queue URL or name. */
function queueOf(urlOrName: string): string {
  const name = urlOrName.split('/').pop() ?? urlOrName;
  for (const id of Object.keys(queues) as (keyof typeof queues)[]) {
    const own = (process.env[queueEnvName(id)] ?? '').split('/').pop() ?? '';
    if (own === name) return id;
    if (name === own.replace(new RegExp(`${id}$`), deadLetterQueueId(queues[id]))) return `${id}${DLQ}`;
  }
  return `unknown:${name}`;
}
const DLQ = '#dlq';

const calls: RecordedCall[] = [];

function record(fn: string | undefined, commandName: string, input: Record<string, unknown>): void {
  if (!fn) return; // the test's own reads and the stack's seeding are no function's calls
  const operation = commandName.replace(/Command$/, '');
  if (sqsOperations.has(operation.replace(/Batch$/, ''))) {
    const target = queueOf(String(input.QueueUrl ?? input.QueueName));
    calls.push({ fn, action: iamAction[operation] ?? `sqs:${operation}`, kind: 'queue', target });
    return;
  }
  const tableNames =
    typeof input.TableName === 'string'
      ? [input.TableName]
      : Object.keys((input.RequestItems as Record<string, unknown> | undefined) ?? {});
  for (const name of tableNames) {
    const target = envId(Object.keys(tables) as (keyof typeof tables)[], tableEnvName, name);
    const action = iamAction[operation] ?? `dynamodb:${operation}`;
    calls.push({
      fn,
      action,
      kind: 'table',
      target,
      ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
    });
  }
}

/** Whether one of the statements allows `action` on exactly this resource (an ARN token). */
function allows(statements: PolicyStatementJson[], action: string, resource: unknown): boolean {
  const same = JSON.stringify(resource);
  return statements.some((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    const service = action.split(':')[0];
    return (
      actions.some((a) => a === action || a === `${service}:*`) &&
      resources.some((r) => JSON.stringify(r) === same)
    );
  });
}

let t: TestStack;
let cdk: MadadStack;
let template: Template;

beforeAll(async () => {
  t = await startTestStack({ seed: true });
  const recorder: InitializeMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    record(invokingFunction(), String(context.commandName), args.input as Record<string, unknown>);
    return next(args);
  };
  const where = { step: 'initialize', name: 'leastPrivilegeRecorder', priority: 'high' } as const;
  instrumentRuntime((runtime) => {
    runtime.doc.middlewareStack.add(recorder, where);
    runtime.sqs.middlewareStack.add(recorder, where);
  });
  // A day's work in small: an SMS answered, a campaign made and activated, a staff lookup.
  const phone = '+923001234567';
  expect((await t.sms({ from: phone, text: DEMO_CNIC, messageId: 'lp-1' })).status).toBe(200);
  await waitFor(
    async () =>
      (await listSmsGatewayDeliveries(t.stack.env, phone)).find((r) =>
        r.clientReference.startsWith('reply-lp-1-'),
      ),
    30_000,
    'the reply to lp-1',
  );
  const created = await t.staff('/api/v1/campaigns', ['emergency-cell'], {
    method: 'POST',
    body: JSON.stringify({
      name: 'Least privilege floods',
      nameUr: 'سیلاب',
      shockType: 'flood',
      areas: [{ district: 'Lahore' }],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      rules: {
        pmtThreshold: 40,
        exclusionFilters: ['VEHICLE_OWNER'],
        amounts: { topUp: 6000, newBeneficiary: 12000 },
      },
      budgetCap: 1_000_000,
      maxHouseholds: 100,
    }),
  });
  expect(created.status).toBe(201);
  const { campaignId: id } = (await created.json()) as { campaignId: string };
  expect(
    (await t.staff(`/api/v1/campaigns/${id}/activate`, ['emergency-cell'], { method: 'POST' })).status,
  ).toBe(200);
  expect((await t.sms({ from: phone, text: DEMO_CNIC, messageId: 'lp-2' })).status).toBe(200);
  await waitFor(
    async () =>
      (await listSmsGatewayDeliveries(t.stack.env, phone)).find((r) =>
        r.clientReference.startsWith('reply-lp-2-'),
      ),
    30_000,
    'the reply to lp-2',
  );
  await waitFor(
    async () => (calls.some((c) => c.fn === 'activation-worker') ? true : undefined),
    30_000,
    'activation',
  );
  const lookup = await t.staff(`/api/v1/campaigns/${id}/stats`, ['emergency-cell']);
  expect(lookup.status).toBe(200);
  // Rules replay under a raised threshold: the preview in the api, the applied run in the replay worker.
  const patched = await t.staff(`/api/v1/campaigns/${id}/rules`, ['emergency-cell'], {
    method: 'PATCH',
    body: JSON.stringify({ pmtThreshold: 60 }),
  });
  expect(patched.status).toBe(200);
  const replay = (apply: boolean) =>
    t.staff(`/api/v1/campaigns/${id}/replay`, ['emergency-cell'], {
      method: 'POST',
      body: JSON.stringify({ apply }),
    });
  expect((await replay(false)).status).toBe(200);
  expect((await replay(true)).status).toBe(202);
  await waitFor(
    async () => (calls.some((c) => c.fn === 'replay-worker') ? true : undefined),
    30_000,
    'replay',
  );
  ({ stack: cdk, template } = synthesizeStage('prod', { bundle: false }));
}, 240_000);

afterAll(async () => {
  await t.stop();
});

describe('least privilege, proven: every SDK call a function made on the embedded stack is granted in the cloud', () => {
  it('records calls of the webhook, the api, the reconciler, the activation and the replay workers', () => {
    const functions = new Set(calls.map((c) => c.fn));
    for (const fn of ['sms-webhook', 'api', 'reconciler', 'activation-worker', 'replay-worker']) {
      expect(functions).toContain(fn);
    }
  });

  it('finds each recorded call allowed by its function\u2019s role in the synthesized template', () => {
    const refused: string[] = [];
    const seen = new Set<string>();
    for (const call of calls) {
      const key = JSON.stringify(call);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!(call.fn in functionPlans)) {
        refused.push(`${call.fn} is not a deployed function`);
        continue;
      }
      const statements = statementsOfRole(template, cdk.lambda(call.fn as FunctionName).role);
      let resource: unknown;
      if (call.kind === 'queue') {
        const [id, dlq] = call.target.split(DLQ) as [keyof typeof queues, string | undefined];
        const entry = id in queues ? cdk.queues.get(id) : undefined;
        resource = entry && arnOf(dlq === undefined ? entry.queue : entry.deadLetterQueue);
      } else {
        const id = call.target as keyof typeof tables;
        const table = id in tables ? arnOf(cdk.tables.table(id)) : undefined;
        resource = call.index ? { 'Fn::Join': ['', [table, `/index/${call.index}`]] } : table;
      }
      if (!resource || !allows(statements, call.action, resource)) {
        refused.push(
          `${call.fn}: ${call.action} on ${call.kind} ${call.target}${call.index ? ` index ${call.index}` : ''}`,
        );
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    expect(refused).toEqual([]);
  });

  it('catches a call the cloud would refuse: the webhook reading the registry', () => {
    const statements = statementsOfRole(template, cdk.lambda('sms-webhook').role);
    expect(allows(statements, 'dynamodb:GetItem', arnOf(cdk.tables.table('registry')))).toBe(false);
    expect(allows(statements, 'dynamodb:Scan', arnOf(cdk.tables.table('operations')))).toBe(false);
  });
});
