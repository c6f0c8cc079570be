import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import {
  type QueueId,
  queueEnvName,
  type TableId,
  tableEnvName,
  tables as tableSpecs,
} from '../packages/adapters/src/resources.js';
import { AppSecrets } from './constructs/app-secrets.js';
import { DataTables } from './constructs/data-tables.js';
import { MadadFunction } from './constructs/madad-function.js';
import { OperationalAlarms } from './constructs/operational-alarms.js';
import { PublicHttpApi } from './constructs/public-http-api.js';
import { WorkQueues } from './constructs/work-queues.js';
import {
  type FunctionName,
  type FunctionPlan,
  functionPlans,
  functionTimeout,
  type TableAccess,
} from './function-plans.js';
import type { StageConfig } from './stage.js';

export interface MadadStackProps extends StackProps {
  readonly stage: StageConfig;
}

/** Madad on AWS: HTTP API -> registrations queue -> reconciler -> DynamoDB -> outbound queue -> sms-sender. */
export class MadadStack extends Stack {
  readonly tables: DataTables;
  readonly queues: WorkQueues;
  readonly secrets: AppSecrets;
  readonly functions: Record<FunctionName, MadadFunction>;
  readonly api: PublicHttpApi;
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, id: string, props: MadadStackProps) {
    super(scope, id, props);
    const { stage } = props;

    // One customer-managed key for tables, queues, secrets and the alarm topic: one key policy to audit.
    const key = new Key(this, 'DataKey', {
      description: `Madad ${stage.name}: tables, queues, secrets and alarm topic`,
      enableKeyRotation: true,
      removalPolicy: stage.removalPolicy,
    });
    this.tables = new DataTables(this, 'Tables', { stage, key });
    this.queues = new WorkQueues(this, 'Queues', { key });
    this.secrets = new AppSecrets(this, 'Secrets', { stage, key });
    this.alarms = new OperationalAlarms(this, 'Alarms', { stage, key });

    this.functions = Object.fromEntries(
      (Object.keys(functionPlans) as FunctionName[]).map((name) => [name, this.createFunction(stage, name)]),
    ) as Record<FunctionName, MadadFunction>;

    for (const workQueue of this.queues.all) {
      const { spec, queue } = workQueue;
      const consumer = this.functions[spec.consumer as FunctionName] as MadadFunction | undefined;
      if (!consumer) throw new Error(`Queue ${spec.id} names an unknown consumer ${spec.consumer}`);
      consumer.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: spec.batchSize,
          maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
          maxConcurrency: spec.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      this.alarms.watchDeadLetterQueue(workQueue);
      this.alarms.watchBacklogAge(workQueue);
    }

    this.api = new PublicHttpApi(this, 'Http', { stage, handler: this.functions.api.function });
    this.addOutputs();
  }

  private createFunction(stage: StageConfig, name: FunctionName): MadadFunction {
    const plan: FunctionPlan = functionPlans[name];
    const fn = new MadadFunction(this, `${pascalCase(name)}Function`, {
      stage,
      name,
      memorySize: plan.memorySize,
      timeout: functionTimeout(name),
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
    const keyReason =
      'CDK grant for the one customer-managed data key (resource is that key only): SQS SendMessage and ' +
      'DynamoDB writes with a CMK call the GenerateDataKey and ReEncrypt variants, which the wildcard covers.';
    Validations.of(fn.role).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: keyReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: keyReason },
    );
    this.alarms.watchFunctionErrors(name, fn.function);
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
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}

function pascalCase(value: string): string {
  return value.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
