import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { deployOptions } from './deploy-options.js';
import { MadadStack } from './madad-stack.js';
import { stageConfig } from './stage.js';

/**
 * Adds the Madad stack for the `stage` context value to an app, checked by cdk-nag's AWS Solutions pack.
 * cdk-nag 3 is a CDK validation plugin (no longer an Aspect): unacknowledged findings fail the synth.
 */
export function addMadadStack(app: App): MadadStack {
  const stage = stageConfig(app.node.tryGetContext('stage'));
  const stack = new MadadStack(app, `Madad-${stage.name}`, {
    stage,
    // `-c name=value` wins over the option the stage keeps (infra/stage.ts).
    options: deployOptions((key) => app.node.tryGetContext(key) ?? stage.deploy[key]),
    description: `Madad (${stage.name}): shock-responsive social-protection enrollment`,
    // Environment-agnostic unless the CLI knows an account: synth works offline without credentials.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
