import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../support/fixtures.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { registrationsById } from '../support/registrations.js';

const ALLOWANCE = 10;
const REPETITIONS = 20;
/** Batches of one phone's messages handled at once: small ones too, that alone look like a calm phone. */
const BATCH_SIZES = [1, 2, 3, 3, 4, 6];
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let t: TestStack;
let handler: Handler;

beforeAll(async () => {
  process.env.MADAD_MAX_MESSAGES_PER_PHONE_HOUR = String(ALLOWANCE);
  t = await startTestStack({ seed: false });
  // Imported once the stack has set the environment: the handler binds its clients at load.
  ({ handler } = (await import('../../functions/reconciler/handler.js')) as unknown as { handler: Handler });
}, 60_000);

afterAll(async () => {
  await t.stop();
});

function sqsRecord(phone: string, messageId: string, receivedAt: string): SQSRecord {
  const body = {
    from: phone,
    to: '8171',
    text: 'HELP',
    messageId,
    receivedAt,
    channel: 'sms',
    acceptedAt: receivedAt,
  };
  return {
    messageId: `sqs-${messageId}`,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.parse(receivedAt)),
      SenderId: 'AROAEXAMPLE:madad-test-api',
      ApproximateFirstReceiveTimestamp: String(Date.parse(receivedAt)),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-south-1:123456789012:madad-test-registrations',
    awsRegion: 'ap-south-1',
  };
}

/** Handles every batch of `phone` at once through the reconciler's handler; returns its message ids. */
async function floodConcurrently(phone: string, sizes: readonly number[]): Promise<string[]> {
  const receivedAt = new Date().toISOString();
  let n = 0;
  const batches = sizes.map((size) =>
    Array.from({ length: size }, () => {
      n += 1;
      return sqsRecord(phone, `${phone.slice(-4)}-m${String(n).padStart(3, '0')}`, receivedAt);
    }),
  );
  const results = await Promise.all(batches.map((Records) => handler({ Records }, lambdaContext)));
  for (const result of results) expect(result.batchItemFailures).toEqual([]);
  return batches.flat().map((r) => r.messageId.slice('sqs-'.length));
}

async function answeredOf(phone: string, ids: readonly string[]): Promise<number> {
  const recorded = await registrationsById([phone], [...ids]);
  expect(recorded).toHaveLength(ids.length);
  return recorded.filter((r) => (r.decision as { status?: string } | undefined)?.status !== 'RATE_LIMITED')
    .length;
}

describe('the per-phone flood allowance under concurrent reconciler batches', () => {
  it('answers exactly the allowance of a phone whose messages arrive in concurrent batches, every time', async () => {
    const total = BATCH_SIZES.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(ALLOWANCE);
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const phone = `+92301${String(5550000 + rep)}`;
      const ids = await floodConcurrently(phone, BATCH_SIZES);
      expect(await answeredOf(phone, ids), `repetition ${rep}`).toBe(ALLOWANCE);
    }
  }, 180_000);

  it('answers every message of a phone below its allowance, however its batches interleave', async () => {
    for (let rep = 0; rep < 5; rep++) {
      const phone = `+92302${String(5550000 + rep)}`;
      const ids = await floodConcurrently(phone, [2, 3, 1, 3]);
      expect(await answeredOf(phone, ids), `repetition ${rep}`).toBe(9);
    }
  }, 60_000);
});
