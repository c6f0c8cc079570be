import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
} from '@aws-sdk/client-s3';
import { type BucketId, bucketEnvName, buckets } from '@madad/adapters/resources';
import { createStorageClient } from '@madad/adapters/s3-client';

export interface LocalBuckets {
  readonly names: Readonly<Record<BucketId, string>>;
  /** `{MADAD_S3_ENDPOINT, [bucketEnvName]: name}`, what the handlers read. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Creates the buckets described in `resources.ts` on the stack's S3 endpoint, reusing any that exist,
 * so a second start on the same data folder changes nothing. (Lifecycle expiry is the cloud's; the
 * emulator keeps every object.)
 */
export async function bootstrapBuckets(options: {
  readonly endpoint: string;
  readonly region: string;
  readonly namePrefix?: string;
}): Promise<LocalBuckets> {
  const prefix = options.namePrefix ?? 'madad-local-';
  const s3 = createStorageClient({
    stage: 'local',
    region: options.region,
    endpoint: options.endpoint,
    bucket: '',
  });
  const names = {} as Record<BucketId, string>;
  const env: Record<string, string> = { MADAD_S3_ENDPOINT: options.endpoint };
  try {
    for (const spec of Object.values(buckets)) {
      const name = `${prefix}${spec.id}`;
      if (!(await exists(s3, name))) {
        await s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: unknown) => {
          if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
        });
      }
      names[spec.id] = name;
      env[bucketEnvName(spec.id)] = name;
    }
  } finally {
    s3.destroy();
  }
  return { names, env };
}

async function exists(s3: ReturnType<typeof createStorageClient>, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}
