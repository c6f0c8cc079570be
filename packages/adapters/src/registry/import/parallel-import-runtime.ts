import { SqsJsonQueue } from '../../messaging/sqs-queue.js';
import { ConfigurationError } from '../../runtime/config.js';
import { getRuntime } from '../../runtime/runtime.js';
import { loadSecrets } from '../../runtime/secrets.js';
import { S3ObjectStore } from '../../storage/object-store.js';
import { createStorageClient } from '../../storage/s3-client.js';
import { loadStorageConfig } from '../../storage/storage-config.js';
import { DynamoDbImportJobs } from './dynamodb-import-jobs.js';
import { DEFAULT_CHUNK_BYTES, type ImportSplitterDeps, type ParallelImportDeps } from './parallel-import.js';

/**
 * The splitter's dependencies from the environment: bucket, job records, imports queue (no secrets).
 * `MADAD_IMPORT_CHUNK_BYTES` sets the chunk size (default 8 MiB).
 */
export function importSplitterDeps(
  overrides: Pick<ParallelImportDeps, 'chunkBytes'> = {},
): ImportSplitterDeps {
  const { config, doc, sqs } = getRuntime();
  const storage = loadStorageConfig();
  const queue = new SqsJsonQueue(sqs, config.queues.imports);
  const chunkBytes = Number(process.env.MADAD_IMPORT_CHUNK_BYTES ?? DEFAULT_CHUNK_BYTES);
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1)
    throw new ConfigurationError(
      `MADAD_IMPORT_CHUNK_BYTES is not a positive integer: ${process.env.MADAD_IMPORT_CHUNK_BYTES}`,
    );
  return {
    chunkBytes,
    files: new S3ObjectStore(createStorageClient(storage), storage.bucket),
    jobs: new DynamoDbImportJobs(doc, config.tables.operations),
    work: { sendAll: (items) => queue.sendAll(items.map((body, i) => ({ id: String(i), body }))) },
    now: () => new Date(),
    ...overrides,
  };
}

/**
 * The parallel import's dependencies from the function's environment (or the running local stack's):
 * the files bucket, the job records and the registry in DynamoDB, the imports queue, the CNIC pepper.
 * Built once per process by the caller, at module scope of a handler.
 */
export async function parallelImportDeps(
  overrides: Pick<ParallelImportDeps, 'chunkBytes'> = {},
): Promise<ParallelImportDeps> {
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  return {
    ...importSplitterDeps(overrides),
    target: { doc, table: config.tables.registry, pepper: cnicPepper },
  };
}
