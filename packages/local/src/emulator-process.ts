import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions, RunningEmulator } from './emulators.js';

/** The emulators that can run in a process of their own (s3rver stays in the stack: it feeds upload events). */
export type EmulatorKind = 'dynamodb' | 'sqs';

export function isEmulatorKind(value: unknown): value is EmulatorKind {
  return value === 'dynamodb' || value === 'sqs';
}

/** What the child sends once it serves. */
export interface EmulatorProcessReady {
  readonly endpoint: string;
  readonly address: AddressInfo;
}

/** The file where a running emulator child records its pid, so a restart can wait for a killed stack's child. */
export function emulatorPidFile(dataDir: string, kind: EmulatorKind): string {
  return join(dataDir, `${kind}-emulator.pid`);
}

const CHILD = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));

/**
 * Starts dynalite or fauxqs in a child Node process, the same emulator on loopback as in-process.
 * Why: the stack is one Node process; during a surge the handlers, the SDK and the emulators all
 * compete for its one event loop while the second core idles. In a child of its own the database
 * (LevelDB, dynalite's request parsing) runs beside the handlers. The child exits when this process
 * goes away (even by SIGKILL), and a start first waits for a previous stack's child to be gone.
 */
export async function startEmulatorProcess(
  kind: EmulatorKind,
  options: EmulatorOptions & { readonly region?: string },
): Promise<RunningEmulator> {
  await waitForPreviousChild(emulatorPidFile(options.dataDir, kind));
  const child = fork(CHILD, [kind, options.dataDir, ...(options.region ? [options.region] : [])], {
    // tsx by its own path, so the child loads TypeScript whatever the working directory.
    // MADAD_CPU_PROF_DIR=<dir>: a V8 CPU profile of each emulator child (the stack's own: node --cpu-prof).
    execArgv: [
      '--import',
      import.meta.resolve('tsx'),
      '--disable-warning=ExperimentalWarning',
      ...(process.env.MADAD_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MADAD_CPU_PROF_DIR}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<EmulatorProcessReady>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the ${kind} emulator exited (code ${code}) before serving`)),
    );
    child.once('message', (message: EmulatorProcessReady | { error: string }) => {
      if ('error' in message) reject(new Error(`the ${kind} emulator did not start: ${message.error}`));
      else resolve(message);
    });
  });
  // The stack's own exit must not wait on the child's IPC channel.
  child.unref();
  child.channel?.unref();
  let stopping: Promise<void> | undefined;
  return {
    endpoint: ready.endpoint,
    address: ready.address,
    stop: () => {
      if (child.exitCode === null && !stopping) {
        // Held again until it has exited, so a stopping stack waits for the flush.
        child.ref();
        child.channel?.ref();
        child.send('stop');
      }
      stopping ??= exited;
      return stopping;
    },
  };
}

async function waitForPreviousChild(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!(pid > 0)) return;
  const deadline = Date.now() + 15_000;
  while (await isEmulatorChild(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`An emulator (pid ${pid}, ${pidFile}) of an earlier stack is still running`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function isEmulatorChild(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // The pid may have been reused by an unrelated process since; on Linux its command line tells.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined || cmdline.includes('emulator-child');
}
