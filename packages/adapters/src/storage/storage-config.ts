import { bucketEnvName } from '../resources.js';
import { requireEnv } from '../runtime/config.js';

/** Where the stack's files live: the bucket, and the S3 endpoint when it is not AWS's own. */
export interface StorageConfig {
  readonly stage: string;
  readonly region: string;
  readonly bucket: string;
  /** `MADAD_S3_ENDPOINT`: the embedded stack's emulator, or any S3-compatible endpoint. */
  readonly endpoint?: string;
}

/** Reads the storage configuration once, failing fast when the bucket is not named. */
export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  return {
    stage: env.MADAD_STAGE ?? 'local',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    bucket: requireEnv(bucketEnvName('files'), env),
    ...(env.MADAD_S3_ENDPOINT ? { endpoint: env.MADAD_S3_ENDPOINT } : {}),
  };
}
