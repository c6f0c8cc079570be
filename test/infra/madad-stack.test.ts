import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSecretKeys, secretsEnvName, smsProviderKeyEnvName } from '../../infra/constructs/app-secrets.js';
import { type FunctionName, functionPlans } from '../../infra/function-plans.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { stageConfig } from '../../infra/stage.js';
import {
  type QueueSpec,
  queueEnvName,
  queues,
  type TableSpec,
  tableEnvName,
  tables,
  visibilityTimeoutSeconds,
} from '../../packages/adapters/src/resources.js';
import {
  actionsOn,
  allFeatures,
  arnOf,
  logicalId,
  refOf,
  statementsOfRole,
  synthesizeStage,
} from './synthesize-stage.js';

const queueSpecs = Object.values(queues) as QueueSpec[];
const tableSpecs = Object.values(tables) as TableSpec[];
const functionNames = Object.keys(functionPlans) as FunctionName[];
const day = 24 * 60 * 60;

describe('MadadStack (prod, every optional feature on)', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { context: allFeatures, bundle: false }));
  });

  const keyArn = () => arnOf(stack.node.findChild('DataKey'));

  describe('queues', () => {
    it.each(queueSpecs)('$id redrives to its own DLQ after maxReceiveCount deliveries', (spec) => {
      const { queue, deadLetterQueue } = stack.queues.get(spec.id as keyof typeof queues);
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueue), maxReceiveCount: spec.maxReceiveCount },
        KmsMasterKeyId: keyArn(),
        VisibilityTimeout: visibilityTimeoutSeconds(spec),
        MessageRetentionPeriod: spec.retentionDays * day,
      });
      expect(logicalId(queue)).not.toBe(logicalId(deadLetterQueue));
    });

    it.each(queueSpecs)('$id DLQ is KMS-encrypted and keeps messages 14 days', (spec) => {
      const { deadLetterQueue } = stack.queues.get(spec.id as keyof typeof queues);
      const resource = template.toJSON().Resources[logicalId(deadLetterQueue)];
      expect(resource.Properties).toMatchObject({
        KmsMasterKeyId: keyArn(),
        MessageRetentionPeriod: 14 * day,
      });
      expect(resource.Properties.RedrivePolicy).toBeUndefined();
    });

    it.each(queueSpecs)('$id gives a message at least 6x its consumer timeout before redelivery', (spec) => {
      const resources = template.toJSON().Resources;
      const consumer = stack.lambda(spec.consumer as FunctionName).function;
      const functionTimeout = resources[logicalId(consumer)].Properties.Timeout;
      const visibility =
        resources[logicalId(stack.queues.get(spec.id as keyof typeof queues).queue)].Properties
          .VisibilityTimeout;
      expect(functionTimeout).toBe(spec.consumerTimeoutSeconds);
      expect(visibility).toBeGreaterThanOrEqual(6 * functionTimeout);
    });

    it('denies every queue access without TLS', () => {
      const allQueues = Object.keys(template.findResources('AWS::SQS::Queue')).length;
      expect(allQueues).toBeGreaterThanOrEqual(queueSpecs.length * 2);
      template.resourceCountIs('AWS::SQS::QueuePolicy', allQueues);
      template.allResourcesProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('event source mappings', () => {
    it.each(queueSpecs)('$id feeds its consumer in bounded batches, reporting item failures', (spec) => {
      const { queue } = stack.queues.get(spec.id as keyof typeof queues);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(queue),
        FunctionName: refOf(stack.lambda(spec.consumer as FunctionName).function),
        BatchSize: spec.batchSize,
        MaximumBatchingWindowInSeconds: spec.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: spec.maxConcurrency },
      });
    });
  });

  describe('tables', () => {
    it.each(tableSpecs)(
      '$id has the keys and indexes of the spec, PITR, KMS and deletion protection',
      (spec) => {
        template.hasResourceProperties('AWS::DynamoDB::Table', {
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            { AttributeName: spec.sortKey, KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn() },
          DeletionProtectionEnabled: true,
          GlobalSecondaryIndexes: spec.indexes.map((index) =>
            Match.objectLike({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
              ],
            }),
          ),
        });
      },
    );

    it('retains every table when the stack or the resource is deleted', () => {
      const found = template.findResources('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(Object.keys(found)).toHaveLength(tableSpecs.length);
    });

    it('rotates the customer-managed key yearly', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });
  });

  describe('functions', () => {
    it('run Node.js 22 on arm64', () => {
      template.resourceCountIs('AWS::Lambda::Function', functionNames.length);
      template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
      });
    });

    it('trace the queue consumers actively and let the per-SMS functions pass through', () => {
      const modes = Object.fromEntries(
        functionNames.map((name) => [
          name,
          template.toJSON().Resources[logicalId(stack.lambda(name).function)].Properties.TracingConfig?.Mode,
        ]),
      );
      expect(modes).toEqual({
        api: 'PassThrough',
        'sms-webhook': 'PassThrough',
        'sns-inbound': 'PassThrough',
        reconciler: 'Active',
        'sms-sender': 'Active',
        'activation-worker': 'Active',
        'replay-worker': 'Active',
        'batch-worker': 'Active',
        'import-splitter': 'Active',
        'import-worker': 'Active',
      });
      for (const name of functionNames) {
        expect(modes[name], name).toBe(functionPlans[name].tracing);
      }
    });

    it('log JSON without the platform’s START/END/REPORT lines, and the application’s lines from INFO', () => {
      template.allResourcesProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' },
      });
    });

    it.each(functionNames)('%s gets every table name and queue URL and its stage', (name) => {
      const variables = Object.fromEntries([
        ...tableSpecs.map((spec) => [tableEnvName(spec.id as keyof typeof tables), Match.anyValue()]),
        ...queueSpecs.map((spec) => [queueEnvName(spec.id as keyof typeof queues), Match.anyValue()]),
        ['MADAD_STAGE', 'prod'],
        ['POWERTOOLS_SERVICE_NAME', `madad-${name}`],
      ]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: variables },
        MemorySize: functionPlans[name].memorySize,
      });
    });

    // That each function leaves its service name to this variable (no Logger, Metrics or Tracer given a
    // serviceName when its handler loads) is observed in test/functions/powertools-service-name.test.ts.

    it("reserves concurrency for the HTTP API's functions only, so a surge elsewhere cannot starve ingest", () => {
      const resources = template.toJSON().Resources;
      for (const name of functionNames) {
        const reserved =
          resources[logicalId(stack.lambda(name).function)].Properties.ReservedConcurrentExecutions;
        const behindHttpApi = name === 'api' || name === 'sms-webhook';
        expect(reserved, name).toBe(behindHttpApi ? stageConfig('prod').apiReservedConcurrency : undefined);
      }
    });

    it('writes each function to its own log group, kept one month', () => {
      for (const name of functionNames) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          LoggingConfig: { LogGroup: refOf(stack.lambda(name).logGroup) },
        });
      }
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });
  });

  describe('least privilege', () => {
    const registrations = () => stack.queues.get('registrations').queue;
    const outbound = () => stack.queues.get('outbound').queue;
    const statementsOf = (name: FunctionName) => statementsOfRole(template, stack.lambda(name).role);

    it("lets the api enqueue registrations, activation work and households' notices, and take nothing off the outbound queue", () => {
      const statements = statementsOf('api');
      expect(actionsOn(statements, arnOf(registrations()))).toContain('sqs:SendMessage');
      expect(actionsOn(statements, arnOf(stack.queues.get('activation').queue))).toContain('sqs:SendMessage');
      // Payment notices (batch exported, results confirmed) and waitlist promotions; the queue's depth
      // for the staff stats (readQueueDepths); never a receive or delete (that is the sms-sender's).
      expect([...new Set(actionsOn(statements, arnOf(outbound())))].sort()).toEqual([
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ]);
    });

    it("lets the api read every queue's and DLQ's depth for the staff stats, and receive or delete nothing", () => {
      const statements = statementsOf('api');
      for (const { queue, deadLetterQueue } of stack.queues.all) {
        for (const q of [queue, deadLetterQueue]) {
          const actions = actionsOn(statements, arnOf(q));
          expect(actions, q.node.path).toEqual(
            expect.arrayContaining(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl']),
          );
          expect(actions, q.node.path).not.toContain('sqs:ReceiveMessage');
          expect(actions, q.node.path).not.toContain('sqs:DeleteMessage');
        }
      }
    });

    it('lets the api read the registry and write it only item by item (change requests), never scan', () => {
      const actions = actionsOn(statementsOf('api'), arnOf(stack.tables.table('registry')));
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions).not.toContain('dynamodb:DeleteTable');
    });

    it('lets the reconciler consume registrations, send replies and add provisional households', () => {
      const statements = statementsOf('reconciler');
      expect(actionsOn(statements, arnOf(registrations()))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
      );
      expect(actionsOn(statements, arnOf(registrations()))).not.toContain('sqs:SendMessage');
      expect(actionsOn(statements, arnOf(outbound()))).toContain('sqs:SendMessage');
      expect(actionsOn(statements, arnOf(stack.tables.table('operations')))).toContain('dynamodb:PutItem');
      const registryActions = actionsOn(statements, arnOf(stack.tables.table('registry')));
      expect(registryActions).toContain('dynamodb:PutItem');
      expect(registryActions).not.toContain('dynamodb:Scan');
    });

    it('keeps the sms-sender away from the registry, the registrations queue and the application secrets', () => {
      const statements = statementsOf('sms-sender');
      const policy = JSON.stringify(statements);
      expect(policy).not.toContain(logicalId(stack.tables.table('registry')));
      expect(policy).not.toContain(logicalId(registrations()));
      expect(actionsOn(statements, refOf(stack.secrets.secret))).toEqual([]);
      const fn = template.toJSON().Resources[logicalId(stack.lambda('sms-sender').function)];
      expect(fn.Properties.Environment.Variables[secretsEnvName]).toBeUndefined();
    });

    it('lets only the sms-sender read the SMS provider key, from its own secret, never a plain variable', () => {
      const providerKey = stack.secrets.smsProviderKey;
      if (!providerKey) throw new Error('smsProviderUrl is set, so the provider key secret should exist');
      expect(actionsOn(statementsOf('sms-sender'), refOf(providerKey))).toContain(
        'secretsmanager:GetSecretValue',
      );
      for (const name of functionNames.filter((n) => n !== 'sms-sender')) {
        expect(JSON.stringify(statementsOf(name)), name).not.toContain(logicalId(providerKey));
      }
      const variables =
        template.toJSON().Resources[logicalId(stack.lambda('sms-sender').function)].Properties.Environment
          .Variables;
      expect(variables).toMatchObject({
        MADAD_SMS_PROVIDER_URL: allFeatures.smsProviderUrl,
        [smsProviderKeyEnvName]: refOf(providerKey),
      });
      expect(variables.MADAD_SMS_PROVIDER_KEY).toBeUndefined();
    });

    it('grants Scan on no table, to no function', () => {
      for (const name of functionNames) {
        expect(JSON.stringify(statementsOf(name))).not.toContain('dynamodb:Scan');
      }
    });

    it('lets the replay worker Query the decisions index and page its own queue, without the secrets (finding 9)', () => {
      const statements = statementsOf('replay-worker');
      const replay = stack.queues.get('replay').queue;
      expect(actionsOn(statements, arnOf(replay))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SendMessage']),
      );
      expect(actionsOn(statements, arnOf(outbound()))).toContain('sqs:SendMessage');
      expect(actionsOn(statements, arnOf(registrations()))).toEqual([]);
      const indexQuery = statements.find(
        (s) =>
          s.Action === 'dynamodb:Query' && JSON.stringify(s.Resource).includes('/index/byCampaignDecision'),
      );
      expect(indexQuery).toBeDefined();
      expect(actionsOn(statements, refOf(stack.secrets.secret))).toEqual([]);
      expect(actionsOn(statementsOf('api'), arnOf(replay))).toContain('sqs:SendMessage');
    });

    it('grants the functions the assembled secret only, never its seeds', () => {
      for (const name of ['api', 'reconciler'] as const) {
        expect(actionsOn(statementsOf(name), refOf(stack.secrets.secret))).toContain(
          'secretsmanager:GetSecretValue',
        );
      }
      const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      for (const seed of Object.values(stack.secrets.seeds)) {
        expect(policies).not.toContain(logicalId(seed));
      }
    });
  });

  describe('secrets', () => {
    it('assembles {smsWebhookSecret, cnicPepper, jwtSecret} from generated seeds, never plaintext', () => {
      const secret = template.toJSON().Resources[logicalId(stack.secrets.secret)].Properties;
      expect(secret.KmsKeyId).toEqual(keyArn());
      const secretString = JSON.stringify(secret.SecretString);
      for (const key of appSecretKeys) {
        expect(secretString).toContain(`\\"${key}\\":\\"{{resolve:secretsmanager:`);
      }
      const resources = template.toJSON().Resources;
      for (const seed of Object.values(stack.secrets.seeds)) {
        expect(resources[logicalId(seed)].Properties).toMatchObject({
          KmsKeyId: keyArn(),
          GenerateSecretString: { PasswordLength: 64 },
        });
        expect(secretString).toContain(logicalId(seed));
      }
    });
  });

  describe('http api', () => {
    it.each(['POST /sms/inbound', 'GET /health', 'GET /openapi.json', 'ANY /api/v1/{proxy+}', '$default'])(
      'routes %s to the api function',
      (routeKey) => {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
      },
    );

    it('throttles the default stage and logs access as JSON', () => {
      const { rateLimit, burstLimit } = stageConfig('prod').apiThrottle;
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId' })),
        },
      });
    });
  });

  describe('alarms', () => {
    const topic = () => refOf(stack.alarms.topic);

    it.each(queueSpecs)('$id DLQ alarms on its first message', (spec) => {
      const { deadLetterQueue } = stack.queues.get(spec.id as keyof typeof queues);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'QueueName'] } },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [topic()],
      });
    });

    it.each(queueSpecs)('$id alarms when its oldest message outlives all its deliveries', (spec) => {
      const { queue } = stack.queues.get(spec.id as keyof typeof queues);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
        Threshold: spec.maxReceiveCount * visibilityTimeoutSeconds(spec),
        AlarmActions: [topic()],
      });
    });

    it.each(functionNames)('%s alarms when throttled', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: refOf(stack.lambda(name).function) }],
        Statistic: 'Sum',
        Threshold: 0,
        AlarmActions: [topic()],
      });
    });

    it.each(functionNames)('%s alarms on function errors', (name) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: refOf(stack.lambda(name).function) }],
        Threshold: 0,
        AlarmActions: [topic()],
      });
    });
  });

  describe('outputs', () => {
    it('exports what docs/deploy.md reads: the user pool, its client, every function and the dashboard', () => {
      const keys = Object.keys(template.findOutputs('*'));
      expect(keys).toEqual(
        expect.arrayContaining([
          'StaffUserPoolId',
          'StaffConsoleClientId',
          'SecretsArn',
          'SmsWebhookSecretArn',
          'SmsWebhookFunctionName',
          'SmsProviderKeySecretArn',
          'SmsInboundTopicArn',
          'SmsInboundFailedQueueUrl',
          'AlarmTopicArn',
          'DashboardName',
          'ApiFunctionName',
          'SmsSenderFunctionName',
          'SnsInboundFunctionName',
          'RegistrationsQueueUrl',
          'RegistryTableName',
        ]),
      );
    });

    it('exports the API URL, every queue URL and every table name', () => {
      expect(Object.keys(template.findOutputs('ApiUrl'))).toHaveLength(1);
      for (const { queue, deadLetterQueue } of stack.queues.all) {
        expect(Object.keys(template.findOutputs('*', { Value: refOf(queue) }))).toHaveLength(1);
        expect(Object.keys(template.findOutputs('*', { Value: refOf(deadLetterQueue) }))).toHaveLength(1);
      }
      for (const spec of tableSpecs) {
        const table = stack.tables.table(spec.id as keyof typeof tables);
        expect(Object.keys(template.findOutputs('*', { Value: refOf(table) }))).toHaveLength(1);
      }
    });
  });
});

