import {
  type QueueId,
  queueEnvName,
  type TableId,
  tableEnvName,
  tables as tableSpecs,
} from '@madad/adapters/resources';
import { DEFAULT_SMS_SEND_RATE } from '@madad/adapters/sms-send-rate';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { type ConcurrencyDemand, checkAccountConcurrency } from './concurrency-budget.js';
import { AppSecrets, smsProviderKeyEnvName } from './constructs/app-secrets.js';
import { AuditLedgerTrust } from './constructs/audit-ledger-trust.js';
import { DataTables } from './constructs/data-tables.js';
import { ImportPipeline } from './constructs/import-pipeline.js';
import { MadadFunction } from './constructs/madad-function.js';
import { OperationalAlarms } from './constructs/operational-alarms.js';
import { OperationsDashboard } from './constructs/operations-dashboard.js';
import { grantPaymentFiles } from './constructs/payment-files-access.js';
import { PublicHttpApi } from './constructs/public-http-api.js';
import { SmsInboundTopic } from './constructs/sms-inbound-topic.js';
import { StaffIdentity } from './constructs/staff-identity.js';
import { WorkQueues } from './constructs/work-queues.js';
import type { DeployOptions } from './deploy-options.js';
import {
  consumedQueue,
  type FunctionName,
  type FunctionPlan,
  functionPlans,
  functionTimeout,
  type TableAccess,
} from './function-plans.js';
import { maxConcurrencyOf } from './run-profiles.js';
import type { StageConfig } from './stage.js';

export interface MadadStackProps extends StackProps {
  readonly stage: StageConfig;
  readonly options?: DeployOptions;
}

/** Madad on AWS: HTTP API -> registrations queue -> reconciler -> DynamoDB -> outbound queue -> sms-sender. */
export class MadadStack extends Stack {
  readonly tables: DataTables;
  readonly queues: WorkQueues;
  readonly secrets: AppSecrets;
  readonly auditLedger: AuditLedgerTrust;
  readonly staff: StaffIdentity;
  /** The functions deployed: every plan, except those of optional features not configured. */
  readonly functions: Partial<Record<FunctionName, MadadFunction>> = {};
  readonly api: PublicHttpApi;
  readonly alarms: OperationalAlarms;
  readonly dashboard: OperationsDashboard;
  readonly smsInbound?: SmsInboundTopic;
  readonly imports: ImportPipeline;

  constructor(scope: Construct, id: string, props: MadadStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const options = props.options ?? {};

    // One customer-managed key for tables, queues, secrets and the SNS topics: one key policy to audit.
    const key = new Key(this, 'DataKey', {
      description: `Madad ${stage.name}: tables, queues, secrets and SNS topics`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    this.tables = new DataTables(this, 'Tables', {
      stage,
      key,
      ...(options.runProfile
        ? { warm: { throughput: options.runProfile.warmThroughput, indexes: options.runProfile.warmIndexes } }
        : {}),
    });
    this.queues = new WorkQueues(this, 'Queues', { key });
    this.secrets = new AppSecrets(this, 'Secrets', { stage, key });
    this.auditLedger = new AuditLedgerTrust(this, 'AuditLedger', { stage, key });
    this.alarms = new OperationalAlarms(this, 'Alarms', { stage, key });
    this.staff = new StaffIdentity(this, 'Staff', { stage });

    for (const name of Object.keys(functionPlans) as FunctionName[]) {
      const plan: FunctionPlan = functionPlans[name];
      if (plan.feature && !options[plan.feature]) continue;
      this.functions[name] = this.createFunction(stage, options, name);
    }

    for (const workQueue of this.queues.all) {
      const { spec, queue, deadLetterQueue } = workQueue;
      const consumer = this.lambda(spec.consumer as FunctionName);
      consumer.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: spec.batchSize,
          maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
          // The consumers' concurrency is bounded here, by the event source, not by reserved
          // concurrency: a reservation would make Lambda throttle the poller's invocations, and
          // throttled messages count as receives, so they would reach the DLQ without a real failure.
          // A run profile (`-c runProfile=national`) raises the workers' maximum for a large run.
          maxConcurrency: maxConcurrencyOf(spec, options.runProfile),
          reportBatchItemFailures: true,
        }),
      );
      this.alarms.watchDeadLetterQueue(spec.id, deadLetterQueue);
      this.alarms.watchBacklogAge(workQueue);
    }
    const quota = options.accountConcurrency ?? options.runProfile?.accountConcurrency;
    if (quota !== undefined) checkAccountConcurrency(this.concurrencyDemand(stage, options), quota);

    // Uploads to the files bucket are split into chunks that the import workers write in parallel.
    this.imports = new ImportPipeline(this, 'Imports', {
      stage,
      key,
      splitter: this.lambda('import-splitter').function,
      worker: this.lambda('import-worker').function,
    });
    // The staff API writes payment files to the same bucket (payments/ only) and signs their downloads.
    grantPaymentFiles({ files: this.imports.files, key, api: this.lambda('api').function });

