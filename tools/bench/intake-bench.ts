import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createWebhookClient, fire, type InboundSms } from '@madad/cli/lab';
import type { BenchChild } from './bench-child-client.js';
import { queuedBody } from './bench-messages.js';
import { type PhaseUsage, startPhase } from './phase-meter.js';
import type { CallTally } from './sdk-call-counter.js';

export interface Invocations {
  readonly count: number;
  readonly records: number;
  readonly totalMs: number;
  readonly billedMs: number;
  readonly maxMs: number;
}

export interface ChildCounters {
  readonly tallies: CallTally[];
  readonly invocations: Record<string, Invocations>;
  readonly failures: string[];
  readonly failureCount: number;
}

export interface IntakeResult {
  readonly messages: number;
  readonly concurrency: number;
  /** Signed SMS accepted (HTTP 200) per second over loopback, pollers off. */
  readonly perSecond: number;
  readonly seconds: number;
  /** SendMessage of the same bodies from this process to a queue of the same stack, same concurrency. */
  readonly rawPerSecond: number;
  /** Each raw round's rate: before, between and after the intake rounds. */
  readonly rawRates: readonly number[];
  /** perSecond over rawPerSecond (target at least 0.7). */
  readonly ratio: number;
  /** The stack's CPU per message, raw over intake: how much more work a webhook request is than a send. */
  readonly cpuRatio: number | undefined;
  /** The api function's mean time per request (what Lambda bills), in ms. */
  readonly apiMsPerRequest: number;
  /** SQS requests the api made per accepted message, as billed. */
  readonly sqsRequestsPerMessage: number;
  readonly usage: PhaseUsage;
}

async function scratchQueue(sqs: SQSClient, like: string, name: string): Promise<string> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: like,
      AttributeNames: ['VisibilityTimeout', 'MessageRetentionPeriod'],
    }),
  );
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return created.QueueUrl ?? '';
}

/** Sends every body with `concurrency` workers, one SendMessage each (what the api does per SMS). */
async function sendRaw(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly InboundSms[],
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < messages.length; i = next++) {
      const sms = messages[i];
      if (sms) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: queuedBody(sms) }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Rounds of intake, each between two raw-send measurements, so drifting load skews the ratio less. */
const ROUNDS = 2;

/**
 * Intake: signed SMS through the real webhook (pollers off, so only intake runs), against the raw rate
 * at which this process sends the same bodies to the stack's SQS at the same concurrency. The two
 * alternate (raw, intake, raw, intake, raw) and each side's rate is over all its rounds. The accepted
 * messages stay queued for the reconciliation bench.
 */
export async function benchIntake(
  child: BenchChild,
  sqs: SQSClient,
  registrationsUrl: string,
  messages: readonly InboundSms[],
  concurrency: number,
  log: (line: string) => void,
): Promise<IntakeResult> {
  const size = Math.ceil(messages.length / ROUNDS);
  const parts = Array.from({ length: ROUNDS }, (_, i) => messages.slice(i * size, (i + 1) * size));
  const raw = async (round: number, part: readonly InboundSms[]) => {
    const url = await scratchQueue(sqs, registrationsUrl, `madad-bench-raw-${round}`);
    await child.call('gc');
    const meter = await startPhase(child.pid);
    await sendRaw(sqs, url, part, concurrency);
    const usage = await meter.stop();
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    log(`intake reference ${round}: ${(part.length / usage.seconds).toFixed(0)} SendMessage/s`);
    return { usage, count: part.length };
  };
  const intake = async (part: readonly InboundSms[]) => {
    await child.call('gc');
    const client = createWebhookClient({
      baseUrl: child.apiUrl,
      secret: child.env.MADAD_SMS_WEBHOOK_SECRET ?? '',
      connections: concurrency,
    });
    const meter = await startPhase(child.pid);
    const fired = await fire(client, part, { rate: 0, concurrency, attempts: 1 }).finally(() =>
      client.close(),
    );
    const usage = await meter.stop();
    const rejected = fired.outcomes.filter((o) => o.status !== 200);
    if (rejected.length > 0)
      throw new Error(`intake: ${rejected.length} messages not accepted (${rejected[0]?.status})`);
    log(`intake: ${(part.length / usage.seconds).toFixed(0)} SMS/s accepted`);
    return usage;
  };

  await child.call('counters', { reset: true });
  const raws = [await raw(0, parts[0] ?? [])];
  const intakes: PhaseUsage[] = [];
  for (const [i, part] of parts.entries()) {
    intakes.push(await intake(part));
    raws.push(await raw(i + 1, parts[(i + 1) % parts.length] ?? []));
  }
  const counters = await child.call<ChildCounters>('counters', { reset: true });
  const sum = (values: (number | undefined)[]) =>
    values.some((v) => v === undefined) ? undefined : values.reduce<number>((s, v) => s + (v ?? 0), 0);
  const intakeSeconds = intakes.reduce((s, u) => s + u.seconds, 0);
  const rawSeconds = raws.reduce((s, r) => s + r.usage.seconds, 0);
  const rawCount = raws.reduce((s, r) => s + r.count, 0);
  const rawCpu = sum(raws.map((r) => r.usage.stackCpuSeconds));
  const intakeCpu = sum(intakes.map((u) => u.stackCpuSeconds));
  const api = counters.invocations.api;
  const apiSqs = counters.tallies
    .filter((t) => t.fn === 'api' && t.service === 'sqs')
    .reduce((total, t) => total + t.billedRequests, 0);
  const perSecond = messages.length / intakeSeconds;
  const rawPerSecond = rawCount / rawSeconds;
  const peak = (values: (number | undefined)[]) => Math.max(0, ...values.map((v) => v ?? 0)) || undefined;
  return {
    messages: messages.length,
    concurrency,
    perSecond,
    seconds: intakeSeconds,
    rawPerSecond,
    rawRates: raws.map((r) => r.count / r.usage.seconds),
    ratio: perSecond / rawPerSecond,
    cpuRatio:
      rawCpu !== undefined && intakeCpu ? rawCpu / rawCount / (intakeCpu / messages.length) : undefined,
    apiMsPerRequest: api ? api.billedMs / api.count : 0,
    sqsRequestsPerMessage: apiSqs / messages.length,
    usage: {
      seconds: intakeSeconds,
      stackPeakRssMb: peak(intakes.map((u) => u.stackPeakRssMb)),
      driverPeakRssMb: Math.max(...intakes.map((u) => u.driverPeakRssMb)),
      stackCpuSeconds: intakeCpu,
      driverCpuSeconds: intakes.reduce((s, u) => s + u.driverCpuSeconds, 0),
    },
  };
}
