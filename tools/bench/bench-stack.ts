import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, loadRuntimeConfig } from '@madad/adapters';

/** An embedded stack running in a child process, and a client of its registry table. */
export interface BenchStack {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly pepper: string;
  /** Peak resident memory of the stack's process so far (Linux), in MB. */
  peakRssMb(): Promise<number | undefined>;
  /** CPU time (user + system) the stack's process has used so far (Linux), in seconds. */
  cpuSeconds(): Promise<number | undefined>;
  stop(): Promise<void>;
}

// USER_HZ: 100 on every Linux build Node ships for.
const CLOCK_TICKS = 100;
const script = fileURLToPath(new URL('./import-bench-stack.ts', import.meta.url));

/** Starts a fresh stack on `dataDir` in a child process (tsx), with pollers off and no demo seed. */
export async function startBenchStack(dataDir: string): Promise<BenchStack> {
  // The child must start its own emulators, not follow endpoints this process may have been given.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MADAD_')));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await firstLine(child);
  const stackEnv = (JSON.parse(first) as { env: Record<string, string> }).env;
  const config = loadRuntimeConfig(stackEnv);
  const doc = createDocumentClient(config);
  return {
    doc,
    table: config.tables.registry,
    pepper: stackEnv.MADAD_CNIC_PEPPER ?? 'local-dev-pepper',
    peakRssMb: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : undefined;
    },
    cpuSeconds: async () => {
      // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks.
      const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
    },
    stop: async () => {
      doc.destroy();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

async function firstLine(child: ChildProcess): Promise<string> {
  if (!child.stdout) throw new Error('bench stack has no stdout');
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench stack exited with code ${code} before it was ready`);
  });
  // Only matters if it wins the race below; the normal exit at `stop()` must not become unhandled.
  exited.catch(() => undefined);
  const line = (async () => {
    for await (const text of lines) return text;
    throw new Error('bench stack closed its output before it was ready');
  })();
  return Promise.race([line, exited]);
}
