import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { decisionMetric } from '@madad/adapters/decision-metric';

// Defined in the adapters, where the dashboard (infra/) reads it too.
export { decisionMetric };

// Only where a namespace is configured (the stack sets POWERTOOLS_METRICS_NAMESPACE): locally the
// EMF lines would be console noise with nothing to read them.
const metrics = process.env.POWERTOOLS_METRICS_NAMESPACE ? new Metrics() : undefined;

/**
 * Publishes a batch's decisions by status from the counters the batch drains into DynamoDB anyway
 * (`status:<STATUS>` per campaign), as CloudWatch embedded metric format: a log line, no API call.
 */
export function publishDecisionCounts(
  drained: Iterable<readonly [string, Readonly<Record<string, number>>]>,
): void {
  if (!metrics) return;
  const byStatus = new Map<string, number>();
  for (const [, counters] of drained) {
    for (const [name, value] of Object.entries(counters)) {
      if (name.startsWith('status:')) {
        const status = name.slice('status:'.length);
        byStatus.set(status, (byStatus.get(status) ?? 0) + value);
      }
    }
  }
  for (const [status, count] of byStatus) {
    const single = metrics.singleMetric();
    single.addDimension(decisionMetric.statusDimension, status);
    single.addMetric(decisionMetric.name, MetricUnit.Count, count);
  }
}
