import { createWriteStream, fchmodSync, openSync, type WriteStream } from 'node:fs';
import { chmod, type FileHandle, mkdir, open } from 'node:fs/promises';

/**
 * Files that hold raw personal data (CNICs, names, phones: reject files, generated populations, the
 * local SMS gateway's log, audit keys) are readable by their owner only, and the local data folder is
 * closed to other users. `mode` on create is not enough: an existing file or folder keeps its old mode,
 * so each helper also sets it on what it opened.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `path` (and parents) if missing and makes it owner-only (0700). */
export async function makePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(path, PRIVATE_DIR_MODE);
}

/** A write stream that truncates or creates `path` as an owner-only file (0600). */
export function createPrivateWriteStream(path: string): WriteStream {
  const fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  fchmodSync(fd, PRIVATE_FILE_MODE);
  return createWriteStream(path, { fd });
}

/** Opens `path` for appending as an owner-only file (0600). */
export async function openPrivateAppend(path: string): Promise<FileHandle> {
  const file = await open(path, 'a', PRIVATE_FILE_MODE);
  await file.chmod(PRIVATE_FILE_MODE);
  return file;
}
