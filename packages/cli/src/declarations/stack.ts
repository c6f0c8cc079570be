import { defineCommand } from '../command.js';

export const stackOptions = {
  stage: {
    type: 'string',
    value: 'dev|prod',
    help: 'the stage deployed with `cdk deploy -c stage=STAGE` (stack Madad-STAGE)',
  },
  stack: { type: 'string', value: 'NAME', help: 'a CloudFormation stack name, instead of --stage' },
  region: {
    type: 'string',
    value: 'REGION',
    help: "the stack's region (default: AWS_REGION, then your AWS profile's)",
  },
  local: { type: 'boolean', help: 'forget the deployed stack: commands use the running local stack again' },
} as const;

export const stackDeclaration = defineCommand({
  name: 'stack',
  summary: 'point every command at a deployed stack (from its CloudFormation outputs), or show which',
  synopsis: [
    'stack --stage dev|prod [--region REGION] [--json]',
    'stack --stack NAME [--region REGION] [--json]',
    'stack --local',
    'stack [--json]',
  ],
  description:
    'Reads the outputs of a deployed Madad stack (CloudFormation DescribeStacks, with your AWS credentials)\n' +
    'and writes its table names, queue URLs, secret ARNs, audit anchor bucket, API URL and region to\n' +
    'deployed-stack.env in the data folder (MADAD_DATA_DIR, default .madad). Every command then works\n' +
    'against that stack, with no variables to export; variables you do export still win. The file holds\n' +
    'names and ARNs, no secret. Without options, says which stack the commands use.',
  options: stackOptions,
  json: 'print {"target":"deployed"|"local","stackName","region","file","env":{...}}',
  examples: [
    'madad stack --stage dev',
    'madad stack --stack Madad-prod --region ap-south-1',
    'madad import registry households.ndjson    # now into the deployed registry',
    'madad stack --local',
  ],
  exitStatus: ['0  done', '1  the stack was not found, or has no Madad outputs', '2  usage error'],
  run: async (input) => (await import('../commands/stack.js')).stackCommand(input),
});
