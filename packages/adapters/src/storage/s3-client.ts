import { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from './storage-config.js';

// The embedded emulator (s3rver) has one account and refuses any other access key.
const emulatorCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * One S3 client per process. Against an overridden endpoint it addresses buckets by path (loopback
 * has no `<bucket>.127.0.0.1`) and sends checksums only where S3 requires them (the emulator does
 * not understand the SDK's default streaming checksum trailers); in local mode it signs as the
 * emulator's account. On AWS it is the SDK's default client.
 */
export function createStorageClient(config: StorageConfig): S3Client {
  if (!config.endpoint) return new S3Client({ region: config.region, maxAttempts: 5 });
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 5,
    ...(config.stage === 'local' ? { credentials: emulatorCredentials } : {}),
  });
}
