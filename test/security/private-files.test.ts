import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RejectFile } from '@madad/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePopulation } from '../../packages/cli/src/generate/write-population.js';
import { GatewayDeliveryLog } from '../../packages/local/src/sms-gateway-log.js';
import { type LocalStack, startLocalStack } from '../../packages/local/src/stack.js';
import { createTempDataDir } from '../local/temp-dir.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** A file another user could read before the fix, as an older release left it. */
async function worldReadable(path: string): Promise<string> {
  await writeFile(path, '');
  await chmod(path, 0o644);
  return path;
}

describe('finding 11: files with raw personal data are owner-only', () => {
  let temp: Awaited<ReturnType<typeof createTempDataDir>>;

  beforeAll(async () => {
    temp = await createTempDataDir();
    // mkdtemp makes 0700; the folders below must be made private by the code, not by the test.
    await chmod(temp.path, 0o755);
  });

  afterAll(async () => {
    await temp.remove();
  });

  it('writes an import reject file 0600, also over an older world-readable one', async () => {
    const path = await worldReadable(join(temp.path, 'households.ndjson.rejects.ndjson'));
    const rejects = new RejectFile(path);

    await rejects.add(1, { reason: 'BAD_CNIC', message: 'bad' }, '{"cnic":"35202-1234567-1"}');
    await rejects.close();

    expect(await modeOf(path)).toBe(0o600);
  });

  it('writes a generated population (CNICs, names, phones) 0600 in a folder made 0700', async () => {
    const outDir = join(temp.path, 'generated');

    await writePopulation({ households: 3, seed: 'private', outDir });

    expect(await modeOf(outDir)).toBe(0o700);
    for (const file of ['households.ndjson', 'identity.ndjson', 'exclusions.ndjson']) {
      expect(await modeOf(join(outDir, file))).toBe(0o600);
    }
  });

  it('opens the local SMS gateway log (phones and texts) 0600, also over an older world-readable one', async () => {
    const fresh = join(temp.path, 'fresh-gateway.ndjson');
    const old = await worldReadable(join(temp.path, 'old-gateway.ndjson'));

    for (const path of [fresh, old]) {
      const log = await GatewayDeliveryLog.open(path);
      await log.close();
      expect(await modeOf(path)).toBe(0o600);
    }
  });
});

describe('finding 11: the local data folder is owner-only', () => {
  let temp: Awaited<ReturnType<typeof createTempDataDir>>;
  let dataDir: string;
  let stack: LocalStack;

  beforeAll(async () => {
    temp = await createTempDataDir();
    dataDir = join(temp.path, '.madad');
    // A data folder left world-readable by an older release, with its gateway log.
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await worldReadable(join(dataDir, 'sms-gateway.ndjson'));
    stack = await startLocalStack({ dataDir, port: 0, seed: false, pollerWaitTimeSeconds: 1, log: () => {} });
  });

  afterAll(async () => {
    await stack.stop();
    await temp.remove();
  });

  it('makes the data folder and the emulators\u2019 folders 0700 and the gateway log 0600', async () => {
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(join(dataDir, 'dynamodb'))).toBe(0o700);
    expect(await modeOf(join(dataDir, 'sqs'))).toBe(0o700);
    expect(await modeOf(join(dataDir, 'sms-gateway.ndjson'))).toBe(0o600);
  });
});
