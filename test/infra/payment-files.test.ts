import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_FILES_PREFIX } from '../../infra/constructs/payment-files-access.js';
import type { MadadStack } from '../../infra/madad-stack.js';
import { paymentFileKey } from '../../packages/core/src/payments/payment-file.js';
import { arnOf, logicalId, refOf, statementsOfRole, synthesizeStage } from './synthesize-stage.js';

describe('payment files in the cloud (prod)', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { bundle: false }));
  });

  const statementsOf = (fn: 'api' | 'sms-webhook') => {
    const role = stack.lambda(fn).function.role;
    if (!role) throw new Error(`${fn} has no role`);
    return statementsOfRole(template, role);
  };
  const filesArn = () => JSON.stringify(arnOf(stack.imports.files));
  const onBucket = (fn: 'api' | 'sms-webhook') =>
    statementsOf(fn).filter((s) => JSON.stringify(s.Resource).includes(filesArn()));

  it('keeps payment files under the prefix the grant names', () => {
    expect(paymentFileKey({ campaignId: 'C-FLOOD1', batchId: 'B-1' }).startsWith(PAYMENT_FILES_PREFIX)).toBe(
      true,
    );
  });

  it('lets the API get and put (multipart) objects under payments/ only: no delete, no list, no other prefix', () => {
    const statements = onBucket('api');

    expect(statements).toHaveLength(1);
    expect(statements[0]?.Resource).toEqual({
      'Fn::Join': ['', [arnOf(stack.imports.files), '/payments/*']],
    });
    expect([statements[0]?.Action].flat().sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:PutObject',
    ]);
  });

  it('lets the API use the data key the bucket is encrypted with (multipart upload and download)', () => {
    const key = JSON.stringify(arnOf(stack.node.findChild('DataKey')));
    const actions = statementsOf('api')
      .filter((s) => JSON.stringify(s.Resource) === key)
      .flatMap((s) => [s.Action].flat());

    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  it('names the bucket to the API in the variable the local stack sets', () => {
    const variables =
      template.toJSON().Resources[logicalId(stack.lambda('api').function)].Properties.Environment.Variables;

    expect(variables.MADAD_BUCKET_FILES).toEqual(refOf(stack.imports.files));
  });

  it('gives the per-SMS webhook no access to the bucket and not its name', () => {
    const variables =
      template.toJSON().Resources[logicalId(stack.lambda('sms-webhook').function)].Properties.Environment
        .Variables;

    expect(onBucket('sms-webhook')).toEqual([]);
    expect(statementsOf('sms-webhook').flatMap((s) => [s.Action].flat())).not.toContainEqual(
      expect.stringMatching(/^s3:/),
    );
    expect(variables.MADAD_BUCKET_FILES).toBeUndefined();
  });
});
