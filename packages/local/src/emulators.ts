import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makePrivateDir } from '@madad/adapters/private-files';
import dynalite from 'dynalite';
import { type BuildAppOptions, buildApp } from 'fauxqs';
import S3rver from 's3rver';

/** Emulators listen on loopback only: the local stack holds personal data and has no auth of its own. */
export const LOOPBACK = '127.0.0.1';

/** An emulator process running inside this Node process. */
export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`, ready for an AWS SDK client's `endpoint`. */
  readonly endpoint: string;
  /** The bound socket address, so callers (and tests) can check it is loopback. */
  readonly address: AddressInfo;
  /** Closes the server and flushes its storage. */
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Root data folder; each emulator keeps its files in a sub-folder. */
  readonly dataDir: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

/** Starts dynalite (DynamoDB on LevelDB) with its data under `<dataDir>/dynamodb`. */
export async function startDynamoDbEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const path = join(options.dataDir, 'dynamodb');
  await makePrivateDir(path);
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const address = await listenOnLoopback(server, options.port ?? 0);
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    address,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The access key s3rver's single account signs with; its clients must use it (any other key is
 * refused as InvalidAccessKeyId before the signature is looked at).
 */
export const S3_EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * Starts s3rver (S3: objects, range reads, multipart uploads) with its files under `<dataDir>/s3`,
 * bound to loopback. Buckets are created by the stack's bootstrap, as tables and queues are.
 */
export async function startS3Emulator(
  options: EmulatorOptions,
): Promise<RunningEmulator & { onObjectCreated(listener: (bucket: string, key: string) => void): void }> {
  const directory = join(options.dataDir, 's3');
  await makePrivateDir(directory);
  const server = new S3rver({
    address: LOOPBACK,
    port: options.port ?? 0,
    directory,
    silent: true,
    // Path-style only: virtual-host buckets would need `<bucket>.127.0.0.1` to resolve.
    vhostBuckets: false,
  });
  const address = await server.run();
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    address,
    stop: () => server.close(),
    // s3rver emits S3's notification event for every put, post, copy and completed multipart upload.
    onObjectCreated: (listener) =>
      server.on('event', (event: S3NotificationEvent) => {
        for (const record of event.Records ?? []) {
          if (!record.eventName?.startsWith('ObjectCreated')) continue;
          const key = record.s3?.object?.key;
          const bucket = record.s3?.bucket?.name;
          // Unlike AWS's, s3rver's keys are not URL-encoded.
          if (key && bucket) listener(bucket, key);
        }
      }),
  };
}

interface S3NotificationEvent {
  Records?: { eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }[];
}

type FauxqsStores = NonNullable<BuildAppOptions['stores']>;

/** fauxqs's SQLite persistence (not exported from the package entry, but typed through the stores). */
type FauxqsPersistence = NonNullable<FauxqsStores['sqsStore']['persistence']>;

interface FauxqsInternals {
  SqsStore: new () => FauxqsStores['sqsStore'];
  SnsStore: new () => FauxqsStores['snsStore'];
  S3Store: new () => FauxqsStores['s3Store'];
  PersistenceManager: new (dataDir: string) => FauxqsPersistence;
}

/**
 * Starts fauxqs (SQS) with SQLite persistence under `<dataDir>/sqs`, bound to loopback.
 *
 * `startFauxqs` always binds 0.0.0.0, so this repeats its persistence wiring around the exported
 * `buildApp`: load the saved state first, then attach persistence to the stores and to every loaded
 * queue, and close the database before the server closes.
 */
export async function startSqsEmulator(
  options: EmulatorOptions & { readonly region?: string },
): Promise<RunningEmulator> {
  const path = join(options.dataDir, 'sqs');
  await makePrivateDir(path);
  const { SqsStore, SnsStore, S3Store, PersistenceManager } = await loadFauxqsInternals();
  const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  const persistence = new PersistenceManager(path);
  // fauxqs commits every message in WAL mode with SQLite's default FULL sync: an fsync per message,
  // which blocks the event loop the handlers share. NORMAL keeps every commit through a crash or kill
  // of the process (what the crash-restart test does) and only risks the last commits on power loss,
  // acceptable for a stack on one machine.
  (persistence as unknown as { db: { exec(sql: string): void } }).db.exec('PRAGMA synchronous = NORMAL');
  // Loading before persistence is attached avoids re-writing every loaded row (and cascading deletes).
  persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  stores.sqsStore.persistence = persistence;
  stores.snsStore.persistence = persistence;
  stores.s3Store.persistence = persistence;
  for (const queue of stores.sqsStore.allQueues()) {
    queue.persistence = persistence;
  }
  // An empty host makes fauxqs build queue URLs from the request's Host (`127.0.0.1:<port>`); its default,
  // `sqs.<region>.localhost`, does not resolve everywhere and the SDK follows queue URLs without an endpoint.
  stores.sqsStore.host = '';
  const app = buildApp({ logger: false, defaultRegion: options.region, stores });
  app.addHook('preClose', (done) => {
    persistence.close();
    done();
  });
  await app.listen({ port: options.port ?? 0, host: LOOPBACK });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('fauxqs did not report a TCP address');
  rebaseQueueUrls(stores.sqsStore, `http://${LOOPBACK}:${address.port}`);
  return { endpoint: `http://${LOOPBACK}:${address.port}`, address, stop: () => app.close() };
}

async function loadFauxqsInternals(): Promise<FauxqsInternals> {
  // The package entry only exports buildApp/startFauxqs; the stores live in sibling files of dist/app.js.
  const entry = import.meta.resolve('fauxqs');
  const load = (file: string) => import(new URL(file, entry).href);
  const [sqs, sns, s3, persistence] = await Promise.all([
    load('./sqs/sqsStore.js'),
    load('./sns/snsStore.js'),
    load('./s3/s3Store.js'),
    load('./persistence.js'),
  ]);
  return {
    SqsStore: sqs.SqsStore,
    SnsStore: sns.SnsStore,
    S3Store: s3.S3Store,
    PersistenceManager: persistence.PersistenceManager,
  };
}

/**
 * Queues loaded from SQLite keep the URL (and port) of the run that created them; with a new port each
 * start, GetQueueUrl would hand out a dead address. fauxqs keeps queues in a private map keyed by URL,
 * so re-key them in place; lookups by URL only use the queue name, so old URLs keep working too.
 */
function rebaseQueueUrls(store: FauxqsStores['sqsStore'], base: string): void {
  const index = (store as unknown as { queues?: unknown }).queues;
  if (!(index instanceof Map)) throw new Error('fauxqs internals changed: SqsStore.queues is not a Map');
  for (const [oldUrl, queue] of [...index.entries()] as [string, { url: string }][]) {
    const url = `${base}${new URL(oldUrl).pathname}`;
    index.delete(oldUrl);
    queue.url = url;
    index.set(url, queue);
  }
}

/** Listens on 127.0.0.1 and resolves with the bound address. */
export function listenOnLoopback(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      const address = server.address();
      if (!address || typeof address === 'string') {
        reject(new Error('server did not report a TCP address'));
        return;
      }
      resolve(address);
    });
  });
}
