import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  createSqsClient,
  DynamoDbRegistrationStore,
  importFile,
  issueStaffToken,
  loadRuntimeConfig,
  type RuntimeConfig,
} from '@madad/adapters';
import type { InboundSms } from '@madad/cli/lab';
import {
  chooseDistricts,
  generatePopulation,
  POPULATION_FILES,
  rehearsalCampaign,
  StaffApi,
  writePopulation,
} from '@madad/cli/lab';
import { normalizePhone } from '@madad/core';
import { type ActivationResult, benchActivation } from './activation-bench.js';
import { type BenchChild, startBenchChild } from './bench-child-client.js';
import { type BenchCost, benchCost } from './bench-cost.js';
import { benchMessages, queuedBody } from './bench-messages.js';
import { benchImport, type ImportBenchResult } from './import-bench.js';
import { benchIntake, type IntakeResult } from './intake-bench.js';
import { type PhaseUsage, startPhase } from './phase-meter.js';
import { benchReconcile, type ReconcileResult } from './reconcile-bench.js';
import { type RecordedReply, type ReplySegments, replySegments } from './reply-segments.js';
import { evaluateTargets, type TargetCheck } from './targets.js';

export interface BenchSizes {
  /** Households in the registry the reconciliation and activation run against. */
  readonly households: number;
  /** First registrations of distinct people (also the intake messages). */
  readonly unique: number;
  /** Repeat registrations of those people. */
  readonly duplicates: number;
  /** Households of the import bench (each of its runs on a fresh stack). */
  readonly importHouseholds: number;
  /** Webhook connections and raw-send workers. */
  readonly intakeConcurrency: number;
  /** Consumers per queue (the local stack's default cap: 4). */
  readonly pollerConcurrency: number;
}

export interface BenchResult {
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly node: string;
    readonly loadAverage: readonly [number, number];
  };
  readonly sizes: BenchSizes;
  readonly seconds: number;
  readonly import: ImportBenchResult;
  readonly populationLoad: PhaseUsage;
  readonly activation: ActivationResult;
  readonly intake: IntakeResult;
  readonly reconcile: { readonly unique: ReconcileResult; readonly duplicate: ReconcileResult };
  readonly cost: BenchCost;
  readonly targets: TargetCheck[];
}

const SEED = 'bench';

/** Every figure of `npm run bench`, each with its reference measured in the same run. */
export async function runBench(
  dataDir: string,
  sizes: BenchSizes,
  log: (line: string) => void,
): Promise<BenchResult> {
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  log(`import bench: ${sizes.importHouseholds} households`);
  const imported = await benchImport({
    households: sizes.importHouseholds,
    dataDir: join(dataDir, 'import'),
    fileOnly: false,
    log: (line) => log(`  ${line}`),
  });

  const child = await startBenchChild(join(dataDir, 'stack'));
  try {
    const config = loadRuntimeConfig(child.env);
    const doc = createDocumentClient(config);
    const sqs = createSqsClient(config);
    try {
      return await benchOnStack({
        child,
        config,
        doc,
        sqs,
        dataDir,
        sizes,
        log,
        imported,
        loadAtStart,
        started,
      });
    } finally {
      doc.destroy();
      sqs.destroy();
    }
  } finally {
    await child.stop();
  }
}

/**
 * Only the intake phase (`npm run bench -- --only intake`), on a fresh stack: the same messages and the
 * same measurement as in the full run, without the import, population load, activation and
 * reconciliation phases (the webhook never reads the registry, so none is loaded).
 */
export async function runIntakeBench(
  dataDir: string,
  sizes: BenchSizes,
  log: (line: string) => void,
): Promise<IntakeResult> {
  const population = [...generatePopulation({ households: sizes.households, seed: SEED })];
  const messages = benchMessages(population, { unique: sizes.unique, duplicates: 0 }, SEED);
  const child = await startBenchChild(join(dataDir, 'stack'));
  try {
    const config = loadRuntimeConfig(child.env);
    const sqs = createSqsClient(config);
    try {
      log(`intake: ${messages.unique.length} signed SMS, ${sizes.intakeConcurrency} connections`);
      return await benchIntake(
        child,
        sqs,
        config.queues.registrations,
        messages.unique,
        sizes.intakeConcurrency,
        log,
      );
    } finally {
      sqs.destroy();
    }
  } finally {
    await child.stop();
  }
}

