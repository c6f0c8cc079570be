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
import { queueDepth, startTestStack, type TestStack, waitFor, waitForQuiet } from '../support/local-stack.js';
import { registrationsById } from '../support/registrations.js';

let dynamodb: RunningEmulator;
let proxy: FlakyProxy;
let t: TestStack;
let dir: string;
/** The stack's log: the queue pollers say when a consumer's batch failed, and how many messages. */
const log: string[] = [];
/** Registrations the reconciler failed to handle so far (a message counts once per failed attempt). */
const reconcilerFailures = () =>
  log
    .filter((line) => line.startsWith('[reconciler]'))
    .map((line) => /batch of (\d+) failed|(\d+) failed \(/.exec(line))
    .reduce((sum, match) => sum + Number(match?.[1] ?? match?.[2] ?? 0), 0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'madad-outage-'));
  dynamodb = await startDynamoDbEmulator({ dataDir: dir });
  proxy = new FlakyProxy(dynamodb.address.port);
  await proxy.start();
  // The stack reaches DynamoDB only through the proxy, which the test can cut.
  process.env.MADAD_DYNAMODB_ENDPOINT = proxy.url;
  // A failed message comes back after the visibility timeout (10 s) or its backoff from 2 s (2, 4, 8, 16 s),
  // so it has five receives, about 30 s or more, before it could reach the DLQ; the outage below ends once
  // every message failed about once. 10 s also outlasts a batch on a loaded machine after the outage.
  process.env.MADAD_RETRY_BASE_SECONDS = '2';
  t = await startTestStack({ visibilityTimeoutSeconds: 10, log: (line) => log.push(line) });
});

afterAll(async () => {
  await t.stop();
  await proxy.stop().catch(() => undefined);
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
    // Consumers fail their batches meanwhile; the messages wait in the queue. The database comes back once
    // the reconciler has failed as many registrations as were sent and a connection was refused.
    await waitFor(
      async () => (reconcilerFailures() >= ids.length && proxy.refused > 0 ? true : undefined),
      60_000,
      'the reconciler to fail every registration once during the outage',
    );
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
    await waitForQuiet(t.stack);
    expect((await delivered()).filter((n) => n !== 1)).toEqual([]);
  }, 120_000);
});
