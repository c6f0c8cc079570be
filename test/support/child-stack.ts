import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildStack {
  readonly process: ChildProcess;
  /** The stack's own pid (tsx runs it in a child of `process`). */
  readonly pid: number;
  readonly httpUrl: string;
  readonly env: Record<string, string>;
  readonly output: () => string;
}

/** Runs `npm start`'s entry point in a child process (so a test can SIGKILL it) and waits until it serves. */
export async function startChildStack(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildStack> {
  let output = '';
  const spawnedAt = new Date().toISOString();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/local/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, MADAD_DATA_DIR: dataDir, PORT: '0', POWERTOOLS_LOG_LEVEL: 'ERROR', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The stack exited early:\n${output}`);
    try {
      const state = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')) as {
        pid: number;
        httpUrl: string;
        env: Record<string, string>;
        startedAt: string;
      };
      if (state.startedAt >= spawnedAt) {
        const health = await fetch(`${state.httpUrl}/health`).catch(() => undefined);
        if (health?.ok) {
          return {
            process: child,
            pid: state.pid,
            httpUrl: state.httpUrl,
            env: state.env,
            output: () => output,
          };
        }
      }
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new Error(`The stack did not start in 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGKILL: no draining, no cleanup, as when a machine or container dies. */
export async function killChildStack(stack: ChildStack): Promise<void> {
  const exited = new Promise((resolve) => stack.process.once('exit', resolve));
  // Kill the stack itself; its tsx parent then exits on its own and reaps it (killing the parent too
  // would leave the stack a zombie that still looks alive).
  process.kill(stack.pid, 'SIGKILL');
  await exited;
}

export async function stopChildStack(stack: ChildStack): Promise<void> {
  if (stack.process.exitCode !== null) return;
  const exited = new Promise((resolve) => stack.process.once('exit', resolve));
  stack.process.kill('SIGTERM');
  await exited;
}
