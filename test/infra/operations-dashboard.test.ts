import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionMetric } from '../../functions/reconciler/decision-metrics.js';
import type { FunctionName } from '../../infra/function-plans.js';
import { functionPlans } from '../../infra/function-plans.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { type QueueSpec, queues } from '../../packages/adapters/src/resources.js';
import { decisionStatuses } from '../../packages/core/src/eligibility/decision.js';
import { allFeatures, logicalId, synthesizeStage } from './synthesize-stage.js';

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][] };
}

/**
 * The dashboard body is a JSON string joined around tokens; each token becomes `<LogicalId>` (or
 * `<AWS::Region>`), so the body parses and a metric's dimensions can be compared to resources.
 */
function dashboardWidgets(template: Template): Widget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0]?.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return `<${token.Ref ?? token['Fn::GetAtt']?.[0]}>`;
    })
    .join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

/** Every metric line of the dashboard as `namespace metric dim=value ...` text. */
function metricLines(widgets: Widget[]): string[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((line) => {
      const [namespace, name, ...rest] = line.filter((part) => typeof part === 'string') as string[];
      const dims: string[] = [];
      for (let i = 0; i + 1 < rest.length; i += 2) dims.push(`${rest[i]}=${rest[i + 1]}`);
      return [namespace, name, ...dims].join(' ');
    }),
  );
}

describe('operations dashboard', () => {
  let stack: MadadStack;
  let lines: string[];
  let titles: string[];

  beforeAll(() => {
    let template: Template;
    ({ stack, template } = synthesizeStage('prod', { context: allFeatures, bundle: false }));
    const widgets = dashboardWidgets(template);
    lines = metricLines(widgets);
    titles = widgets.map((w) => w.properties.title ?? '');
  });

  it('charts intake as the request count of POST /sms/inbound and the web registration route', () => {
    const api = `ApiId=<${logicalId(stack.api.api)}>`;
    expect(lines).toContain(`AWS/ApiGateway Count ${api} Method=POST Resource=/sms/inbound Stage=$default`);
    expect(lines).toContain(
      `AWS/ApiGateway Count ${api} Method=POST Resource=/api/v1/registrations Stage=$default`,
    );
    expect(lines).toContain(`AWS/ApiGateway 5xx ${api}`);
  });

  it.each(Object.values(queues) as QueueSpec[])('charts the depth and oldest message age of $id', (spec) => {
    const { queue, deadLetterQueue } = stack.queues.get(spec.id as keyof typeof queues);
    expect(lines).toContain(`AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<${logicalId(queue)}>`);
    expect(lines).toContain(`AWS/SQS ApproximateAgeOfOldestMessage QueueName=<${logicalId(queue)}>`);
    expect(lines).toContain(
      `AWS/SQS ApproximateNumberOfMessagesVisible QueueName=<${logicalId(deadLetterQueue)}>`,
    );
  });

  it('charts decisions by status from the reconciler’s Powertools metric', () => {
    expect(titles).toContain('Decisions by status (a minute)');
    for (const status of decisionStatuses) {
      expect(lines).toContain(
        `Madad ${decisionMetric.name} service=madad-reconciler ${decisionMetric.statusDimension}=${status}`,
      );
    }
  });

  it.each(Object.keys(functionPlans) as FunctionName[])('charts errors and throttles of %s', (name) => {
    const fn = `FunctionName=<${logicalId(stack.lambda(name).function)}>`;
    expect(lines).toContain(`AWS/Lambda Errors ${fn}`);
    expect(lines).toContain(`AWS/Lambda Throttles ${fn}`);
  });
});
