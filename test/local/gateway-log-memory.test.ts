import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GatewayDeliveryLog } from '../../packages/local/src/sms-gateway-log.js';
import { createTempDataDir } from './temp-dir.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The JS heap used after full collections, bytes. */
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** `count` payment notices accepted, 100 at a time (the sender's bulk request), to 1 phone in 2. */
async function acceptNotices(log: GatewayDeliveryLog, from: number, count: number): Promise<void> {
  for (let at = from; at < from + count; at += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, from + count - at) }, (_, i) =>
        log.accept({
          to: `+92300${String((at + i) % (count / 2)).padStart(7, '0')}`,
          text: `Madad: Aap ki raqam Rs 6,000 bhej di gayi hai. Hawala PAY-${at + i}-7F3A9C. Status ke liye STATUS 35202-1234567-1 likh kar 8171 par bhejein.`,
          clientReference: `notice-c3f1a2b4-PAID-household-${String(at + i).padStart(8, '0')}`,
        }),
      ),
    );
}

describe("the local SMS gateway's delivery log in memory", () => {
  it('keeps under 320 bytes a message in the heap as the messages accepted grow tenfold', async () => {
    // Arrange: a log that has taken 2,000 messages.
    const dir = await createTempDataDir();
    const log = await GatewayDeliveryLog.open(`${dir.path}/sms-gateway.ndjson`);
    try {
      await acceptNotices(log, 0, 2_000);
      const before = heapAfterGc();

      // Act: 18,000 more (20,000 in all, about the notices of a 30,000-household scale run).
      await acceptNotices(log, 2_000, 18_000);
      const after = heapAfterGc();

      // Assert: the texts, ids and times stay in the file; memory holds what de-duplication and the
      // listing need (the session-6 index held about 713 bytes a message).
      expect((after - before) / 18_000).toBeLessThan(320);
      expect(await log.list(undefined, 1)).toHaveLength(1);
    } finally {
      await log.close();
      await dir.remove();
    }
  }, 120_000);
});
