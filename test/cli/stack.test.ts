import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { queueEnvName, queues, tableEnvName, tables } from '@madad/adapters';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { useRunningStackEnv } from '../../packages/cli/src/stack-env.js';
import { stackOutputsToEnv } from '../../packages/cli/src/stack-outputs.js';

const cloudFormation = mockClient(CloudFormationClient);
const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** The outputs a deployed Madad stack reports (names as infra/madad-stack.ts gives them). */
const outputs = [
  ...Object.keys(tables).map((id) => ({
    OutputKey: `${pascal(id)}TableName`,
    OutputValue: `Madad-dev-${id}`,
  })),
  ...Object.keys(queues).map((id) => ({
    OutputKey: `${pascal(id)}QueueUrl`,
    OutputValue: `https://sqs.ap-south-1.amazonaws.com/123456789012/madad-dev-${id}`,
  })),
  {
    OutputKey: 'SecretsArn',
    OutputValue: 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:madad-AbCdEf',
  },
  { OutputKey: 'AuditAnchorBucketName', OutputValue: 'madad-dev-audit-anchors' },
  { OutputKey: 'ApiUrl', OutputValue: 'https://abc123.execute-api.ap-south-1.amazonaws.com/' },
  { OutputKey: 'DashboardName', OutputValue: 'Madad-dev' },
];

let dataDir: string;
const saved = { ...process.env };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'madad-stack-cmd-'));
  for (const name of Object.keys(process.env)) if (name.startsWith('MADAD_')) delete process.env[name];
  process.env.MADAD_DATA_DIR = dataDir;
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  cloudFormation.reset();
  vi.restoreAllMocks();
  process.env = { ...saved };
  await rm(dataDir, { recursive: true, force: true });
});

const printed = () => JSON.parse(String(vi.mocked(console.log).mock.calls.at(-1)?.[0]));

describe('madad stack', () => {
  it('reads the outputs of Madad-<stage> and writes the env file every command then uses', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Madad-dev' }).resolves({
      Stacks: [
        {
          StackName: 'Madad-dev',
          Outputs: outputs,
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
        },
      ],
    });

    const code = await main(['stack', '--stage', 'dev', '--region', 'ap-south-1', '--json']);

    expect(code).toBe(0);
    const file = join(dataDir, 'deployed-stack.env');
    expect(printed()).toMatchObject({
      target: 'deployed',
      stackName: 'Madad-dev',
      region: 'ap-south-1',
      file,
    });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('MADAD_STAGE=cloud\n');
    expect(text).toContain('MADAD_TABLE_REGISTRY=Madad-dev-registry\n');
    expect(text).not.toMatch(/secretString|password/i);

    const { httpUrl } = await useRunningStackEnv();

    expect(httpUrl).toBe('https://abc123.execute-api.ap-south-1.amazonaws.com');
    expect(process.env.AWS_REGION).toBe('ap-south-1');
    for (const id of Object.keys(tables))
      expect(process.env[tableEnvName(id as never)]).toBe(`Madad-dev-${id}`);
    for (const id of Object.keys(queues))
      expect(process.env[queueEnvName(id as never)]).toContain(`madad-dev-${id}`);
    expect(process.env.MADAD_SECRETS_ARN).toMatch(/^arn:aws:secretsmanager:/);
    expect(process.env.MADAD_AUDIT_ANCHOR_BUCKET).toBe('madad-dev-audit-anchors');
  });

  it('keeps a variable the operator exported over the file', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Madad-prod',
          Outputs: outputs,
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
        },
      ],
    });
    await main(['stack', '--stack', 'Madad-prod', '--region', 'ap-south-1']);
    process.env.MADAD_TABLE_REGISTRY = 'my-copy';

    await useRunningStackEnv();

    expect(process.env.MADAD_TABLE_REGISTRY).toBe('my-copy');
    expect(process.env.MADAD_TABLE_OPERATIONS).toBe('Madad-dev-operations');
  });

  it('says which stack is in use, and --local forgets it', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Madad-dev',
          Outputs: outputs,
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
        },
      ],
    });
    await main(['stack', '--stage', 'dev', '--region', 'ap-south-1']);

    expect(await main(['stack', '--json'])).toBe(0);
    expect(printed()).toMatchObject({ target: 'deployed', stackName: 'Madad-dev' });

    expect(await main(['stack', '--local', '--json'])).toBe(0);
    await expect(stat(join(dataDir, 'deployed-stack.env'))).rejects.toThrow(/ENOENT/);
    expect(await main(['stack', '--json'])).toBe(0);
    expect(printed()).toMatchObject({ target: 'local' });
  });

  it('fails in one line when the stack is not a Madad stack, and writes nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Other',
          Outputs: [{ OutputKey: 'BucketName', OutputValue: 'b' }],
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
        },
      ],
    });

    const code = await main(['stack', '--stack', 'Other', '--region', 'ap-south-1']);

    expect(code).toBe(1);
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^madad stack: the stack has no output RegistryTableName, .*is it a Madad stack\?$/,
      ),
    );
    await expect(stat(join(dataDir, 'deployed-stack.env'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses --stage with a stage that does not exist, and two targets at once', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    expect(await main(['stack', '--stage', 'qa'])).toBe(2);
    expect(await main(['stack', '--stage', 'dev', '--local'])).toBe(2);
    expect(cloudFormation.calls()).toHaveLength(0);
  });
});

describe('stackOutputsToEnv', () => {
  it('maps every table, queue and secret output to the variable the adapters read', () => {
    const env = stackOutputsToEnv(outputs, 'ap-south-1');

    expect(env).toMatchObject({ MADAD_STAGE: 'cloud', AWS_REGION: 'ap-south-1' });
    expect(Object.keys(env)).not.toContain('DashboardName');
  });
});
