import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubFunctionEnv } from '../support/env.js';
import { lambdaContext, loadEvent } from '../support/fixtures.js';

// The provider takes 200 messages a second from the deployment, shared by 2 senders: 100 each.
const RATE = 200;
const SENDERS = 2;

/** Each bulk request the aggregator got: when (on the fake clock) and how many messages. */
const requests: { at: number; count: number }[] = [];
const aggregator = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
  const { messages } = JSON.parse(String(init?.body)) as { messages: { clientReference: string }[] };
  requests.push({ at: Date.now(), count: messages.length });
  const results = messages.map(({ clientReference }) => ({
    clientReference,
    status: 200,
    id: clientReference,
  }));
  return new Response(JSON.stringify({ results }), { status: 200 });
});
type Handler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse>;
let handler: Handler;

/** An outbound event of `packs` records, each a pack of 500 notices (a 1,500-line batch export). */
function packsEvent(packs: number): SQSEvent {
  const event = loadEvent<SQSEvent>('sqs/outbound-batch.json');
  const [template] = event.Records;
  if (!template) throw new Error('fixture has no record');
  const reply = JSON.parse(template.body) as Record<string, unknown>;
  event.Records = Array.from(
    { length: packs },
    (_, p): SQSRecord => ({
      ...template,
      messageId: `msg-${p}`,
      receiptHandle: `handle-${p}`,
      body: JSON.stringify({
        replies: Array.from({ length: 500 }, (_, i) => ({ ...reply, id: `pay-P-${p}-${i}-SENT` })),
      }),
    }),
  );
  return event;
}

beforeAll(async () => {
  stubFunctionEnv(vi.stubEnv);
  vi.stubEnv('MADAD_SMS_PROVIDER_URL', 'http://127.0.0.1:9/_gateway/sms');
  vi.stubEnv('MADAD_SMS_PROVIDER_KEY', 'test-provider-key');
  vi.stubEnv('MADAD_SMS_SEND_RATE', String(RATE));
  vi.stubEnv('MADAD_SMS_SENDERS', String(SENDERS));
  vi.stubGlobal('fetch', aggregator);
  ({ handler } = (await import('../../functions/sms-sender/handler.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('sms-sender handler, throttled to the provider send rate', () => {
  it('hands 1,500 notices to the aggregator at no more than its share (100 a second) on a fake clock', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });

    const run = handler(packsEvent(3), lambdaContext);
    await vi.runAllTimersAsync();
    const result = await run;

    expect(result.batchItemFailures).toEqual([]);
    expect(requests.reduce((sum, r) => sum + r.count, 0)).toBe(1500);
    expect(Math.max(...requests.map((r) => r.count))).toBeLessThanOrEqual(100);
    const busiest = Math.max(
      ...requests.map((r) =>
        requests.filter((q) => q.at >= r.at && q.at < r.at + 1000).reduce((s, q) => s + q.count, 0),
      ),
    );
    expect(busiest).toBeLessThanOrEqual(RATE / SENDERS);
    // Paced, not slowed: 100 at once, then 100 a second, the last request at 14 s.
    expect(Math.max(...requests.map((r) => r.at))).toBe(14_000);
  });
});
