import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets } from '../../packages/adapters/src/resources.js';
import { S3ObjectStore } from '../../packages/adapters/src/storage/object-store.js';
import { createStorageClient } from '../../packages/adapters/src/storage/s3-client.js';
import { LOOPBACK, type RunningEmulator, startS3Emulator } from '../../packages/local/src/emulators.js';
import { bootstrapBuckets, type LocalBuckets } from '../../packages/local/src/storage-bootstrap.js';
import { createTempDataDir } from './temp-dir.js';

async function open(dataDir: string): Promise<{
  emulator: RunningEmulator;
  buckets: LocalBuckets;
  store: S3ObjectStore;
  commands: string[];
  close: () => Promise<void>;
}> {
  const emulator = await startS3Emulator({ dataDir });
  const made = await bootstrapBuckets({ endpoint: emulator.endpoint, region: 'us-east-1' });
  const s3 = createStorageClient({
    stage: 'local',
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    bucket: made.names.files,
  });
  return {
    emulator,
    buckets: made,
    store: new S3ObjectStore(s3, made.names.files),
    commands: recordCommands(s3),
    close: async () => {
      s3.destroy();
      await emulator.stop();
    },
  };
}

/** The names of the commands the client sends, in order. */
function recordCommands(s3: S3Client): string[] {
  const names: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  return names;
}

describe('the embedded S3 emulator (s3rver)', () => {
  let dataDir: Awaited<ReturnType<typeof createTempDataDir>>;
  let first: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    dataDir = await createTempDataDir();
    first = await open(dataDir.path);
  });

  afterAll(async () => {
    await first.close();
    await dataDir.remove();
  });

  it('listens on loopback and creates every bucket resources.ts describes, named in the environment', () => {
    expect(first.emulator.address.address).toBe(LOOPBACK);
    expect(Object.keys(first.buckets.names).sort()).toEqual(Object.keys(buckets).sort());
    expect(first.buckets.env).toMatchObject({
      MADAD_S3_ENDPOINT: first.emulator.endpoint,
      MADAD_BUCKET_FILES: 'madad-local-files',
    });
  });

  it('reads byte ranges of an object, as the import splitter and workers do', async () => {
    await first.store.writeText('uploads/registry/ranges.ndjson', 'alpha\nbravo\ncharlie\n');

    const head = await first.store.head('uploads/registry/ranges.ndjson');
    const middle = await first.store.readRange('uploads/registry/ranges.ndjson', 6, 12);
    const pastTheEnd = await first.store.readRange('uploads/registry/ranges.ndjson', 12, 1_000);

    expect(head?.size).toBe(20);
    expect(head?.etag).toMatch(/^[0-9a-f-]+$/);
    expect(middle.toString()).toBe('bravo\n');
    expect(pastTheEnd.toString()).toBe('charlie\n');
    expect(await first.store.head('uploads/registry/none.ndjson')).toBeUndefined();
  });

  it('takes a streamed multipart upload of several parts and returns the same bytes', async () => {
    const body = randomBytes(17 * 1024 * 1024 + 123);
    const parts = Array.from({ length: 9 }, (_, i) => body.subarray(i * 2_000_000, (i + 1) * 2_000_000));

    await first.store.upload('payments/big.bin', Readable.from(parts));

    const head = await first.store.head('payments/big.bin');
    expect(head?.size).toBe(body.length);
    // Parts of 8 MiB at most: three UploadPart calls, never the whole body in one request.
    expect(first.commands.filter((name) => name === 'UploadPartCommand')).toHaveLength(3);
    expect(first.commands).toContain('CompleteMultipartUploadCommand');
    const tail = await first.store.readRange('payments/big.bin', body.length - 1_000, body.length);
    expect(tail.equals(body.subarray(body.length - 1_000))).toBe(true);
  });

  it('keeps objects in the data folder across a restart, and a second bootstrap changes nothing', async () => {
    await first.store.writeText('imports/kept/summary.json', '{"kept":true}', 'application/json');
    await first.close();

    first = await open(dataDir.path);

    expect(await first.store.readText('imports/kept/summary.json')).toBe('{"kept":true}');
  });
});
