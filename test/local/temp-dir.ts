import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data folder per test file; `remove` is awaited in afterAll. */
export async function createTempDataDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'madad-local-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
