import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { resolveDataDir } from '@madad/local/state';
import { type CommandInput, oneOf, UsageError } from '../command.js';
import type { stackOptions } from '../declarations/stack.js';
import { deployedStackEnvPath, readDeployedStackEnv } from '../stack-env.js';
import { formatEnvFile, stackOutputsToEnv } from '../stack-outputs.js';

/** `madad stack`: writes (or forgets, or shows) the deployed stack every command works against. */
export async function stackCommand(
  { values }: CommandInput<typeof stackOptions>,
  cloudFormation: () => CloudFormationClient = () =>
    new CloudFormationClient(values.region ? { region: values.region } : {}),
): Promise<number> {
  const file = deployedStackEnvPath(resolveDataDir());
  const chosen = [values.stage, values.stack, values.local ? 'local' : undefined].filter(Boolean);
  if (chosen.length > 1) throw new UsageError('give one of --stage, --stack and --local');
  if (values.local) {
    await rm(file, { force: true });
    return report(
      values.json,
      { target: 'local', file },
      'Commands use the running local stack (npm start).',
    );
  }
  if (!values.stage && !values.stack) {
    const env = await readDeployedStackEnv();
    if (!env) return report(values.json, { target: 'local', file }, 'Commands use the running local stack.');
    const region = env.AWS_REGION;
    const text = `Commands use the deployed stack ${env.MADAD_STACK_NAME} (${region}), from ${file}.`;
    return report(
      values.json,
      { target: 'deployed', stackName: env.MADAD_STACK_NAME, region, file, env },
      text,
    );
  }
  const stackName = values.stack ?? `Madad-${oneOf(values.stage ?? '', ['dev', 'prod'], '--stage')}`;
  const client = cloudFormation();
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks[0];
    if (!stack) throw new Error(`no stack named ${stackName}`);
    const region = await client.config.region();
    const env = { ...stackOutputsToEnv(stack.Outputs ?? [], region), MADAD_STACK_NAME: stackName };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(
      file,
      formatEnvFile(env, `madad stack: ${stackName} (${region}), ${new Date().toISOString()}`),
    );
    const text = `Commands now use ${stackName} (${region}): ${Object.keys(env).length} settings in ${file}.`;
    return report(values.json, { target: 'deployed', stackName, region, file, env }, text);
  } finally {
    client.destroy();
  }
}

function report(json: boolean, result: object, text: string): number {
  console.log(json ? JSON.stringify(result) : text);
  return 0;
}
