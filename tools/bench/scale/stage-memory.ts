/**
 * Memory of each scale stage in the size's process: the peak resident set while the stage ran
 * (sampled), and the JS heap and resident set right after a full collection at its end (`--expose-gc`),
 * so retained JavaScript objects can be told apart from native memory (LevelDB, buffers) and from
 * garbage the collector had not reached yet.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

export interface StageMemory {
  /** Highest resident set sampled while the stage ran, MB. */
  readonly peakRssMb: number;
  /** After a full GC at the stage's end: JS heap used, MB. */
  readonly heapAfterGcMb: number;
  /** After the same GC: the heap V8 keeps committed (used and free pages), MB. */
  readonly heapTotalMb: number;
  /** After the same GC: resident set, MB (what native code and the heap's free pages still hold). */
  readonly rssAfterGcMb: number;
  /** After the same GC: memory of Buffers and ArrayBuffers outside the heap, MB. */
  readonly externalMb: number;
  /**
   * After the same GC, on Linux: the resident set split into anonymous memory (heaps, the process's
   * own) and file pages (the Node binary, and LevelDB's memory-mapped table files under dynalite,
   * which grow with the database and which the kernel can drop), MB.
   */
  readonly anonRssMb?: number;
  readonly fileRssMb?: number;
  /** CPU time of the process (user and system, every thread) during the stage, s: less disturbed by load than its wall time. */
  readonly cpuSeconds?: number;
  /**
   * The emulators' child processes (dynalite, fauxqs) watched beside this one, by name: their own
   * memory, so that the handlers' process above is measured apart from the databases'.
   */
  readonly children?: Readonly<Record<string, ProcessMemory>>;
}

/** Another process's memory during a stage, read from /proc (Linux): no collection can be forced in it. */
export interface ProcessMemory {
  /** Highest resident set sampled while the stage ran, MB. */
  readonly peakRssMb: number;
  /** At the stage's end: resident set, anonymous memory and file pages, MB. */
  readonly rssMb: number;
  readonly anonRssMb: number;
  readonly fileRssMb: number;
  /** CPU time of the process during the stage (user and system), s. */
  readonly cpuSeconds: number;
}

const MB = 1024 * 1024;

/** Samples the resident set every `everyMs` until {@link MemoryWatch.stop}; `mark` closes a stage. */
export class MemoryWatch {
  private peak = 0;
  private cpu = process.cpuUsage();
  private readonly timer: NodeJS.Timeout;
  private readonly childPeaks = new Map<string, number>();
  private readonly childTicks = new Map<string, number>();

  /** `children`: other processes to watch (name to pid), e.g. the emulators' children. */
  constructor(
    everyMs = 200,
    private readonly children: Readonly<Record<string, number>> = {},
  ) {
    for (const [name, pid] of Object.entries(children)) this.childTicks.set(name, cpuTicks(pid) ?? 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** Samples now (the timer samples every `everyMs`). */
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    for (const [name, pid] of Object.entries(this.children)) {
      const rss = statusOf(pid)?.rssMb ?? 0;
      this.childPeaks.set(name, Math.max(this.childPeaks.get(name) ?? 0, rss));
    }
  }

  private markChildren(): Record<string, ProcessMemory> | undefined {
    const names = Object.keys(this.children);
    if (names.length === 0) return undefined;
    const out: Record<string, ProcessMemory> = {};
    for (const name of names) {
      const pid = this.children[name] as number;
      const now = statusOf(pid) ?? { rssMb: 0, anonRssMb: 0, fileRssMb: 0 };
      const ticks = cpuTicks(pid) ?? this.childTicks.get(name) ?? 0;
      out[name] = {
        peakRssMb: Math.max(this.childPeaks.get(name) ?? 0, now.rssMb),
        ...now,
        cpuSeconds: (ticks - (this.childTicks.get(name) ?? 0)) / CLOCK_TICKS,
      };
      this.childTicks.set(name, ticks);
      this.childPeaks.set(name, now.rssMb);
    }
    return out;
  }

  /** The stage's memory, then a new stage starts from the current resident set. */
  mark(): StageMemory {
    this.sample();
    const children = this.markChildren();
    const peakRssMb = this.peak / MB;
    const cpu = process.cpuUsage(this.cpu);
    this.cpu = process.cpuUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const usage = process.memoryUsage();
    this.peak = usage.rss;
    return {
      peakRssMb,
      heapAfterGcMb: (gc ? getHeapStatistics().used_heap_size : usage.heapUsed) / MB,
      heapTotalMb: usage.heapTotal / MB,
      rssAfterGcMb: usage.rss / MB,
      externalMb: usage.external / MB,
      ...residentSplit(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      ...(children ? { children } : {}),
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** `RssAnon` and `RssFile` of /proc/self/status (Linux), MB; nothing elsewhere. */
function residentSplit(): { anonRssMb?: number; fileRssMb?: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const anon = kb('RssAnon');
    const file = kb('RssFile');
    return Number.isFinite(anon) && Number.isFinite(file)
      ? { anonRssMb: anon / 1024, fileRssMb: file / 1024 }
      : {};
  } catch {
    return {};
  }
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in hundredths of a second. */
const CLOCK_TICKS = 100;

/** VmRSS, RssAnon and RssFile of /proc/<pid>/status, MB; undefined when the process is gone or not Linux. */
function statusOf(pid: number): { rssMb: number; anonRssMb: number; fileRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    const rssMb = kb('VmRSS');
    return Number.isFinite(rssMb) ? { rssMb, anonRssMb: kb('RssAnon'), fileRssMb: kb('RssFile') } : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15), in ticks; undefined when unreadable. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}
