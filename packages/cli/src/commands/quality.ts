import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  createPrivateWriteStream,
  drawBackCheckSampleJob,
  getRuntime,
  importBackCheckResultsJob,
  inviteDueHouseholdsJob,
  makePrivateDir,
  type QualityJobContext,
  runRegistryHealthJob,
  SqsJsonQueue,
  SqsReplyQueue,
} from '@madad/adapters';
import { type BackCheckReport, type RegistryHealthReport, STRATIFY_BY } from '@madad/core';
import { resolveDataDir } from '@madad/local/state';
import { type CommandInput, oneOf, UsageError, wholeNumber } from '../command.js';
import type {
  inviteOptions,
  qualityOptions,
  sampleDrawOptions,
  sampleResultsOptions,
} from '../declarations/quality.js';
import { useRunningStackEnv } from '../stack-env.js';

/** A share in (0, 1) from an option's text, or a UsageError naming the option. */
function share(text: string, option: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1))
    throw new UsageError(`${option} takes a number between 0 and 1, not '${text}'`);
  return value;
}

async function context(withQueue = false): Promise<QualityJobContext> {
  await useRunningStackEnv();
  const { config, doc, sqs } = getRuntime();
  let last = 0;
  return {
    doc,
    registryTable: config.tables.registry,
    operationsTable: config.tables.operations,
    ...(withQueue ? { replies: new SqsReplyQueue(new SqsJsonQueue(sqs, config.queues.outbound)) } : {}),
    now: () => new Date(),
    // A line per 1,000 households read (a Scan page), on stderr: --json keeps stdout one document.
    onProgress: (n) => {
      if (n - last < 1000) return;
      last = n;
      process.stderr.write(`  ${n.toLocaleString('en-US')} households read\n`);
    },
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** `madad quality`: the registry health job. */
export async function qualityCommand({ values }: CommandInput<typeof qualityOptions>): Promise<number> {
  const staleAfterYears = wholeNumber(values['stale-years'], '--stale-years', 1, 50);
  const sharedPhoneThreshold = wholeNumber(values['shared-phone'], '--shared-phone', 2);
  const report = await runRegistryHealthJob(await context(), { staleAfterYears, sharedPhoneThreshold });
  if (values.json) console.log(JSON.stringify(report));
  else console.log(healthText(report));
  return 0;
}

function healthText(r: RegistryHealthReport): string {
  const lines = [`Registry health: ${r.households} households, ${r.members} members`, 'Completeness:'];
  for (const c of r.completeness) {
    lines.push(
      `  ${c.level.padEnd(9)} ${c.field.padEnd(14)} ${percent(c.total ? c.filled / c.total : 1).padStart(6)}`,
    );
  }
  lines.push(
    `Surveyed before ${r.staleSurveys.cutoff} (over ${r.staleSurveys.olderThanYears} years): ${r.staleSurveys.households} households`,
    `Phones on ${r.sharedPhones.threshold}+ households: ${r.sharedPhones.phones} (${r.sharedPhones.households} households)`,
    `People in several households: ${r.membersInSeveralHouseholds.people} (${r.membersInSeveralHouseholds.households} households)`,
    `Deceased heads still listed: ${r.deceasedHeads.households}`,
    'Stored: the console shows it at /console/quality',
  );
  return lines.join('\n');
}

/** `madad sample draw`. */
export async function sampleDrawCommand({ values }: CommandInput<typeof sampleDrawOptions>): Promise<number> {
  if (!values.seed?.trim()) throw new UsageError('--seed is required');
  const spec = {
    seed: values.seed,
    by: oneOf(values.by, STRATIFY_BY, '--by'),
    confidence: share(values.confidence, '--confidence'),
    margin: share(values.margin, '--margin'),
    expectedRate: share(values['expected-rate'], '--expected-rate'),
    ...(values.size ? { size: wholeNumber(values.size, '--size', 1, 3000) } : {}),
  };
  const { sample, csv } = await drawBackCheckSampleJob(await context(), spec);
  const file = values.out ?? join(resolveDataDir(), 'samples', `${sample.sampleId}.csv`);
  await makePrivateDir(dirname(file));
  await new Promise<void>((resolve, reject) =>
    createPrivateWriteStream(file)
      .end(csv, () => resolve())
      .on('error', reject),
  );
  const size = sample.strata.reduce((sum, s) => sum + s.size, 0);
  if (values.json) {
    console.log(
      JSON.stringify({
        sampleId: sample.sampleId,
        population: sample.population,
        size,
        strata: sample.strata,
        file,
      }),
    );
    return 0;
  }
  console.log(
    `Sample ${sample.sampleId}: ${size} of ${sample.population} households, by ${spec.by}, seed '${spec.seed}'`,
  );
  for (const s of sample.strata)
    console.log(`  ${s.stratum.padEnd(28)} ${String(s.size).padStart(5)} of ${s.population}`);
  console.log(`Validator's file: ${file}`);
  return 0;
}

/** `madad sample results SAMPLE_ID FILE`. */
export async function sampleResultsCommand({
  values,
  positionals: [sampleId = '', file = ''],
}: CommandInput<typeof sampleResultsOptions>): Promise<number> {
  const text = await readFile(file, 'utf8');
  const confidence = values.confidence ? share(values.confidence, '--confidence') : undefined;
  const { report, rejected } = await importBackCheckResultsJob(await context(), {
    sampleId,
    text,
    ...(confidence ? { confidence } : {}),
  });
  if (values.json) console.log(JSON.stringify({ report, rejected }));
  else console.log(reportText(report, rejected));
  return 0;
}

function reportText(r: BackCheckReport, rejected: readonly { line: number; reason: string }[]): string {
  const ci = (x: { rate: number; lower: number; upper: number }) =>
    `${percent(x.rate).padStart(6)}  [${percent(x.lower)}, ${percent(x.upper)}]`;
  const lines = [
    `Back-check ${r.sampleId} (seed '${r.seed}', by ${r.by}): ${r.visited} of ${r.sampled} households visited`,
    `Error rate per field, registry-wide, ${Math.round(r.confidence * 100)}% interval:`,
    ...r.fields.map(
      (f) => `  ${f.field.padEnd(18)} ${ci(f.overall)}  (${f.overall.errors}/${f.overall.checked})`,
    ),
    `  ${'all fields'.padEnd(18)} ${ci(r.allFields)}  (${r.allFields.errors}/${r.allFields.checked})`,
    r.outliers.length === 0 ? 'No enumerator or tehsil out of line' : 'Out of line:',
    ...r.outliers.map((o) => `  ${o.kind} ${o.unit}: ${ci(o)} (${o.errors}/${o.checked} field checks)`),
  ];
  if (rejected.length > 0)
    lines.push(
      `Rejected ${rejected.length} line(s):`,
      ...rejected.map((x) => `  line ${x.line}: ${x.reason}`),
    );
  return lines.join('\n');
}

/** `madad updates invite`. */
export async function inviteCommand({ values }: CommandInput<typeof inviteOptions>): Promise<number> {
  const round = values.round ?? String(new Date().getUTCFullYear());
  if (!/^[A-Za-z0-9-]{1,20}$/.test(round))
    throw new UsageError(`--round takes letters, digits and dashes, not '${round}'`);
  const outcome = await inviteDueHouseholdsJob(await context(true), {
    round,
    olderThanYears: wholeNumber(values['older-than'], '--older-than', 1, 50),
    limit: wholeNumber(values.limit, '--limit', 1, 1_000_000),
  });
  if (values.json) console.log(JSON.stringify(outcome));
  else
    console.log(
      `Round ${round}: ${outcome.due} household(s) due; invited ${outcome.invited}, already invited ${outcome.alreadyInvited}, without a phone ${outcome.withoutPhone}`,
    );
  return 0;
}
