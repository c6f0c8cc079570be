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
});
