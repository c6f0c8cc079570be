import { readFileSync } from 'node:fs';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addMadadStack } from '../../infra/madad-app.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import type { StageName } from '../../infra/stage.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthesizedStage {
  readonly app: App;
  readonly stack: MadadStack;
  readonly template: Template;
  /** The cloud assembly directory, holding the function bundles. */
  readonly assemblyDir: string;
}

/** Every optional feature on: the two-way SMS topic and an SMS aggregator (`docs/deploy.md`). */
export const allFeatures = {
  smsInboundTopic: true,
  smsProviderUrl: 'https://sms.example.test/v1/send',
} as const;

export interface SynthesisOptions {
  /** Extra context, as `cdk synth -c key=value` would give (`smsInboundTopic`, `smsProviderUrl`, ...). */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for the function bundles (default true); without it the synth takes a fraction. */
  readonly bundle?: boolean;
}

/**
 * Stages already synthesized in this worker, by stage and options. The infra tier runs its files in one
 * worker without isolation (`vitest.config.ts`), so each stage is synthesized once per run, whichever file
 * asks first. Tests only read what a synthesis returns.
 */
const synthesized = new Map<string, SynthesizedStage>();

/**
 * Synthesizes a stage the way `cdk synth -c stage=<stage>` does: the context (feature flags) of cdk.json,
 * the cdk-nag plugin, and real esbuild bundles unless `bundle: false`. Slow (seconds); the result is kept
 * for the rest of the run.
 */
export function synthesizeStage(stage: StageName, options: SynthesisOptions = {}): SynthesizedStage {
  const key = JSON.stringify([stage, options.bundle !== false, options.context ?? {}]);
  const known = synthesized.get(key);
  if (known) return known;
  const fresh = synthesizeFresh(stage, options);
  synthesized.set(key, fresh);
  return fresh;
}

function synthesizeFresh(stage: StageName, options: SynthesisOptions): SynthesizedStage {
  const app = new App({
    context: {
      ...cdkJson.context,
      stage,
      ...options.context,
      // The CDK's own switch: an empty list bundles no stack (the assets become placeholders).
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const stack = addMadadStack(app);
  // One synthesis (bundling included) serves both the template and the bundles on disk.
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  return { app, stack, template, assemblyDir: assembly.directory };
}

/** The template logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnResource | undefined;
  if (!resource) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

export const arnOf = (construct: IConstruct): { 'Fn::GetAtt': [string, string] } => ({
  'Fn::GetAtt': [logicalId(construct), 'Arn'],
});

export const refOf = (construct: IConstruct): { Ref: string } => ({ Ref: logicalId(construct) });

export interface PolicyStatementJson {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, role: IConstruct): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [refOf(role)] } });
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]) ?? [],
  );
}

/** The actions a set of statements allows on one resource (an ARN token, compared structurally). */
export function actionsOn(statements: PolicyStatementJson[], resource: unknown): string[] {
  const same = (candidate: unknown) => JSON.stringify(candidate) === JSON.stringify(resource);
  return statements
    .filter((s) => (Array.isArray(s.Resource) ? s.Resource.some(same) : same(s.Resource)))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}
