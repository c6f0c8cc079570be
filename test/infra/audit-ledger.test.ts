import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStage } from './synthesize-stage.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

describe.each(['dev', 'prod'] as const)('the audit ledger in the %s stack', (stage) => {
  let template: Template;

  beforeAll(() => {
    template = synthesizeStage(stage, { bundle: false }).template;
  });

  it('keeps its anchors in a versioned bucket with Object Lock in compliance mode, encrypted, private, TLS only, logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: stage === 'prod' ? 3653 : 1 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ ObjectLockEnabled: true }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps the ledger key in a secret of its own, encrypted with the data key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('MAC key of the audit ledger'),
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });

  it('gives the api and the batch worker (and only those) the key, anchor writes under anchors/ and the environment to find them', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const withAnchors = Object.values(functions).filter((f) =>
      JSON.stringify(f.Properties?.Environment ?? '').includes('MADAD_AUDIT_ANCHOR_BUCKET'),
    );
    // The batch worker audits each batch it makes (payment-batch.create), as the api does for a maker.
    expect(withAnchors).toHaveLength(2);
    for (const f of withAnchors) {
      expect(JSON.stringify(f.Properties?.Environment)).toContain('MADAD_AUDIT_KEY_SECRET_ARN');
    }
    for (const role of ['^ApiFunctionRole', '^BatchWorkerFunctionRole']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp(role),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/anchors/*']] },
            }),
            Match.objectLike({
              Action: 's3:ListBucket',
              Condition: { StringLike: { 's3:prefix': ['anchors/*'] } },
            }),
          ]),
        },
      });
    }
    const policies = Object.entries(template.findResources('AWS::IAM::Policy') as Resources);
    const readingTheKey = policies.filter(([, p]) => JSON.stringify(p).includes('AuditLedgerLedgerKey'));
    expect(readingTheKey.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^ApiFunctionRole/),
      expect.stringMatching(/^BatchWorkerFunctionRole/),
    ]);
    // No function may delete an anchor, change its retention or bypass the lock.
    expect(JSON.stringify(policies)).not.toMatch(
      /s3:(DeleteObject|PutObjectRetention|BypassGovernanceRetention|PutObjectLegalHold|PutBucket|\*)/,
    );
  });
});
