import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The embedded stack's audit ledger key and anchors file, both in the data folder and outside the
 * DynamoDB emulator's files: `audit.key` (random, generated on first start, owner-only) and
 * `audit-anchors.ndjson` (append-only checkpoints of the ledger's head). A restored or edited table
 * leaves both as they were, which is what lets `madad audit verify` see the change.
 */
export async function localAuditEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    MADAD_AUDIT_KEY: await readOrCreateKey(join(dataDir, 'audit.key')),
    MADAD_AUDIT_ANCHORS_FILE: join(dataDir, 'audit-anchors.ndjson'),
  };
}

async function readOrCreateKey(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  try {
    await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(path, 'utf8')).trim();
  }
}
