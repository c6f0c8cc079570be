import { visibilityTimeoutSeconds } from '@madad/adapters/resources';
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';
import type { WorkQueue } from './work-queues.js';

export interface OperationalAlarmsProps {
  readonly stage: StageConfig;
  readonly key: IKey;
}

/** Alarms an on-call engineer acts on, all notifying one encrypted topic (subscribe to it after deploy). */
export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: `Madad ${props.stage.name} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch publishes to the topic as a service, so the key policy (not an IAM role) must allow it.
    props.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.action = new SnsAction(this.topic);
  }

  /** Any message in a dead-letter queue needs a look and then a redrive (`npx madad redrive`). */
  watchDeadLetterQueue(id: string, queue: IQueue, action = 'inspect, fix, then `npx madad redrive`'): void {
    this.add(`${id}-dlq-not-empty`, {
      description: `Messages in the ${id} dead-letter queue: ${action}`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
    });
  }

  /**
   * A surge is meant to queue up, so depth alone is no alarm. A message older than all its deliveries could
   * take (maxReceiveCount x visibility timeout) is waiting, not retrying: consumers are not keeping up.
   */
  watchBacklogAge(workQueue: WorkQueue): void {
    const { spec } = workQueue;
    const maxAgeSeconds = spec.maxReceiveCount * visibilityTimeoutSeconds(spec);
    this.add(`${spec.id}-oldest-message-age`, {
      description: `The oldest ${spec.id} message is older than ${maxAgeSeconds} s: ${spec.consumer} is falling behind`,
      metric: workQueue.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: maxAgeSeconds,
    });
  }

  watchFunctionErrors(name: string, fn: IFunction): void {
    this.add(`${name}-errors`, {
      description: `The ${name} function failed (threw or timed out) in the last 5 minutes`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
    });
  }

  /**
   * Queue consumers are bounded by their event source's maximum concurrency and should never be
   * throttled; the api is throttled only when its reserved concurrency is too small for the traffic.
   * Either way, someone should look.
   */
  watchFunctionThrottles(name: string, fn: IFunction): void {
    this.add(`${name}-throttles`, {
      description: `The ${name} function was throttled in the last 5 minutes: check its concurrency limits`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
    });
  }

  private add(id: string, props: { description: string; metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }
}
