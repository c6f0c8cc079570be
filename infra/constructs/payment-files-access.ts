import { bucketEnvName } from '@madad/adapters/resources';
import { Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';

/** Where payment files live in the files bucket (`paymentFileKey` in packages/core/src/payments/payment-file.ts). */
export const PAYMENT_FILES_PREFIX = 'payments/';

/**
 * Lets the staff API write payment files and sign their download links, and nothing else of the files
 * bucket: objects under `payments/` only, get and put (a streamed multipart upload: create, upload part
 * and complete are `s3:PutObject`) and abort of a stopped upload; no delete, no list, no other prefix
 * (uploads, rejects and summaries stay the import pipeline's). A presigned link is signed with the
 * function's own credentials, so its `s3:GetObject` is what the download is allowed by. The bucket is
 * encrypted with the data key: the multipart upload needs a data key and its parts decrypted, the
 * download decrypts.
 */
export function grantPaymentFiles(props: { files: Bucket; key: IKey; api: LambdaFn }): void {
  const { files, key, api } = props;
  api.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [files.arnForObjects(`${PAYMENT_FILES_PREFIX}*`)],
    }),
  );
  key.grantEncryptDecrypt(api);
  api.addEnvironment(bucketEnvName('files'), files.bucketName);
  if (!api.role) return;
  const bucketId = Stack.of(files).getLogicalId(files.node.defaultChild as CfnBucket);
  Validations.of(api.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${PAYMENT_FILES_PREFIX}*]`,
    reason:
      'Payment files are named by campaign and batch id (payments/<campaign>/<batch>/...), made as batches ' +
      'are approved, so the grant is on the payments/ prefix: get and put only, never delete or list.',
  });
}
