import { readFile } from 'node:fs/promises';

// USER_HZ: 100 on every Linux build Node ships for.
const CLOCK_TICKS = 100;

/** Resident memory of a process now (Linux), in MB. */
export async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

/** CPU time (user + system) a process has used so far (Linux), in seconds. */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
}

/** What one phase of the bench used: wall time, peak memory and CPU of the stack and of this process. */
export interface PhaseUsage {
  readonly seconds: number;
  /** Peak resident memory of the stack's process during the phase (sampled every 100 ms). */
  readonly stackPeakRssMb: number | undefined;
  /** Peak resident memory of the driving process (this one: load generator, importer). */
  readonly driverPeakRssMb: number;
  readonly stackCpuSeconds: number | undefined;
  readonly driverCpuSeconds: number;
}

/** Starts measuring a phase against the stack's process `pid`; `stop()` returns the usage. */
export async function startPhase(pid: number): Promise<{ stop(): Promise<PhaseUsage> }> {
  const started = performance.now();
  const cpuBefore = await cpuSeconds(pid);
  const ownCpu = process.cpuUsage();
  let stackPeak = (await rssMb(pid)) ?? 0;
  let driverPeak = process.memoryUsage.rss();
  const sample = async () => {
    stackPeak = Math.max(stackPeak, (await rssMb(pid)) ?? 0);
    driverPeak = Math.max(driverPeak, process.memoryUsage.rss());
  };
  const timer = setInterval(() => void sample(), 100);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = await cpuSeconds(pid);
      const own = process.cpuUsage(ownCpu);
      return {
        seconds,
        stackPeakRssMb: stackPeak || undefined,
        driverPeakRssMb: driverPeak / 2 ** 20,
        stackCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
        driverCpuSeconds: (own.user + own.system) / 1e6,
      };
    },
  };
}
