import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PaymentFileStore } from '@madad/core';
import { S3ObjectStore } from '../storage/object-store.js';

/**
 * Payment files in the stack's bucket: written by a streamed multipart upload (8 MiB parts), read by
 * staff through presigned GET links that name the file as an attachment.
 */
export class S3PaymentFiles implements PaymentFileStore {
  private readonly objects: S3ObjectStore;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** The signing time of links (tests sign in the past to prove a link expires). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.objects = new S3ObjectStore(s3, bucket);
  }

  async write(key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void> {
    await this.objects.upload(key, Readable.from(chunks), contentType);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.objects.head(key)) !== undefined;
  }

  async presign(key: string, download: { filename: string; seconds: number }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="${download.filename.replace(/[^\w.-]/g, '_')}"`,
      ResponseCacheControl: 'no-store',
    });
    return getSignedUrl(this.s3, command, { expiresIn: download.seconds, signingDate: this.now() });
  }
}
