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

/**
 * Synthesizes a stage the way `cdk synth -c stage=<stage>` does: the context (feature flags) of cdk.json,
 * the cdk-nag plugin, and real esbuild bundles. Slow (seconds), so call it once per file in `beforeAll`.
 */
export function synthesizeStage(stage: StageName): SynthesizedStage {
  const app = new App({ context: { ...cdkJson.context, stage } });
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