async function benchOnStack(ctx: {
  child: BenchChild;
  config: RuntimeConfig;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  dataDir: string;
  sizes: BenchSizes;
  log: (line: string) => void;
  imported: ImportBenchResult;
  loadAtStart: number;
  started: number;
}): Promise<BenchResult> {
  const { child, config, doc, sqs, sizes, log } = ctx;
  log(`population: ${sizes.households} households into the bench stack`);
  const population = [...generatePopulation({ households: sizes.households, seed: SEED })];
  const populationLoad = await loadPopulation(
    child,
    doc,
    config,
    join(ctx.dataDir, 'population'),
    sizes.households,
  );

  const staff = new StaffApi(
    child.apiUrl,
    await issueStaffToken(child.env.MADAD_JWT_SECRET ?? '', { user: 'bench', roles: ['emergency-cell'] }),
  );
  const districts = chooseDistricts(population);
  const { campaignId } = await staff.createCampaign(rehearsalCampaign('Bench monsoon floods', districts));
  log(`activation: campaign over ${districts.length} districts`);
  const activation = await benchActivation(child, staff, sqs, config.queues, {
    campaignId,
    districts: districts.length,
    pollerConcurrency: sizes.pollerConcurrency,
    log,
  });

  const messages = benchMessages(population, { unique: sizes.unique, duplicates: sizes.duplicates }, SEED);
  log(`intake: ${messages.unique.length} signed SMS, ${sizes.intakeConcurrency} connections`);
  const intake = await benchIntake(
    child,
    sqs,
    config.queues.registrations,
    messages.unique,
    sizes.intakeConcurrency,
    log,
  );
  const options = { pollerConcurrency: sizes.pollerConcurrency, log };
  const unique = await benchReconcile(child, sqs, config.queues, {
    ...options,
    label: 'unique registrations',
    expected: messages.unique.length,
  });
  await prefill(sqs, config.queues.registrations, messages.duplicates, sizes.intakeConcurrency);
  const duplicate = await benchReconcile(child, sqs, config.queues, {
    ...options,
    label: 'duplicate registrations',
    expected: messages.duplicates.length,
  });
  const segments = await sampleReplySegments(doc, config.tables.operations, messages.unique.slice(0, 300));
  const cost = benchCost(intake, unique, duplicate, segments);
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: [ctx.loadAtStart, loadavg()[0] ?? 0] as const,
    },
    sizes,
    seconds: (performance.now() - ctx.started) / 1000,
    import: ctx.imported,
    populationLoad,
    activation,
    intake,
    reconcile: { unique, duplicate },
    cost,
  };
  return { ...result, targets: evaluateTargets(result) };
}

async function loadPopulation(
  child: BenchChild,
  doc: DynamoDBDocumentClient,
  config: RuntimeConfig,
  dir: string,
  households: number,
): Promise<PhaseUsage> {
  const meter = await startPhase(child.pid);
  await writePopulation({ households, seed: SEED, outDir: dir });
  const target = { doc, table: config.tables.registry, pepper: child.env.MADAD_CNIC_PEPPER ?? '' };
  for (const [kind, file] of [
    ['registry', POPULATION_FILES.households],
    ['identity', POPULATION_FILES.identities],
    ['exclusions', POPULATION_FILES.exclusions],
  ] as const) {
    await importFile({ kind, file: join(dir, file), target, concurrency: 8, checkRegistry: false });
  }
  return meter.stop();
}

/** Queues bodies as the webhook would, ten a request, for a reconciliation run over a full queue. */
async function prefill(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly InboundSms[],
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    for (let i = next; i < messages.length; i = next) {
      next += 10;
      const part = messages.slice(i, i + 10);
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: part.map((sms, n) => ({ Id: String(n), MessageBody: queuedBody(sms) })),
        }),
      );
      if (result.Failed?.length) throw new Error(`prefill: SQS refused ${result.Failed.length} messages`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Mean SMS segments a reply (the SMS bill is per segment), from every reply recorded for the phones
 * of a sample of the unique registrations: their first registrations and their repeats, weighed as
 * in the 2020 mix.
 */
async function sampleReplySegments(
  doc: DynamoDBDocumentClient,
  table: string,
  sample: readonly InboundSms[],
): Promise<ReplySegments> {
  const store = new DynamoDbRegistrationStore(doc, table);
  const replies: RecordedReply[] = [];
  for (const phone of new Set(
    sample.map((sms) => normalizePhone(sms.from)).flatMap((p) => (p.ok ? [p.phone] : [])),
  )) {
    for (const record of await store.listByPhone(phone, 100)) {
      if (record.reply) replies.push({ messageId: record.messageId, text: record.reply.text });
    }
  }
  return replySegments(replies);
}