describe('MadadStack (dev, no optional feature)', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('dev', { bundle: false }));
  });

  it('deletes tables with the stack and leaves them unprotected, so `cdk destroy` works', () => {
    const found = template.findResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
    expect(Object.keys(found)).toHaveLength(tableSpecs.length);
  });

  it('throttles the API at the dev rate', () => {
    const { rateLimit, burstLimit } = stageConfig('dev').apiThrottle;
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
    });
  });

  it('reserves no concurrency, which a new account’s small quota could not spare', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('deploys no SMS provider key without smsProviderUrl (replies then wait in the queue until one is set)', () => {
    expect(stack.secrets.smsProviderKey).toBeUndefined();
    const variables =
      template.toJSON().Resources[logicalId(stack.lambda('sms-sender').function)].Properties.Environment
        .Variables;
    expect(variables.MADAD_SMS_PROVIDER_URL).toBeUndefined();
    expect(variables[smsProviderKeyEnvName]).toBeUndefined();
  });
});

describe('MadadStack context overrides', () => {
  it('removes the api reservation with apiReservedConcurrency=0 (an account whose quota cannot spare it)', () => {
    const { template } = synthesizeStage('prod', { context: { apiReservedConcurrency: '0' }, bundle: false });

    template.allResourcesProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });
});
