import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** What is known of an object without reading it. */
export interface ObjectHead {
  readonly size: number;
  /** Changes whenever the object is replaced; part of an import's identity. */
  readonly etag: string;
  /** The object's user metadata (`x-amz-meta-*`, names in lower case). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Multipart parts of 8 MiB, 4 in flight: a million-line file never sits in memory whole. */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

/** The objects of one bucket: whole reads and writes, byte ranges, and streamed multipart uploads. */
export class S3ObjectStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  /** The object's size and ETag; undefined when there is no such object. */
  async head(key: string): Promise<ObjectHead | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: out.ContentLength ?? 0,
        etag: (out.ETag ?? '').replaceAll('"', ''),
        ...(out.Metadata ? { metadata: out.Metadata } : {}),
      };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  /** Bytes `[start, end)` of the object (`end` past its size reads to its end). */
  async readRange(key: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    const out = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
    );
    if (!out.Body) return Buffer.alloc(0);
    return Buffer.from(await out.Body.transformToByteArray());
  }

  /** The whole object as text; undefined when there is no such object. */
  async readText(key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToString('utf8') : '';
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  /** Writes (replaces) a small object in one PutObject. */
  async writeText(key: string, text: string, contentType = 'application/x-ndjson'): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: text, ContentType: contentType }),
    );
  }

  /**
   * Streams `body` into the object in 8 MiB parts (a multipart upload; one PutObject when it is
   * smaller), so memory stays flat whatever the size; a failed upload is aborted, leaving no parts.
   */
  async upload(
    key: string,
    body: Readable | Buffer | string,
    contentType?: string,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ...(contentType ? { ContentType: contentType } : {}),
        ...(metadata ? { Metadata: { ...metadata } } : {}),
      },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    await upload.done();
  }
}
