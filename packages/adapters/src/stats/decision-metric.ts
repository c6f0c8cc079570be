/**
 * The custom metric the reconciler publishes and the operations dashboard charts: one count per
 * decision, by `status`, per reconciler batch. One definition for the handler and the CDK stack.
 */
export const decisionMetric = { name: 'Decisions', statusDimension: 'status' } as const;
