import type { SQSClient } from '@aws-sdk/client-sqs';
import { type QueueId, queues } from '@madad/adapters';
import type { StaffApi } from '@madad/cli/lab';
import type { BenchChild } from './bench-child-client.js';
import type { ReplayResult } from './db-replay.js';
import type { ChildCounters } from './intake-bench.js';
import { type PhaseUsage, startPhase } from './phase-meter.js';
import { waitUntilDrained } from './reconcile-bench.js';

export interface ActivationResult {
  readonly districts: number;
  /** Households the campaign topped up (its TOP_UP count once it stopped growing). */
  readonly enrolled: number;
  /** From the activate request to the worker's last call. */
  readonly seconds: number;
  readonly enrolledPerSecond: number;
  /** The worker's DynamoDB calls replayed raw (writes then reads) at the worker's concurrency. */
  readonly replaySeconds: number;
  /** Database time over activation time: 1 would mean the worker adds nothing to the database's work. */
  readonly ratio: number;
  readonly usage: PhaseUsage;
  /** The stack's live heap after a full collection at the start of the phase (a leak would grow it). */
  readonly stackHeapMbAtStart: number;
}

/**
 * Vertical expansion: activates `campaignId` (created over the districts with the most regular-programme
 * households) with only the activation consumers running, and times it until the worker's last call; the
 * top-up count is read from the campaign's stats once the activation queue is empty.
 */
export async function benchActivation(
  child: BenchChild,
  staff: StaffApi,
  sqs: SQSClient,
  urls: Readonly<Record<QueueId, string>>,
  options: { campaignId: string; districts: number; pollerConcurrency: number; log: (line: string) => void },
): Promise<ActivationResult> {
  await child.call('counters', { reset: true });
  await child.call('capture', { on: true });
  await child.call('startPollers', { queues: ['activation'], concurrency: options.pollerConcurrency });
  const { heapUsedMb } = await child.call<{ heapUsedMb: number }>('gc');
  const meter = await startPhase(child.pid);
  const started = Date.now();
  await staff.activate(options.campaignId);
  await waitUntilDrained(sqs, urls, ['activation'], 20 * 60_000);
  const usage = await meter.stop();
  const counters = await child.call<ChildCounters>('counters', { reset: true });
  await child.call('stopPollers');
  await child.call('capture', { on: false });
  const last = counters.tallies
    .filter((t) => t.fn === 'activation-worker')
    .reduce((at, t) => Math.max(at, t.lastAt), started);
  const enrolled = (await staff.stats(options.campaignId)).byCategory.TOP_UP ?? 0;
  const seconds = (last - started) / 1000;
  options.log(`activation: ${enrolled} households enrolled in ${seconds.toFixed(1)} s`);
  const concurrency = Math.min(queues.activation.maxConcurrency, options.pollerConcurrency);
  const writes = await child.call<ReplayResult>('replay', { which: 'writes', concurrency });
  const reads = await child.call<ReplayResult>('replay', { which: 'reads', concurrency });
  const replaySeconds = writes.seconds + reads.seconds;
  return {
    districts: options.districts,
    enrolled,
    seconds,
    enrolledPerSecond: enrolled / seconds,
    replaySeconds,
    ratio: replaySeconds / seconds,
    usage,
    stackHeapMbAtStart: heapUsedMb,
  };
}
