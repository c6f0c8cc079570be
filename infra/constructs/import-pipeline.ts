import { bucketEnvName, buckets } from '@madad/adapters/resources';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage.js';

export interface ImportPipelineProps {
  readonly stage: StageConfig;
  readonly key: IKey;
  /** Splits an upload into chunks (the `import-splitter` function). */
  readonly splitter: LambdaFn;
  /** Imports one chunk (the `import-worker` function, fed by the imports queue). */
  readonly worker: LambdaFn;
}

// Object prefixes of the files bucket (packages/adapters/src/registry/import/import-work.ts).
const UPLOADS = 'uploads/';
const REJECTS = 'rejects/';
// How `madad import` was told to decode an upload (--codes, --format, --max-line-length): read by the splitter.
const DECODING = 'upload-decoding/';
const SUMMARIES = 'imports/';

/**
 * The files bucket and the import pipeline around it: an object created under `uploads/` invokes the
 * splitter (through EventBridge), which queues one work item a chunk on the imports queue, whose consumer (bounded by the
 * queue's maxConcurrency) writes the registry. The bucket is encrypted with the stack's data key,
 * private, TLS only, and logs its accesses; rejects (raw personal data) expire as `resources.ts` says.
 */
export class ImportPipeline extends Construct {
  readonly files: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ImportPipelineProps) {
    super(scope, id);
    const { stage } = props;
    const spec = buckets.files;

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
        'This bucket receives the server access logs of the files bucket; logging its own accesses into ' +
        'itself would loop, and it holds no imported data, only who read or wrote which file.',
    });

    this.files = new Bucket(this, 'Files', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      // One data key a bucket rather than a KMS call an object: chunk reads stay off the KMS quota.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'files/',
      removalPolicy: stage.removalPolicy,
      lifecycleRules: [
        ...spec.expiry.map((rule) => ({ prefix: rule.prefix, expiration: Duration.days(rule.days) })),
        // An upload stopped half way leaves parts that are billed and invisible: gone after a week.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    // S3 sends its events to EventBridge, where a rule picks the uploads out for the splitter. Set on
    // the CloudFormation bucket itself: CDK's `eventBridgeEnabled` would add a deploy-time custom
    // resource function (BucketNotificationsHandler) to do the same.
    (this.files.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    new Rule(this, 'UploadCreated', {
      description: `Madad ${stage.name}: a file uploaded for import (${UPLOADS}) starts its split`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.files.bucketName] }, object: { key: [{ prefix: UPLOADS }] } },
      },
      targets: [new LambdaFunction(props.splitter, { retryAttempts: 4, maxEventAge: Duration.hours(2) })],
    });

    const bucketId = Stack.of(this).getLogicalId(this.files.node.defaultChild as CfnBucket);
    const objects = (prefix: string) => this.files.arnForObjects(`${prefix}*`);
    // The splitter reads uploads (HeadObject and ranged GetObject); the worker reads them too and
    // writes rejects and summaries. Neither may delete anything or read what the other prefix holds.
    this.allow(props.splitter, ['s3:GetObject'], [objects(UPLOADS), objects(DECODING)]);
    this.allow(props.worker, ['s3:GetObject'], [objects(UPLOADS)]);
    this.allow(
      props.worker,
      ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      [objects(REJECTS), objects(SUMMARIES)],
    );
    props.key.grantDecrypt(props.splitter);
    props.key.grantEncryptDecrypt(props.worker);
    for (const fn of [props.splitter, props.worker]) {
      fn.addEnvironment(bucketEnvName('files'), this.files.bucketName);
      if (!fn.role) continue;
      Validations.of(fn.role).acknowledge(
        ...[UPLOADS, REJECTS, SUMMARIES, ...(fn === props.splitter ? [DECODING] : [])].map((prefix) => ({
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
          reason:
            `Uploaded files, their rejects and summaries are named by the operator and by import id, so the ` +
            `grant is on the ${prefix} prefix: get (and for the worker put) only, never delete or list.`,
        })),
      );
    }
  }

  private allow(fn: LambdaFn, actions: string[], resources: string[]): void {
    fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources }));
  }
}
