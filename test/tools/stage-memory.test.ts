import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MemoryWatch } from '../../tools/bench/scale/stage-memory.js';

describe("the scale bench's memory watch", () => {
  it('counts memory held during a stage in its peak, even when released before the stage ends', () => {
    // Arrange
    const watch = new MemoryWatch(60_000);
    const before = watch.mark();

    // Act: 64 MB written (so resident), sampled, then dropped before the stage closes.
    let held: Buffer | undefined = Buffer.alloc(64 * 1024 * 1024, 1);
    watch.sample();
    held = undefined;
    const stage = watch.mark();
    watch.stop();

    // Assert
    expect(held).toBeUndefined();
    expect(stage.peakRssMb).toBeGreaterThanOrEqual(before.rssAfterGcMb + 60);
  });

  it.runIf(process.platform === 'linux')(
    'splits the resident set into anonymous memory and file pages',
    () => {
      // Arrange
      const watch = new MemoryWatch(60_000);

      // Act
      const stage = watch.mark();
      watch.stop();

      // Assert: the two parts add up to the resident set read at the same moment (within 5%).
      const parts = (stage.anonRssMb ?? 0) + (stage.fileRssMb ?? 0);
      expect(parts).toBeGreaterThan(0);
      expect(Math.abs(parts - stage.rssAfterGcMb) / stage.rssAfterGcMb).toBeLessThan(0.05);
    },
  );

  it.runIf(process.platform === 'linux')(
    "measures a watched child process's memory and CPU apart from its own",
    async () => {
      // Arrange: a child that holds 96 MB of written memory and spins for its CPU time, then says so.
      const child = spawn(
        process.execPath,
        [
          '-e',
          "globalThis.held = Buffer.alloc(96 * 1024 * 1024, 1); const end = Date.now() + 300; while (Date.now() < end); console.log('ready'); setInterval(() => {}, 1000);",
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        const watch = new MemoryWatch(60_000, { worker: child.pid as number });

        // Act
        await ready;
        const stage = watch.mark();
        watch.stop();

        // Assert: the child's 96 MB are its own, in its anonymous memory, not in this process's peak.
        const worker = stage.children?.worker;
        expect(worker?.peakRssMb).toBeGreaterThanOrEqual(96);
        expect(worker?.anonRssMb).toBeGreaterThanOrEqual(90);
        expect(worker?.cpuSeconds).toBeGreaterThan(0);
      } finally {
        child.kill();
      }
    },
  );
});
