import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { type AuditAnchor, type AuditAnchors, mapBounded } from '@madad/core';
import { AuditAnchorSchema } from './anchor-schema.js';

const PREFIX = 'anchors/';
// Keys sort ascending, so the newest anchor gets the smallest key: one List of one key finds it.
const CEILING = 10 ** 15;

/** The object key of the anchor of `seq`: `anchors/<10^15 - seq, 16 digits>.json`. */
export function auditAnchorKey(seq: number): string {
  return `${PREFIX}${String(CEILING - seq).padStart(16, '0')}.json`;
}

/** One S3 client per process, for the anchor bucket. */
export function createS3Client(region: string): S3Client {
  return new S3Client({ region, maxAttempts: 5 });
}

/**
 * The cloud's anchors: one object per checkpoint in a versioned bucket with Object Lock in compliance
 * mode, so no one (root included) can delete or replace an anchor during the retention period. A
 * second put of a key adds a version; the anchor read back must name the seq its key names.
 */
export class S3AuditAnchors implements AuditAnchors {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async record(anchor: AuditAnchor): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: auditAnchorKey(anchor.seq),
        Body: JSON.stringify(anchor),
        ContentType: 'application/json',
        // Object Lock buckets refuse a put without an integrity checksum.
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  async latest(): Promise<AuditAnchor | undefined> {
    const listed = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, MaxKeys: 1 }),
    );
    const key = listed.Contents?.[0]?.Key;
    return key ? this.read(key) : undefined;
  }

  /** Every anchor (newest first): one GET each, sixteen at a time; for the deep check only. */
  async all(): Promise<AuditAnchor[]> {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.s3 },
      { Bucket: this.bucket, Prefix: PREFIX },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    return mapBounded(keys, 16, (key) => this.read(key));
  }

  private async read(key: string): Promise<AuditAnchor> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    const parsed = AuditAnchorSchema.safeParse(JSON.parse(text));
    if (!parsed.success || auditAnchorKey(parsed.data.seq) !== key)
      throw new Error(`s3://${this.bucket}/${key} is not the audit anchor its key names`);
    return parsed.data;
  }
}
