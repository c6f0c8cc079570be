import type { PolicyViolation } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StageName } from '../../infra/stage.js';
import { allFeatures, synthesizeStage } from './synthesize-stage.js';

const describeViolation = (violation: PolicyViolation) =>
  `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`;

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

// Each stage with what it deploys by default, and prod with every optional feature (SNS topic, provider key).
const variants: Array<[string, StageName, Record<string, unknown>]> = [
  ['dev', 'dev', {}],
  ['prod', 'prod', {}],
  ['prod with every optional feature', 'prod', allFeatures],
  ['prod for a national run (warm tables, more workers)', 'prod', { runProfile: 'national' }],
];

describe.each(variants)('cdk-nag AwsSolutions checks on %s', (_label, stage, context) => {
  let violations: PolicyViolation[];
  let root: IConstruct;

  beforeAll(() => {
    // Synthesizing first proves the registered plugin passes (a finding fails the synth), and completes
    // the construct tree before the pack walks it again here to list what it would report.
    const { stack } = synthesizeStage(stage, { context, bundle: false });
    root = stack;
    violations = [...new AwsSolutionsChecks().validateScope(stack).violations];
  }, 240_000);

  it('reports no unacknowledged errors', () => {
    expect(violations.filter((v) => v.severity === 'error').map(describeViolation)).toEqual([]);
  });

  it('reports no unacknowledged warnings', () => {
    expect(violations.filter((v) => v.severity !== 'error').map(describeViolation)).toEqual([]);
  });

  it('acknowledges only AwsSolutions rules, each with a specific written reason', () => {
    const acks = acknowledgements(root);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(80);
    }
  });
});
