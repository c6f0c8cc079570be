import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./bench-child.ts', import.meta.url));

/** The instrumented embedded stack of `bench-child.ts`, in its own process. */
export interface BenchChild {
  readonly pid: number;
  /** The environment its handlers run with (endpoints, table and queue names, secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** The api function behind a timed HTTP bridge (the same handler as the stack's own bridge). */
  readonly apiUrl: string;
  call<T>(command: string, args?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly ready?: boolean;
  readonly env?: Record<string, string>;
  readonly apiUrl?: string;
}

/** Starts a fresh stack on `dataDir` (own emulators, pollers off, no demo seed) in a child process. */
export async function startBenchChild(dataDir: string): Promise<BenchChild> {
  // The child must start its own emulators, not follow endpoints this process may have been given.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MADAD_')));
  const child = fork(script, [dataDir], {
    env,
    // --expose-gc: the bench collects garbage between phases; fauxqs's SQLite warning is noise here.
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the stack process, to see where its time goes.
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      '--disable-warning=ExperimentalWarning',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    // Handler logs (Powertools writes JSON lines to stdout) are part of the work, not of the report.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<Reply>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`bench stack exited with code ${code} before it was ready`)),
    );
    child.on('message', (message: Reply) => {
      if (message.ready) {
        resolve(message);
        return;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter || message.id === undefined) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`bench stack: ${message.error}`));
      else waiter.resolve(message.result);
    });
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`bench stack exited (${code})`));
    pending.clear();
  });
  const first = await ready;
  return {
    pid: child.pid ?? 0,
    env: first.env ?? {},
    apiUrl: first.apiUrl ?? '',
    call: <T>(command: string, args?: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, command, args });
      }),
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
