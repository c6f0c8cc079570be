import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DEMO_CNIC,
  listSmsGatewayDeliveries,
  type RunningEmulator,
  startDynamoDbEmulator,
} from '@madad/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlakyProxy } from '../support/flaky-proxy.js';
import { queueDepth, startTestStack, type TestStack, waitFor } from '../support/local-stack.js';
import { registrationsById } from '../support/registrations.js';

let dynamodb: RunningEmulator;
let proxy: FlakyProxy;
let t: TestStack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madad-outage-'));
  dynamodb = await startDynamoDbEmulator({ dataDir: dir });
  proxy = new FlakyProxy(dynamodb.address.port);
  await proxy.start();
  // The stack reaches DynamoDB only through the proxy, which the test can cut.
  process.env.MADAD_DYNAMODB_ENDPOINT = proxy.url;
  // Retries back off from 2 s (2, 4, 8, 16 s: 30 s before a message could reach the DLQ), while the
  // outage below lasts 8 s. The visibility timeout must outlast a failing attempt for the backoff to apply.
  process.env.MADAD_RETRY_BASE_SECONDS = '2';
  t = await startTestStack({ visibilityTimeoutSeconds: 3 });
});

afterAll(async () => {
  await t.stop();
  await proxy.cut().catch(() => undefined);
  await dynamodb.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the database out of reach for a while', () => {
  it('keeps accepting SMS, then drains the backlog with no duplicate and nothing in the DLQ', async () => {
    await proxy.cut();
    const ids = Array.from({ length: 60 }, (_, i) => `outage-${i}`);
    const phones = ids.map((_, i) => `+92302${String(1000000 + i)}`);
    for (const [i, messageId] of ids.entries()) {
      const sent = await t.sms({
        from: `+92302${String(1000000 + i)}`,
        text: i % 2 ? DEMO_CNIC : 'HELP',
        messageId,
      });
      expect(sent.status).toBe(200);
    }
    // Consumers fail their batches meanwhile; the messages wait in the queue with growing backoff.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    await proxy.restore();

    await waitFor(
      async () => {
        const found = await registrationsById(phones, ids);
        return found.length === ids.length ? found : undefined;
      },
      60_000,
      'every registration after the outage',
    );
    const sqs = new SQSClient({
      endpoint: t.stack.sqsEndpoint,
      region: t.stack.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const registrations = t.stack.env.MADAD_QUEUE_REGISTRATIONS_URL ?? '';
    await waitFor(
      async () => ((await queueDepth(sqs, registrations)) === 0 ? true : undefined),
      30_000,
      'a drained queue',
    );
    expect(await queueDepth(sqs, registrations.replace(/registrations$/, 'registrations-dlq'))).toBe(0);
    sqs.destroy();

    // One reply each, counted at the SMS gateway: what reached the aggregator, whatever was retried.
    const delivered = () =>
      Promise.all(
        ids.map(
          async (_, i) =>
            (await listSmsGatewayDeliveries(t.stack.env, `+92302${String(1000000 + i)}`)).length,
        ),
      );
    await waitFor(
      async () => ((await delivered()).every((n) => n > 0) ? true : undefined),
      30_000,
      'a reply to every phone',
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await delivered()).filter((n) => n !== 1)).toEqual([]);
  }, 120_000);
});
