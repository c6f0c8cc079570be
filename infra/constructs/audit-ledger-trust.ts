import { auditEnv } from '@madad/adapters/audit-env';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';

/** Object prefix of the anchors (`S3AuditAnchors`): the only keys the functions may write or read. */
const ANCHOR_PREFIX = 'anchors/';

export interface AuditLedgerTrustProps {
  readonly stage: StageConfig;
  readonly key: IKey;
}

/**
 * What makes the audit ledger checkable from outside its table: the MAC key, a secret of its own
 * (granted only to the functions that append to or verify the ledger, not to every table writer), and
 * the anchor bucket, where each append leaves a signed checkpoint of the ledger's head. The bucket is
 * versioned with Object Lock in compliance mode: during the retention no one, the account root
 * included, can delete or overwrite an anchor version, so a table restored to an older copy or cut
 * short stays behind an anchor it cannot remove.
 */
export class AuditLedgerTrust extends Construct {
  readonly key: Secret;
  readonly anchors: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: AuditLedgerTrustProps) {
    super(scope, id);
    const { stage } = props;
    this.key = new Secret(this, 'LedgerKey', {
      description: `Madad ${stage.name}: MAC key of the audit ledger (${auditEnv.keySecretArn}); never rotate in place`,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.key).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The ledger key verifies every entry ever chained with it: an automatic rotation would make the ' +
        'existing ledger fail verification. Changing it is a planned procedure (docs/audit-ledger.md): ' +
        'checkpoint, start a new chain segment under the new key, keep the old key for verifying the old one.',
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access logs can only be delivered to a bucket with S3-managed encryption.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: stage.removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(stage.name === 'prod' ? 400 : 30) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the audit anchor bucket; logging its own accesses ' +
        'into itself would loop, and it holds no ledger data, only the record of who read or wrote the anchors.',
    });

    this.anchors = new Bucket(this, 'Anchors', {
      versioned: true,
      objectLockEnabled: true,
      // Compliance mode: not even the root user can shorten the retention or delete a locked version.
      objectLockDefaultRetention: ObjectLockRetention.compliance(
        Duration.days(stage.name === 'prod' ? 3653 : 1),
      ),
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'anchors/',
      // Locked versions cannot be deleted anyway; the bucket outlives the stack in every stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets a function append anchors and read the latest one (put and get under `anchors/`, list of
   * that prefix only), and read the ledger key; returns the environment the adapters read.
   */
  grantAppendAndVerify(fn: LambdaFunction): Record<string, string> {
    const grantee = fn;
    this.key.grantRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.anchors.arnForObjects(`${ANCHOR_PREFIX}*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.anchors.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ANCHOR_PREFIX}*`] } },
      }),
    );
    this.anchors.encryptionKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    const bucketId = Stack.of(this).getLogicalId(this.anchors.node.defaultChild as CfnBucket);
    if (fn.role)
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ANCHOR_PREFIX}*]`,
        reason:
          'Anchor objects are named by seq (anchors/<inverted seq>.json), one per ledger append, so their keys ' +
          'cannot be listed in advance; the grant is put and get on that prefix only, never delete or retention.',
      });
    return { [auditEnv.keySecretArn]: this.key.secretArn, [auditEnv.anchorBucket]: this.anchors.bucketName };
  }
}
