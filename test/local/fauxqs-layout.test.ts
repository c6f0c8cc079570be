import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * packages/local/src/emulators.ts reaches past fauxqs's package entry (startFauxqs always binds 0.0.0.0):
 * it loads the store and persistence files beside dist/app.js and uses their fields. fauxqs is pinned
 * exactly for that reason; this test says what changed when an upgrade moves any of it.
 */
const entry = import.meta.resolve('fauxqs');
const load = async (file: string) => (await import(new URL(file, entry).href)) as Record<string, unknown>;
const construct = (module: Record<string, unknown>, name: string, ...args: unknown[]) => {
  const Class = module[name];
  if (typeof Class !== 'function') throw new Error(`fauxqs no longer exports ${name}`);
  return new (Class as new (...a: unknown[]) => Record<string, unknown>)(...args);
};

describe('the fauxqs internals packages/local uses', () => {
  it('are pinned: package.json names one exact version, the one installed', async () => {
    const root = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const installed = JSON.parse(await readFile(new URL('../package.json', entry), 'utf8'));

    expect(root.dependencies.fauxqs).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(root.dependencies.fauxqs);
  });

  it('keep their files and classes: sqs/sqsStore, sns/snsStore, s3/s3Store, persistence', async () => {
    const [sqs, sns, s3, persistence] = await Promise.all(
      ['./sqs/sqsStore.js', './sns/snsStore.js', './s3/s3Store.js', './persistence.js'].map(load),
    );

    expect(typeof sqs?.SqsStore).toBe('function');
    expect(typeof sns?.SnsStore).toBe('function');
    expect(typeof s3?.S3Store).toBe('function');
    expect(typeof persistence?.PersistenceManager).toBe('function');
  });

  it('keep the fields: the SQLite handle, the queue map keyed by URL, host, persistence, load and close', async () => {
    const [sqs, sns, s3, persistence] = await Promise.all(
      ['./sqs/sqsStore.js', './sns/snsStore.js', './s3/s3Store.js', './persistence.js'].map(load),
    );
    const dir = await mkdtemp(join(tmpdir(), 'fauxqs-layout-'));
    const manager = construct(persistence ?? {}, 'PersistenceManager', dir);
    try {
      const store = construct(sqs ?? {}, 'SqsStore');
      expect(typeof (manager.db as { exec?: unknown } | undefined)?.exec).toBe('function');
      expect(store.queues).toBeInstanceOf(Map);
      expect(typeof store.host).toBe('string');
      expect(typeof store.allQueues).toBe('function');
      expect(typeof manager.load).toBe('function');
      expect(typeof manager.close).toBe('function');
      (manager.load as (...stores: unknown[]) => void)(
        store,
        construct(sns ?? {}, 'SnsStore'),
        construct(s3 ?? {}, 'S3Store'),
      );

      const url = 'http://127.0.0.1:1/000000000000/layout';
      (store.createQueue as (...a: unknown[]) => unknown)(
        'layout',
        url,
        'arn:aws:sqs:us-east-1:000000000000:layout',
        {},
        {},
      );

      const queues = store.queues as Map<string, { url?: unknown }>;
      expect(queues.get(url)?.url).toBe(url);
      expect([...(store.allQueues as () => Iterable<unknown>)()]).toHaveLength(1);
    } finally {
      (manager.close as () => void)();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
