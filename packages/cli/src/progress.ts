/** Where a long command reports how far it is. */
export interface Progress {
  /** Cheap: only records the counters; rendering runs on a timer. */
  update(lines: number, bytes: number): void;
  /** Stops the timer and leaves the last state on screen (TTY). */
  finish(): void;
}

export interface ProgressOptions {
  readonly label: string;
  /** File size in bytes, for the percentage and ETA. */
  readonly totalBytes: number;
  readonly stream?: NodeJS.WriteStream;
  /** Redraw interval; default 200 ms on a terminal, 10 s as plain lines otherwise (CI logs, pipes). */
  readonly intervalMs?: number;
  /** What is counted; default `lines`. */
  readonly unit?: string;
  /** More to show after the counters, computed at each redraw (e.g. queue depths). */
  readonly detail?: () => string;
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

/** `1h 02m`, `3m 07s`, `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * A progress bar on stderr: percentage of the file's bytes read, lines read, lines per second and an
 * ETA from bytes read so far. On a terminal it redraws one line; elsewhere it prints a plain line now
 * and then, so logs stay readable.
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const started = performance.now();
  let lines = 0;
  let bytes = 0;

  const render = () => {
    const elapsed = (performance.now() - started) / 1000;
    const fraction = options.totalBytes > 0 ? Math.min(1, bytes / options.totalBytes) : 1;
    const rate = elapsed > 0 ? lines / elapsed : 0;
    const eta = bytes > 0 ? ((options.totalBytes - bytes) / bytes) * elapsed : Number.POSITIVE_INFINITY;
    const percent = `${(fraction * 100).toFixed(1)}%`;
    const unit = options.unit ?? 'lines';
    const detail = options.detail ? `  ${options.detail()}` : '';
    const stats = `${number(lines)} ${unit}  ${number(rate)} ${unit}/s  ETA ${formatDuration(eta)}${detail}`;
    if (!tty) return `${options.label}: ${percent} ${stats}\n`;
    const width = 24;
    const filled = Math.round(fraction * width);
    return `\r\x1b[K${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent.padStart(6)}  ${stats}`;
  };

  const timer = setInterval(() => stream.write(render()), options.intervalMs ?? (tty ? 200 : 10_000));
  timer.unref();
  return {
    update(l, b) {
      lines = l;
      bytes = b;
    },
    finish() {
      clearInterval(timer);
      if (tty) stream.write(`${render()}\n`);
    },
  };
}
