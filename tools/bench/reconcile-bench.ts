import type { SQSClient } from '@aws-sdk/client-sqs';
import { type QueueDepth, type QueueId, queues, readQueueDepths } from '@madad/adapters';
import type { BenchChild } from './bench-child-client.js';
import type { ReplayResult } from './db-replay.js';
import type { ChildCounters } from './intake-bench.js';
import { type PhaseUsage, startPhase } from './phase-meter.js';
import { type UnitCosts, unitCosts } from './unit-costs.js';

export interface ReconcileResult {
  readonly label: string;
  readonly registrations: number;
  /** From the consumers' start to the last decision recorded (and its reply queued). */
  readonly decideSeconds: number;
  /** Until the last reply was handed to the provider. */
  readonly endToEndSeconds: number;
  readonly decidedPerSecond: number;
  readonly answeredPerSecond: number;
  /** The same DynamoDB calls replayed straight to the database, at the replay concurrency. */
  readonly replay: {
    readonly concurrency: number;
    readonly writes: ReplayResult;
    readonly reads: ReplayResult;
  };
  readonly replayUsage: { readonly writes: PhaseUsage; readonly reads: PhaseUsage };
  /** End-to-end time over the database's time for the same writes, minus 1 (target: at most 0.30). */
  readonly overheadVsWrites: number;
  /** The same over the database's time for the same writes and reads. */
  readonly overheadVsDatabase: number;
  /** The stack's CPU seconds end to end over its CPU seconds for the replayed writes and reads, minus 1. */
  readonly cpuOverheadVsDatabase: number | undefined;
  readonly costs: UnitCosts;
  readonly usage: PhaseUsage;
  /** The stack's live heap after a full collection at the start of the phase (a leak would grow it). */
  readonly stackHeapMbAtStart: number;
  readonly failures: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the queues are empty (nothing visible or in flight) on two polls in a row. */
export async function waitUntilDrained(
  sqs: SQSClient,
  urls: Readonly<Record<QueueId, string>>,
  names: readonly QueueId[],
  timeoutMs: number,
): Promise<Record<string, QueueDepth>> {
  const deadline = Date.now() + timeoutMs;
  let empty = 0;
  for (;;) {
    const depths = await readQueueDepths(sqs, urls);
    const busy = names.some((name) => (depths[name]?.visible ?? 0) + (depths[name]?.inFlight ?? 0) > 0);
    empty = busy ? 0 : empty + 1;
    if (empty >= 2) return depths;
    if (Date.now() > deadline)
      throw new Error(`queues ${names.join(', ')} not drained in ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

const lastAt = (counters: ChildCounters, fn: string) =>
  counters.tallies.filter((t) => t.fn === fn).reduce((last, t) => Math.max(last, t.lastAt), 0);

/**
 * Reconciliation of a pre-filled registrations queue: the consumers (reconciler and sms-sender) start,
 * and the clock runs until both queues are empty. Every SDK call is counted and every DynamoDB call
 * captured; then the captured calls are replayed raw at `replayConcurrency` (the reconciler's records
 * in flight: consumers x batch size) as the reference for the database's share of the work.
 */
export async function benchReconcile(
  child: BenchChild,
  sqs: SQSClient,
  urls: Readonly<Record<QueueId, string>>,
  options: { label: string; expected: number; pollerConcurrency: number; log: (line: string) => void },
): Promise<ReconcileResult> {
  const replayConcurrency = options.pollerConcurrency * queues.registrations.batchSize;
  await child.call('counters', { reset: true });
  await child.call('capture', { on: true });
  const { heapUsedMb } = await child.call<{ heapUsedMb: number }>('gc');
  const meter = await startPhase(child.pid);
  const { startedAt } = await child.call<{ startedAt: number }>('startPollers', {
    queues: ['registrations', 'outbound'],
    concurrency: options.pollerConcurrency,
  });
  const depths = await waitUntilDrained(sqs, urls, ['registrations', 'outbound'], 20 * 60_000);
  const usage = await meter.stop();
  const counters = await child.call<ChildCounters>('counters', { reset: true });
  await child.call('stopPollers');
  await child.call('capture', { on: false });
  const dead = (depths.registrations?.deadLetters ?? 0) + (depths.outbound?.deadLetters ?? 0);
  if (dead > 0) throw new Error(`${options.label}: ${dead} messages in dead-letter queues`);

  const recorded = counters.tallies
    // An SMS's record is in its phone's partition (`PHONE/MSG`), a web registration's in its own.
    .filter(
      (t) =>
        t.fn === 'reconciler' &&
        t.operation === 'PutItem' &&
        (t.kind === 'PHONE/MSG' || t.kind === 'MSG/REG'),
    )
    .reduce((sum, t) => sum + t.calls - t.errors, 0);
  if (recorded !== options.expected) {
    throw new Error(`${options.label}: ${recorded} registrations recorded, ${options.expected} expected`);
  }
  const decideSeconds = (lastAt(counters, 'reconciler') - startedAt) / 1000;
  const endToEndSeconds =
    (Math.max(lastAt(counters, 'reconciler'), lastAt(counters, 'sms-sender')) - startedAt) / 1000;
  options.log(
    `${options.label}: ${(recorded / endToEndSeconds).toFixed(0)} registrations/s decided and answered`,
  );

  const replayed = async (which: 'writes' | 'reads') => {
    const replayMeter = await startPhase(child.pid);
    const result = await child.call<ReplayResult>('replay', { which, concurrency: replayConcurrency });
    return { result, usage: await replayMeter.stop() };
  };
  const writes = await replayed('writes');
  const reads = await replayed('reads');
  options.log(
    `${options.label} reference: ${writes.result.calls} writes in ${writes.result.seconds.toFixed(1)} s, ` +
      `${reads.result.calls} reads in ${reads.result.seconds.toFixed(1)} s`,
  );
  const databaseCpu =
    writes.usage.stackCpuSeconds !== undefined && reads.usage.stackCpuSeconds !== undefined
      ? writes.usage.stackCpuSeconds + reads.usage.stackCpuSeconds
      : undefined;
  return {
    label: options.label,
    registrations: recorded,
    decideSeconds,
    endToEndSeconds,
    decidedPerSecond: recorded / decideSeconds,
    answeredPerSecond: recorded / endToEndSeconds,
    replay: { concurrency: replayConcurrency, writes: writes.result, reads: reads.result },
    replayUsage: { writes: writes.usage, reads: reads.usage },
    overheadVsWrites: endToEndSeconds / writes.result.seconds - 1,
    overheadVsDatabase: endToEndSeconds / (writes.result.seconds + reads.result.seconds) - 1,
    cpuOverheadVsDatabase:
      databaseCpu && usage.stackCpuSeconds !== undefined
        ? usage.stackCpuSeconds / databaseCpu - 1
        : undefined,
    costs: unitCosts(counters, recorded),
    usage,
    stackHeapMbAtStart: heapUsedMb,
    failures: counters.failures,
  };
}
