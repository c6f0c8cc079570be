import { SQSClient } from '@aws-sdk/client-sqs';
import { DEMO_CNIC, listSmsGatewayDeliveries } from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveQueue } from '../../packages/cli/src/commands/redrive.js';
import { queueDepth, startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';

let t: TestStack;
let sqs: SQSClient;

beforeAll(async () => {
  // Backoff from 1 s: 1, 2, 4, 8 s, so the five attempts end in the DLQ within about 20 s.
  process.env.MADAD_RETRY_BASE_SECONDS = '1';
  process.env.MADAD_SMS_FAIL_RATE = '1';
  t = await startTestStack({ visibilityTimeoutSeconds: 1 });
  sqs = new SQSClient({
    endpoint: t.stack.sqsEndpoint,
    region: t.stack.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  process.env.MADAD_SMS_FAIL_RATE = '0';
  sqs.destroy();
  await t.stop();
});

// Counted where a reply ends up: the stack's SMS gateway, which keeps the aggregator's contract.
const delivered = (phone: string) => listSmsGatewayDeliveries(t.stack.env, phone);

describe('the SMS provider failing', () => {
  it('retries replies with backoff, parks them in the DLQ after the last attempt, and redrive delivers them once', async () => {
    const phones = ['+923005550101', '+923005550102', '+923005550103'];
    for (const [i, from] of phones.entries()) {
      expect(
        (await t.sms({ from, text: i === 0 ? DEMO_CNIC : 'HELP', messageId: `provider-${i}` })).status,
      ).toBe(200);
    }
    const outbound = t.stack.env.MADAD_QUEUE_OUTBOUND_URL ?? '';
    const dlq = outbound.replace(/outbound$/, 'outbound-dlq');
    const started = Date.now();
    await waitFor(
      async () => ((await queueDepth(sqs, dlq)) >= phones.length ? true : undefined),
      100_000,
      'replies in the DLQ',
    );
    // Backoff, not a tight loop: five attempts at 1 s visibility alone would take about 5 s.
    expect(Date.now() - started).toBeGreaterThan(10_000);
    for (const phone of phones) expect(await delivered(phone)).toEqual([]);

    process.env.MADAD_SMS_FAIL_RATE = '0';
    const result = await redriveQueue(sqs, outbound);
    expect(result.moved).toBeGreaterThanOrEqual(phones.length);

    for (const phone of phones) {
      const sent = await waitFor(async () => {
        const items = await delivered(phone);
        return items.length > 0 ? items : undefined;
      });
      expect(sent).toMatchObject([
        { clientReference: expect.stringMatching(/^reply-provider-\d-[0-9A-Z]{8}$/) },
      ]);
    }
    // A copy still failing when the provider came back can land in the DLQ after the redrive; sending
    // it again changes nothing: the gateway accepts a reply's id once, so each phone got one reply.
    await redriveQueue(sqs, outbound);
    await waitForQuiet(t.stack);
    for (const phone of phones) expect(await delivered(phone)).toHaveLength(1);
  }, 200_000);
});