    const api = this.lambda('api');
    for (const [envName, value] of Object.entries(this.staff.verifierEnvironment)) {
      api.function.addEnvironment(envName, value);
    }
    this.api = new PublicHttpApi(this, 'Http', {
      stage,
      handler: api.function,
      smsWebhook: this.lambda('sms-webhook').function,
      staffAuthorizer: this.staff.authorizer,
    });
    // Staff sign in to the console (served by this API) through Cognito's hosted login.
    this.staff.addConsoleSignIn(this.api.api.apiEndpoint, stage);
    for (const [envName, value] of Object.entries(this.staff.signInEnvironment)) {
      api.function.addEnvironment(envName, value);
    }
    api.function.addEnvironment('MADAD_CONSOLE_URL', this.api.api.apiEndpoint);

    const snsInbound = this.functions['sns-inbound'];
    if (options.smsInboundTopic && snsInbound) {
      this.smsInbound = new SmsInboundTopic(this, 'SmsInbound', {
        stage,
        key,
        topic: options.smsInboundTopic,
        handler: snsInbound.function,
      });
      this.alarms.watchDeadLetterQueue(
        'sns-inbound',
        this.smsInbound.failedDeliveries,
        'inspect the failed notifications and replay them (docs/deploy.md)',
      );
    }

