import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient, instrumentRuntime, loadRuntimeConfig, queues } from '@madad/adapters';
import { type SqsPoller, startHttpBridge, startLocalStack, startSqsPoller } from '@madad/local';
import { loadHandler } from '@madad/local/handlers';
import { createLambdaContext } from '@madad/local/lambda-context';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { counterForEnvironment } from '../environment-counter.js';
import { type CallTally, invocationLabel } from '../sdk-call-counter.js';

// The embedded stack in this process with every billable call counted: DynamoDB and SQS through the
// runtime's clients (`SdkCallCounter`), S3 through every S3 client's `send`, and each Lambda invocation
// (api, queue consumers, the import splitter) timed and labelled with its function. Used by
// counted-calls.ts; the stack's own bridge serves the bench's bookkeeping reads, uncounted by function.

interface S3TallyMutable {
  fn: string;
  operation: string;
  calls: number;
  /** Bytes sent (PutObject, UploadPart bodies) or received (GetObject's ContentLength). */
  bytes: number;
}
interface InvocationTallyMutable {
  fn: string;
  invocations: number;
  records: number;
  totalMs: number;
}
export interface CountedSnapshot {
  readonly calls: CallTally[];
  readonly s3: S3TallyMutable[];
  readonly lambda: InvocationTallyMutable[];
}

type Handler<E> = (event: E, context: Context) => Promise<unknown>;
/** Calls outside any invocation: the bench's own polling and bookkeeping, reported apart. */
export const DRIVER = 'driver';

const s3Tallies = new Map<string, S3TallyMutable>();
const invocations = new Map<string, InvocationTallyMutable>();

function countS3(): void {
  const send = S3Client.prototype.send as (...args: unknown[]) => Promise<unknown>;
  const counted = async function (this: S3Client, ...args: unknown[]) {
    const command = args[0] as { constructor: { name: string }; input?: { Body?: unknown } };
    const operation = command.constructor.name.replace(/Command$/, '');
    const fn = invocationLabel.getStore() ?? DRIVER;
    const key = `${fn}|${operation}`;
    const tally = s3Tallies.get(key) ?? { fn, operation, calls: 0, bytes: 0 };
    s3Tallies.set(key, tally);
    tally.calls += 1;
    const body = command.input?.Body;
    if (typeof body === 'string') tally.bytes += Buffer.byteLength(body);
    else if (body instanceof Uint8Array) tally.bytes += body.byteLength;
    const output = (await send.apply(this, args)) as { ContentLength?: number };
    if (operation === 'GetObject') tally.bytes += output.ContentLength ?? 0;
    return output;
  };
  S3Client.prototype.send = counted as typeof S3Client.prototype.send;
}

function timed<E>(fn: string, handler: Handler<E>): Handler<E> {
  return async (event, context) => {
    const started = performance.now();
    try {
      return await invocationLabel.run(fn, () => handler(event, context));
    } finally {
      const entry = invocations.get(fn) ?? { fn, invocations: 0, records: 0, totalMs: 0 };
      entry.invocations += 1;
      entry.records += (event as { Records?: unknown[] }).Records?.length ?? 1;
      entry.totalMs += performance.now() - started;
      invocations.set(fn, entry);
    }
  };
}

/** A counted stack: its API URL (timed), the bookkeeping URL, the splitter to invoke, and snapshots. */
export async function startCountedStack(dataDir: string, consumers: number) {
  countS3();
  const counter = counterForEnvironment();
  instrumentRuntime((runtime) => {
    counter.countDynamoDb(runtime.doc, DRIVER);
    counter.countSqs(runtime.sqs, DRIVER);
  });
  const stack = await startLocalStack({ dataDir, port: 0, pollers: false, seed: false, log: () => {} });
  const config = loadRuntimeConfig();
  const pollerSqs = createSqsClient(config);
  // Lambda's event source polls the queue for the function: its receives and deletes are billed.
  counter.countSqs(pollerSqs, 'event-source');
  const api = await startHttpBridge({
    handler: timed('api', await loadHandler<APIGatewayProxyEventV2>('api')),
    port: 0,
    functionName: 'api',
    region: stack.region,
    log: () => {},
  });
  const pollers: SqsPoller[] = [];
  for (const spec of Object.values(queues)) {
    pollers.push(
      await startSqsPoller({
        sqs: pollerSqs,
        queueUrl: config.queues[spec.id],
        handler: timed(spec.consumer, await loadHandler<SQSEvent>(spec.consumer)),
        functionName: spec.consumer,
        region: stack.region,
        batchSize: spec.batchSize,
        maxBatchingWindowSeconds: spec.maxBatchingWindowSeconds,
        concurrency: Math.min(spec.maxConcurrency, consumers),
        timeoutSeconds: spec.consumerTimeoutSeconds,
        waitTimeSeconds: 1,
      }),
    );
  }
  const splitter = timed('import-splitter', await loadHandler<unknown>('import-splitter'));
  const quiet = createSqsClient(config);
  return {
    apiUrl: api.url,
    bookkeepingUrl: stack.httpUrl,
    /** As EventBridge does for an object created under `uploads/`. */
    split: (bucket: string, key: string) =>
      splitter(
        {
          'detail-type': 'Object Created',
          source: 'aws.s3',
          detail: { bucket: { name: bucket }, object: { key } },
        },
        createLambdaContext({ functionName: 'import-splitter', timeoutSeconds: 300, region: stack.region }),
      ),
    /** Resolves once every queue has been empty (nothing visible or in flight) for two polls in a row. */
    settled: () => settled(quiet, Object.values(config.queues)),
    /** The counts since the last snapshot, then starts again from zero. */
    take(): CountedSnapshot {
      const snapshot = {
        calls: counter.snapshot(),
        s3: [...s3Tallies.values()],
        lambda: [...invocations.values()],
      };
      counter.reset();
      s3Tallies.clear();
      invocations.clear();
      return snapshot;
    },
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await api.stop();
      quiet.destroy();
      await stack.stop();
    },
  };
}

async function settled(sqs: SQSClient, urls: readonly string[]): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  let quietPolls = 0;
  while (Date.now() < deadline) {
    let pending = 0;
    for (const url of urls) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      pending +=
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    quietPolls = pending === 0 ? quietPolls + 1 : 0;
    if (quietPolls >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error('queues still busy after 30 minutes');
}
