import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';
import { registrationsById } from '../support/registrations.js';

const LIMIT = 10;
const FLOOD = 200;
let t: TestStack;

beforeAll(async () => {
  process.env.MADAD_MAX_MESSAGES_PER_PHONE_HOUR = String(LIMIT);
  // A reply whose send timed out on a loaded machine comes back after 2, 4, 8, 16 s, not minutes.
  process.env.MADAD_RETRY_BASE_SECONDS = '2';
  t = await startTestStack();
});

afterAll(async () => {
  await t.stop();
});

// Replies counted at the stack's SMS gateway: what reached the aggregator.
const replies = (phone: string) => listSmsGatewayDeliveries(t.stack.env, phone, 200);

describe('a phone sending hundreds of messages', () => {
  it('is rate-limited and flagged, answered at most once past its allowance, while other phones are answered', async () => {
    const flooder = '+923009990000';
    const others = Array.from({ length: 20 }, (_, i) => `+92300999${String(1000 + i)}`);
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < FLOOD; i++) {
      sends.push(t.sms({ from: flooder, text: i % 2 ? DEMO_CNIC : 'HELP', messageId: `flood-${i}` }));
      if (i % 10 === 0) {
        const other = others[i / 10];
        if (other) sends.push(t.sms({ from: other, text: DEMO_CNIC, messageId: `calm-${i / 10}` }));
      }
    }
    await Promise.all(sends);

    for (const phone of others)
      await waitFor(async () => ((await replies(phone)).length === 1 ? true : undefined));

    const ids = Array.from({ length: FLOOD }, (_, i) => `flood-${i}`);
    const recorded = await waitFor(async () => {
      const found = await registrationsById([flooder], ids);
      return found.length === FLOOD ? found : undefined;
    }, 60_000);
    const limited = recorded.filter(
      (r) => (r.decision as { status?: string } | undefined)?.status === 'RATE_LIMITED',
    );
    expect(limited).toHaveLength(FLOOD - LIMIT);
    // LIMIT answers, plus one notice that the phone is rate-limited; the rest are recorded, not answered.
    // Counted once every queue is empty (a reply retried after its backoff included).
    await waitForQuiet(t.stack, { timeoutMs: 180_000 });
    expect((await replies(flooder)).length).toBe(LIMIT + 1);
  }, 360_000);
});