    this.dashboard = new OperationsDashboard(this, 'Operations', {
      stage,
      api: this.api.api,
      apiStageName: this.api.stage.stageName,
      queues: this.queues.all,
      functions: Object.entries(this.functions).flatMap(([name, fn]) =>
        fn ? [[name, fn.function] as const] : [],
      ),
      ...(this.smsInbound
        ? { otherDeadLetterQueues: [['sns-inbound', this.smsInbound.failedDeliveries]] }
        : {}),
    });
    this.addOutputs();
  }

  /** A deployed function; throws for one whose optional feature is not configured. */
  lambda(name: FunctionName): MadadFunction {
    const fn = this.functions[name];
    if (!fn) throw new Error(`Function ${name} is not part of this deployment`);
    return fn;
  }

  /** Reservations and every event source's maximum, as the account's concurrency quota must hold them. */
  private concurrencyDemand(stage: StageConfig, options: DeployOptions): ConcurrencyDemand {
    const reserved: Record<string, number> = {};
    for (const name of Object.keys(this.functions) as FunctionName[]) {
      const value = reservedConcurrencyOf(name, stage, options);
      if (value) reserved[name] = value;
    }
    const eventSources = Object.fromEntries(
      this.queues.all.map(({ spec }) => [spec.id, maxConcurrencyOf(spec, options.runProfile)]),
    );
    return { reserved, eventSources };
  }

  private createFunction(stage: StageConfig, options: DeployOptions, name: FunctionName): MadadFunction {
    const plan: FunctionPlan = functionPlans[name];
    const reserved = reservedConcurrencyOf(name, stage, options);
    const fn = new MadadFunction(this, `${pascalCase(name)}Function`, {
      stage,
      name,
      memorySize: plan.memorySize,
      timeout: functionTimeout(name),
      // Only the HTTP API's functions reserve concurrency (`StageConfig.apiReservedConcurrency`); 0: none.
      ...(reserved ? { reservedConcurrentExecutions: reserved } : {}),
      tracing: plan.tracing === 'Active' ? Tracing.ACTIVE : Tracing.PASS_THROUGH,
    });
    const grantee = fn.function;
    // Every function gets every table name and queue URL (the shared runtime config requires them all);
    // a name is not a permission, the grants below are.
    for (const id of Object.keys(tableSpecs) as TableId[]) {
      fn.function.addEnvironment(tableEnvName(id), this.tables.table(id).tableName);
    }
    for (const { spec, queue } of this.queues.all) {
      fn.function.addEnvironment(queueEnvName(spec.id as QueueId), queue.queueUrl);
    }
    for (const [id, access] of Object.entries(plan.tables) as Array<[TableId, TableAccess]>) {
      if (access === 'readWrite') this.tables.grantReadWrite(grantee, id);
      else this.tables.grantRead(grantee, id);
    }
    for (const id of plan.sendsTo) {
      this.queues.get(id).queue.grantSendMessages(grantee);
    }
    if (plan.readsSecrets) {
      for (const [envName, arn] of Object.entries(this.secrets.grantRead(grantee))) {
        fn.function.addEnvironment(envName, arn);
      }
    }
    if (plan.readsQueueDepths) {
      for (const { queue, deadLetterQueue } of this.queues.all) {
        queue.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
        deadLetterQueue.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
      }
    }
    if (plan.readsWebhookSecret) {
      for (const [envName, value] of Object.entries(this.secrets.grantReadWebhookSecret(grantee))) {
        fn.function.addEnvironment(envName, value);
      }
    }
    if (plan.appendsAudit) {
      for (const [envName, value] of Object.entries(this.auditLedger.grantAppendAndVerify(grantee))) {
        fn.function.addEnvironment(envName, value);
      }
    }
    if (plan.readsSmsProviderKey) {
      // The provider's send rate, shared by as many senders as the outbound event source may run.
      fn.function.addEnvironment('MADAD_SMS_SEND_RATE', String(options.smsSendRate ?? DEFAULT_SMS_SEND_RATE));
      const queue = consumedQueue(name);
      fn.function.addEnvironment(
        'MADAD_SMS_SENDERS',
        String(queue ? maxConcurrencyOf(queue, options.runProfile) : 1),
      );
    }
    if (plan.readsSmsProviderKey && options.smsProviderUrl) {
      const secret = this.secrets.addSmsProviderKey();
      secret.grantRead(grantee);
      fn.function.addEnvironment('MADAD_SMS_PROVIDER_URL', options.smsProviderUrl);
      fn.function.addEnvironment(smsProviderKeyEnvName, secret.secretArn);
    }
    const keyReason =
      'CDK grant for the one customer-managed data key (resource is that key only): SQS SendMessage and ' +
      'DynamoDB writes with a CMK call the GenerateDataKey and ReEncrypt variants, which the wildcard covers.';
    Validations.of(fn.role).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: keyReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: keyReason },
    );
    this.alarms.watchFunctionErrors(name, fn.function);
    this.alarms.watchFunctionThrottles(name, fn.function);
    return fn;
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    for (const { spec, queue, deadLetterQueue } of this.queues.all) {
      const prefix = pascalCase(spec.id as QueueId);
      new CfnOutput(this, `${prefix}QueueUrl`, { value: queue.queueUrl, description: spec.description });
      new CfnOutput(this, `${prefix}DeadLetterQueueUrl`, { value: deadLetterQueue.queueUrl });
    }
    for (const id of Object.keys(tableSpecs) as TableId[]) {
      new CfnOutput(this, `${pascalCase(id)}TableName`, {
        value: this.tables.table(id).tableName,
        description: tableSpecs[id].description,
      });
    }
    new CfnOutput(this, 'SecretsArn', {
      value: this.secrets.secret.secretArn,
      description: 'Application secrets; share smsWebhookSecret with the SMS aggregator from here',
    });
    new CfnOutput(this, 'SmsWebhookSecretArn', {
      value: this.secrets.webhookSecret.secretArn,
      description:
        'The webhook key alone, read by the sms-webhook function; change it here and in SecretsArn',
    });
    if (this.secrets.smsProviderKey) {
      new CfnOutput(this, 'SmsProviderKeySecretArn', {
        value: this.secrets.smsProviderKey.secretArn,
        description: "Put the SMS aggregator's API key here after the first deploy",
      });
    }
    new CfnOutput(this, 'AuditLedgerKeySecretArn', {
      value: this.auditLedger.key.secretArn,
      description: 'MAC key of the audit ledger (MADAD_AUDIT_KEY_SECRET_ARN for `madad audit verify`)',
    });
    new CfnOutput(this, 'AuditAnchorBucketName', {
      value: this.auditLedger.anchors.bucketName,
      description: 'Object Lock bucket of the audit ledger anchors (MADAD_AUDIT_ANCHOR_BUCKET)',
    });
    new CfnOutput(this, 'FilesBucketName', {
      value: this.imports.files.bucketName,
      description: 'Upload import files to uploads/<registry|identity|exclusions>/ (madad import --cloud)',
    });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.staff.userPool.userPoolId });
    new CfnOutput(this, 'StaffConsoleClientId', { value: this.staff.consoleClient.userPoolClientId });
    if (this.staff.signIn) {
      new CfnOutput(this, 'StaffSignInClientId', {
        value: this.staff.signIn.client.userPoolClientId,
        description: "The console's hosted-login app client (authorization code with PKCE)",
      });
      new CfnOutput(this, 'StaffHostedLoginUrl', { value: this.staff.signIn.domain.baseUrl() });
    }
    if (this.smsInbound) {
      new CfnOutput(this, 'SmsInboundTopicArn', {
        value: this.smsInbound.topic.topicArn,
        description: 'Two-way channel of the End User Messaging phone number',
      });
      new CfnOutput(this, 'SmsInboundFailedQueueUrl', { value: this.smsInbound.failedDeliveries.queueUrl });
    }
    for (const [name, fn] of Object.entries(this.functions)) {
      if (fn) new CfnOutput(this, `${pascalCase(name)}FunctionName`, { value: fn.function.functionName });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
  }
}

/** The two functions behind the HTTP API reserve (the webhook takes the SMS rate it is sized for). */
function reservedConcurrencyOf(
  name: FunctionName,
  stage: StageConfig,
  options: DeployOptions,
): number | undefined {
  if (name !== 'api' && name !== 'sms-webhook') return undefined;
  return options.apiReservedConcurrency ?? stage.apiReservedConcurrency;
}

function pascalCase(value: string): string {
  return value.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
