import { decisionMetric } from '@madad/adapters/decision-metric';
import { decisionStatuses } from '@madad/core';
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';
import { metricsNamespace, serviceName } from './madad-function.js';
import { publicRoutes } from './public-http-api.js';
import type { WorkQueue } from './work-queues.js';

export interface OperationsDashboardProps {
  readonly stage: StageConfig;
  readonly api: HttpApi;
  /** The HTTP API stage name the route metrics are reported under. */
  readonly apiStageName: string;
  readonly queues: readonly WorkQueue[];
  readonly functions: ReadonlyArray<readonly [string, IFunction]>;
  /** Dead-letter queues outside `resources.ts` (the SNS path's failed deliveries). */
  readonly otherDeadLetterQueues?: ReadonlyArray<readonly [string, IQueue]>;
}

const minute = Duration.minutes(1);

/**
 * One page for a surge: is intake arriving, is the queue draining, what is being decided, and is
 * anything failing or throttled. Metrics from AWS/ApiGateway, AWS/SQS, AWS/Lambda and the reconciler's
 * `Madad/Decisions` (Powertools Metrics).
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { api, queues, functions } = props;
    const perFunction = (title: string, metric: (fn: IFunction) => Metric) =>
      new GraphWidget({
        title,
        width: 8,
        left: functions.map(([name, fn]) => metric(fn).with({ label: name })),
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            width: 24,
            height: 2,
            markdown:
              `# Madad ${props.stage.name}\nIntake, backlog, decisions, failures. A DLQ alarm means: ` +
              'inspect the messages, fix the cause, then `npx madad redrive <queue>` (docs/deploy.md).',
          }),
        ],
        [
          new GraphWidget({
            title: 'Intake (requests a minute)',
            width: 12,
            left: publicRoutes
              .filter((route) => route.intake)
              .map(
                (route) =>
                  new Metric({
                    namespace: 'AWS/ApiGateway',
                    metricName: 'Count',
                    dimensionsMap: {
                      ApiId: api.apiId,
                      Stage: props.apiStageName,
                      Method: route.method,
                      Resource: route.path,
                    },
                    statistic: 'Sum',
                    period: minute,
                    label: `${route.method} ${route.path}`,
                  }),
              ),
            right: [
              this.queueMetric(queues, 'registrations', (q) =>
                q.metricNumberOfMessagesSent({
                  period: minute,
                  statistic: 'Sum',
                  label: 'queued registrations',
                }),
              ),
            ],
          }),
          new GraphWidget({
            title: 'API responses',
            width: 12,
            left: [
              api.metricCount({ period: minute, statistic: 'Sum', label: 'all requests' }),
              api.metricClientError({ period: minute, statistic: 'Sum', label: '4xx' }),
              api.metricServerError({ period: minute, statistic: 'Sum', label: '5xx' }),
            ],
            right: [api.metricLatency({ period: minute, statistic: 'p99', label: 'latency p99 (ms)' })],
          }),
        ],
        [
          new GraphWidget({
            title: 'Queue depth (visible messages)',
            width: 12,
            left: queues.map(({ spec, queue }) =>
              queue.metricApproximateNumberOfMessagesVisible({
                period: minute,
                statistic: 'Maximum',
                label: spec.id,
              }),
            ),
            right: [
              ...queues.map(({ spec, deadLetterQueue }) =>
                deadLetterQueue.metricApproximateNumberOfMessagesVisible({
                  period: minute,
                  statistic: 'Maximum',
                  label: `${spec.id} DLQ`,
                }),
              ),
              ...(props.otherDeadLetterQueues ?? []).map(([name, queue]) =>
                queue.metricApproximateNumberOfMessagesVisible({
                  period: minute,
                  statistic: 'Maximum',
                  label: `${name} DLQ`,
                }),
              ),
            ],
          }),
          new GraphWidget({
            title: 'Age of oldest message (seconds)',
            width: 12,
            left: queues.map(({ spec, queue }) =>
              queue.metricApproximateAgeOfOldestMessage({
                period: minute,
                statistic: 'Maximum',
                label: spec.id,
              }),
            ),
          }),
        ],
        [
          new GraphWidget({
            title: 'Decisions by status (a minute)',
            width: 24,
            stacked: true,
            left: decisionStatuses.map(
              (status) =>
                new Metric({
                  namespace: metricsNamespace,
                  metricName: decisionMetric.name,
                  dimensionsMap: {
                    service: serviceName('reconciler'),
                    [decisionMetric.statusDimension]: status,
                  },
                  statistic: 'Sum',
                  period: minute,
                  label: status,
                }),
            ),
          }),
        ],
        [
          perFunction('Function errors', (fn) => fn.metricErrors({ period: minute, statistic: 'Sum' })),
          perFunction('Function throttles', (fn) => fn.metricThrottles({ period: minute, statistic: 'Sum' })),
          perFunction('Concurrent executions', (fn) =>
            fn.metric('ConcurrentExecutions', { period: minute, statistic: 'Maximum' }),
          ),
        ],
        [
          perFunction('Invocations', (fn) => fn.metricInvocations({ period: minute, statistic: 'Sum' })),
          perFunction('Duration p99 (ms)', (fn) => fn.metricDuration({ period: minute, statistic: 'p99' })),
        ],
      ],
    });
  }

  private queueMetric(queues: readonly WorkQueue[], id: string, metric: (queue: IQueue) => IMetric): IMetric {
    const found = queues.find((q) => q.spec.id === id);
    if (!found) throw new Error(`No ${id} queue for the dashboard`);
    return metric(found.queue);
  }
}
