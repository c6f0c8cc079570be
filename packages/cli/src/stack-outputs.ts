import {
  type BucketId,
  bucketEnvName,
  buckets,
  type QueueId,
  queueEnvName,
  queues,
  type TableId,
  tableEnvName,
  tables,
} from '@madad/adapters';

/** A deployed stack's output (CloudFormation `OutputKey`/`OutputValue`). */
export interface StackOutput {
  readonly OutputKey?: string;
  readonly OutputValue?: string;
}

/** The output names infra/madad-stack.ts gives resources: `registrations` -> `RegistrationsQueueUrl`. */
const pascalCase = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

export class StackOutputsError extends Error {
  override readonly name = 'StackOutputsError';
}

/**
 * The environment the CLI needs to work against a deployed stack, from the stack's outputs: what an
 * operator used to export by hand (docs/deploy.md). Fails when a table or queue output is missing, since
 * every command would then fail later with a less helpful message.
 */
export function stackOutputsToEnv(outputs: readonly StackOutput[], region: string): Record<string, string> {
  const byKey = new Map(outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const missing: string[] = [];
  const env: Record<string, string> = { MADAD_STAGE: 'cloud', AWS_REGION: region };
  const take = (variable: string, output: string, required: boolean) => {
    const value = byKey.get(output);
    if (value) env[variable] = value;
    else if (required) missing.push(output);
  };
  for (const id of Object.keys(tables) as TableId[])
    take(tableEnvName(id), `${pascalCase(id)}TableName`, true);
  for (const id of Object.keys(queues) as QueueId[])
    take(queueEnvName(id), `${pascalCase(id)}QueueUrl`, true);
  for (const id of Object.keys(buckets) as BucketId[])
    take(bucketEnvName(id), `${pascalCase(id)}BucketName`, false);
  take('MADAD_SECRETS_ARN', 'SecretsArn', true);
  take('MADAD_SMS_WEBHOOK_SECRET_ARN', 'SmsWebhookSecretArn', false);
  take('MADAD_SMS_PROVIDER_SECRET_ARN', 'SmsProviderKeySecretArn', false);
  take('MADAD_AUDIT_KEY_SECRET_ARN', 'AuditLedgerKeySecretArn', false);
  take('MADAD_AUDIT_ANCHOR_BUCKET', 'AuditAnchorBucketName', false);
  take('MADAD_API_URL', 'ApiUrl', false);
  if (missing.length > 0) {
    throw new StackOutputsError(`the stack has no output ${missing.join(', ')}: is it a Madad stack?`);
  }
  return env;
}

/** `KEY=value` lines; values are names, ARNs and URLs (no spaces), so a shell can source the file too. */
export function formatEnvFile(env: Readonly<Record<string, string>>, header: string): string {
  const lines = Object.entries(env).map(([key, value]) => {
    if (/[\s'"\\$`#]/.test(value)) throw new StackOutputsError(`unexpected characters in ${key}`);
    return `${key}=${value}`;
  });
  return `# ${header}\n${lines.join('\n')}\n`;
}
