import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** What a running `npm start` publishes in `<dataDir>/stack.json` so the CLI can reach it. */
export interface StackState {
  readonly pid: number;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly httpUrl: string;
  readonly region: string;
  /** The environment the handlers run with: table names, queue URLs, endpoints, stage, secrets. */
  readonly env: Readonly<Record<string, string>>;
  /** ISO 8601. */
  readonly startedAt: string;
}

/** The local data folder: `MADAD_DATA_DIR`, or `.madad` under the working directory. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return resolve(cwd, env.MADAD_DATA_DIR || '.madad');
}

/** Path of the state file inside a data folder. */
export function stackStatePath(dataDir: string): string {
  return join(dataDir, 'stack.json');
}

/** Publishes the running stack; readable by the owner only, since it carries the local secrets. */
export async function writeStackState(dataDir: string, state: StackState): Promise<void> {
  // Write then rename, so a reader never sees half a file.
  const path = stackStatePath(dataDir);
  await writeFile(`${path}.${process.pid}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.${process.pid}.tmp`, path);
}

/** Removes the state file if it still describes the process `pid` (a newer stack may own it). */
export async function removeStackState(dataDir: string, pid: number = process.pid): Promise<void> {
  const state = await readStackState(dataDir);
  if (state?.pid === pid) await rm(stackStatePath(dataDir), { force: true });
}

/**
 * The stack running on this data folder, or `undefined` when there is none: no state file, an
 * unreadable one, or one left behind by a process that is gone (a crash or `kill -9`).
 */
export async function findRunningStack(dataDir: string): Promise<StackState | undefined> {
  const state = await readStackState(dataDir);
  return state && isProcessAlive(state.pid) ? state : undefined;
}

async function readStackState(dataDir: string): Promise<StackState | undefined> {
  let text: string;
  try {
    text = await readFile(stackStatePath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StackState>;
    return typeof parsed.pid === 'number' && typeof parsed.sqsEndpoint === 'string'
      ? (parsed as StackState)
      : undefined;
  } catch {
    // Not JSON (edited by hand?): treat as no stack rather than block every start.
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A killed process nobody has reaped yet (a zombie) still answers signal 0, but is gone.
    return !isZombie(pid);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // No /proc (not Linux): trust signal 0.
    return false;
  }
}
