import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MadadStack } from '../../infra/madad-stack.js';
import { buckets, queues } from '../../packages/adapters/src/resources.js';
import { arnOf, logicalId, refOf, statementsOfRole, synthesizeStage } from './synthesize-stage.js';

describe('the import pipeline (prod)', () => {
  let stack: MadadStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeStage('prod', { bundle: false }));
  });

  const files = () => stack.imports.files;
  const resourceOf = (construct: Parameters<typeof logicalId>[0]) =>
    template.toJSON().Resources[logicalId(construct)];

  it('keeps the files bucket private, encrypted with the data key, logged, and reachable over TLS only', () => {
    const bucket = resourceOf(files()).Properties;

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: arnOf(stack.node.findChild('DataKey')),
      },
    });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual(refOf(stack.imports.accessLogs));
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: refOf(files()),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('expires reject files (raw personal data) as resources.ts says, and abandoned multipart uploads', () => {
    const rules = resourceOf(files()).Properties.LifecycleConfiguration.Rules;

    for (const rule of buckets.files.expiry) {
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: rule.prefix, ExpirationInDays: rule.days, Status: 'Enabled' }),
      );
    }
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
    );
  });

  it('invokes the splitter for every object created under uploads/ (S3 events through EventBridge)', () => {
    expect(resourceOf(files()).Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [refOf(files())] }, object: { key: [{ prefix: 'uploads/' }] } },
      },
      Targets: [Match.objectLike({ Arn: arnOf(stack.lambda('import-splitter').function) })],
    });
  });

  it('feeds the workers one chunk at a time with a bounded concurrency that protects the tables', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(stack.queues.get('imports').queue),
      FunctionName: refOf(stack.lambda('import-worker').function),
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: queues.imports.maxConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the splitter read uploads and how to decode them only, and the worker read uploads and write rejects and summaries, never delete', () => {
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [arnOf(files()), `/${prefix}*`]] });
    const on = (fn: 'import-splitter' | 'import-worker', prefix: string) => {
      const role = stack.lambda(fn).function.role;
      if (!role) throw new Error(`${fn} has no role`);
      const resource = JSON.stringify(objects(prefix));
      return statementsOfRole(template, role)
        .filter((s) => JSON.stringify(s.Resource).includes(resource))
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    };

    expect(on('import-splitter', 'uploads/')).toEqual(['s3:GetObject']);
    expect(on('import-splitter', 'rejects/')).toEqual([]);
    expect(on('import-splitter', 'upload-decoding/')).toEqual(['s3:GetObject']);
    expect(on('import-worker', 'upload-decoding/')).toEqual([]);
    expect(on('import-worker', 'uploads/')).toEqual(['s3:GetObject']);
    expect(on('import-worker', 'rejects/').sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(on('import-worker', 'imports/').sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:PutObject',
    ]);
    const everything = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(everything).not.toContain('s3:DeleteObject');
  });

  it('names the bucket to both functions', () => {
    for (const fn of ['import-splitter', 'import-worker'] as const) {
      const variables = resourceOf(stack.lambda(fn).function).Properties.Environment.Variables;

      expect(variables.MADAD_BUCKET_FILES).toEqual(refOf(files()));
    }
  });
});
