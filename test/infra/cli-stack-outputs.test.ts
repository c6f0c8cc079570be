import { queueEnvName, queues, tableEnvName, tables } from '@madad/adapters';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackOutputsToEnv } from '../../packages/cli/src/stack-outputs.js';
import { allFeatures, synthesizeStage } from './synthesize-stage.js';

describe('madad stack reads the outputs the CDK stack really declares', () => {
  let outputKeys: string[];

  beforeAll(() => {
    const { template } = synthesizeStage('prod', { context: allFeatures, bundle: false });
    outputKeys = Object.keys(template.findOutputs('*'));
  }, 240_000);

  it('finds every table, queue, secret and the audit anchor bucket among them', () => {
    const outputs = outputKeys.map((key) => ({ OutputKey: key, OutputValue: `value-of-${key}` }));

    const env = stackOutputsToEnv(outputs, 'ap-south-1');

    for (const id of Object.keys(tables) as (keyof typeof tables)[])
      expect(env[tableEnvName(id)]).toBeDefined();
    for (const id of Object.keys(queues) as (keyof typeof queues)[])
      expect(env[queueEnvName(id)]).toBeDefined();
    expect(env).toMatchObject({
      MADAD_SECRETS_ARN: 'value-of-SecretsArn',
      MADAD_SMS_WEBHOOK_SECRET_ARN: 'value-of-SmsWebhookSecretArn',
      MADAD_AUDIT_KEY_SECRET_ARN: 'value-of-AuditLedgerKeySecretArn',
      MADAD_AUDIT_ANCHOR_BUCKET: 'value-of-AuditAnchorBucketName',
      MADAD_API_URL: 'value-of-ApiUrl',
    });
  });
});
