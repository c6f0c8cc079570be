import {
  createDocumentClient,
  createSqsClient,
  instrumentRuntime,
  loadRuntimeConfig,
  type QueueId,
  queues,
} from '@madad/adapters';
import { type SqsPoller, startHttpBridge, startLocalStack, startSqsPoller } from '@madad/local';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { CallCapture, replayCalls } from './db-replay.js';
import { counterForEnvironment } from './environment-counter.js';
import { invocationLabel } from './sdk-call-counter.js';

// The embedded stack in a process of its own (as `npm start` runs beside the CLI), instrumented: every
// AWS SDK call the handlers make is counted, handler invocations are timed, queue consumers start and
// stop on request, and DynamoDB calls can be captured and replayed raw. Driven over the IPC channel by
// `bench-child-client.ts`; not a command of its own.

type Handler<E> = (event: E, context: Context) => Promise<unknown>;
interface Invocations {
  count: number;
  records: number;
  totalMs: number;
  billedMs: number;
  maxMs: number;
}

const dataDir = process.argv[2];
if (!dataDir || !process.send) throw new Error('bench-child.ts runs under bench-child-client.ts');
const send = (message: unknown) => process.send?.(message);
const repoRoot = new URL('../../', import.meta.url);

const counter = counterForEnvironment();
instrumentRuntime((runtime) => {
  counter.countDynamoDb(runtime.doc, 'api');
  counter.countSqs(runtime.sqs, 'api');
});

const invocations = new Map<string, Invocations>();
function timed<E>(fn: string, handler: Handler<E>): Handler<E> {
  return async (event, context) => {
    const started = performance.now();
    try {
      return await invocationLabel.run(fn, () => handler(event, context));
    } finally {
      const ms = performance.now() - started;
      const entry = invocations.get(fn) ?? { count: 0, records: 0, totalMs: 0, billedMs: 0, maxMs: 0 };
      entry.count += 1;
      entry.records += (event as { Records?: unknown[] }).Records?.length ?? 1;
      entry.totalMs += ms;
      entry.billedMs += Math.ceil(ms);
      entry.maxMs = Math.max(entry.maxMs, ms);
      invocations.set(fn, entry);
    }
  };
}

async function loadHandler<E>(name: string): Promise<Handler<E>> {
  const module: { handler?: Handler<E> } = await import(
    new URL(`functions/${name}/handler.ts`, repoRoot).href
  );
  if (typeof module.handler !== 'function') throw new Error(`functions/${name}/handler.ts has no handler`);
  return module.handler;
}

const failures: string[] = [];
const log = (line: string) => {
  // Whole batches that failed, records that failed, receive or delete errors; not "0 failed".
  if (/batch of \d+ failed|[1-9]\d* failed|(receive|delete) failed/.test(line)) failures.push(line);
};
const stack = await startLocalStack({ dataDir, port: 0, pollers: false, seed: false, log });
const config = loadRuntimeConfig();
const pollerSqs = createSqsClient(config);
counter.countSqs(pollerSqs, 'event-source');
const replayClient = createDocumentClient(config);
// The same handler as the stack's own bridge, timed: Lambda bills the api function by duration.
const api = await startHttpBridge({
  handler: timed('api', await loadHandler<APIGatewayProxyEventV2>('api')),
  port: 0,
  functionName: 'api',
  region: stack.region,
  log,
});

let pollers: SqsPoller[] = [];
const capture = new CallCapture();
let captured: ReturnType<CallCapture['take']> = [];

const commands: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {
  async startPollers(args) {
    const wanted = (args.queues as QueueId[] | undefined) ?? (Object.keys(queues) as QueueId[]);
    const startedAt = Date.now();
    for (const id of wanted) {
      const spec = queues[id];
      pollers.push(
        await startSqsPoller({
          sqs: pollerSqs,
          queueUrl: config.queues[id],
          handler: timed(spec.consumer, await loadHandler<SQSEvent>(spec.consumer)),
          functionName: spec.consumer,
          region: stack.region,
          batchSize: spec.batchSize,
          maxBatchingWindowSeconds: spec.maxBatchingWindowSeconds,
          concurrency: Math.min(spec.maxConcurrency, Number(args.concurrency ?? 4)),
          timeoutSeconds: spec.consumerTimeoutSeconds,
          waitTimeSeconds: 1,
          log,
        }),
      );
    }
    return { startedAt };
  },
  async stopPollers() {
    await Promise.all(pollers.map((poller) => poller.stop()));
    pollers = [];
    return {};
  },
  async counters(args) {
    const result = {
      tallies: counter.snapshot(),
      invocations: Object.fromEntries(invocations),
      failures: failures.slice(-5),
      failureCount: failures.length,
    };
    if (args.reset) {
      counter.reset();
      invocations.clear();
      failures.length = 0;
    }
    return result;
  },
  /** Collects garbage before a phase, so its peak memory is its own (the child runs with --expose-gc). */
  async gc() {
    (globalThis as { gc?: () => void }).gc?.();
    return { heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20 };
  },
  async capture(args) {
    if (args.on) {
      capture.take();
      captured = [];
      counter.recorder = (call) => capture.record(call);
    } else {
      counter.recorder = undefined;
      captured = capture.take();
    }
    return { captured: captured.length };
  },
  async replay(args) {
    const which = args.which === 'reads' ? 'reads' : 'writes';
    return replayCalls(replayClient, captured, which, Number(args.concurrency ?? 1));
  },
};

process.on('message', (message: { id: number; command: string; args?: Record<string, unknown> }) => {
  const run = commands[message.command];
  if (!run) {
    send({ id: message.id, error: `unknown command ${message.command}` });
    return;
  }
  run(message.args ?? {}).then(
    (result) => send({ id: message.id, result }),
    (error: unknown) => send({ id: message.id, error: error instanceof Error ? error.stack : String(error) }),
  );
});

const shutdown = () => {
  Promise.all(pollers.map((poller) => poller.stop()))
    .then(() => api.stop())
    .then(() => stack.stop())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown);
send({ ready: true, env: stack.env, apiUrl: api.url, httpUrl: stack.httpUrl });
