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
}

const MB = 1024 * 1024;

/** Samples the resident set every `everyMs` until {@link MemoryWatch.stop}; `mark` closes a stage. */
export class MemoryWatch {
  private peak = 0;
  private cpu = process.cpuUsage();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 200) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** Samples now (the timer samples every `everyMs`). */
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** The stage's memory, then a new stage starts from the current resident set. */
  mark(): StageMemory {
    this.sample();
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
