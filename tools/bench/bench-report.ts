import type { Cost } from '../cost-model/cost-model.js';
import { snsIntakeTargets } from './bench-cost.js';
import type { IntakeResult } from './intake-bench.js';
import type { PhaseUsage } from './phase-meter.js';
import type { ReconcileResult } from './reconcile-bench.js';
import type { BenchResult } from './run-bench.js';
import type { UnitCosts } from './unit-costs.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const f = (x: number, digits = 2) => x.toFixed(digits);
const mb = (x: number | undefined) => (x === undefined ? '?' : `${n(x)} MB`);
const pct = (x: number | undefined) =>
  x === undefined ? '?' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const rss = (u: PhaseUsage) => `${mb(u.stackPeakRssMb)} / ${mb(u.driverPeakRssMb)}`;

type Row = readonly string[];

function table(header: Row, rows: readonly Row[], markdown: boolean): string[] {
  if (markdown) {
    return [
      `| ${header.join(' | ')} |`,
      `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ];
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: Row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

function intakeRow(intake: IntakeResult): Row {
  return [
    'Intake: signed SMS accepted (pollers off)',
    `${n(intake.perSecond)}/s`,
    `${n(intake.rawPerSecond)} SendMessage/s, same bodies and concurrency (rounds: ${intake.rawRates.map(n).join(', ')})`,
    `${f(intake.ratio)} (stack CPU ${intake.cpuRatio === undefined ? '?' : f(intake.cpuRatio)})`,
    rss(intake.usage),
  ];
}

/** The intake figure alone (`npm run bench -- --only intake`), with the api's cost per request. */
export function formatIntake(intake: IntakeResult): string {
  const header = ['Figure', 'Measured', 'Reference', 'Ratio', 'Peak RSS stack / driver'];
  return `${[
    ...table(header, [intakeRow(intake)], false),
    `Webhook: ${f(intake.sqsRequestsPerMessage)} SQS requests of the api function per SMS, ${f(intake.apiMsPerRequest, 1)} ms api time per request`,
  ].join('\n')}\n`;
}

function reconcileRow(label: string, r: ReconcileResult): Row {
  const dbSeconds = r.replay.writes.seconds + r.replay.reads.seconds;
  return [
    label,
    `${n(r.answeredPerSecond)}/s (decided ${n(r.decidedPerSecond)}/s)`,
    `${n(r.registrations / dbSeconds)}/s DB replay (writes only ${n(r.registrations / r.replay.writes.seconds)}/s)`,
    `${f(dbSeconds / r.endToEndSeconds)}; overhead ${pct(r.overheadVsDatabase)} (writes only ${pct(r.overheadVsWrites)}, CPU ${pct(r.cpuOverheadVsDatabase)})`,
    `${rss(r.usage)} (heap ${mb(r.stackHeapMbAtStart)})`,
  ];
}

function perRegistration(r: BenchResult): Row[] {
  const u = r.reconcile.unique.costs;
  const d = r.reconcile.duplicate.costs;
  const lambda = (c: UnitCosts, key: 'invocations' | 'gbSeconds') =>
    Object.values(c.lambda).reduce((s, l) => s + l[key], 0);
  const intakeSqs = f(r.intake.sqsRequestsPerMessage);
  const apiMs = `${f(r.intake.apiMsPerRequest, 1)} ms`;
  return [
    ['Webhook: SQS requests of the api function per SMS', intakeSqs, intakeSqs],
    ['Webhook: api function time per request (measured locally)', apiMs, apiMs],
    ['Items written (puts, updates, deletes)', f(u.writes), f(d.writes)],
    ['Write units (total)', f(u.writeUnits), f(d.writeUnits)],
    ['  base table (emulator-reported)', f(u.writeUnitsBase), f(d.writeUnitsBase)],
    ['  global secondary indexes (from item sizes)', f(u.writeUnitsIndexes), f(d.writeUnitsIndexes)],
    ['  failed conditional writes (from item sizes)', f(u.writeUnitsFailed), f(d.writeUnitsFailed)],
    [
      'Read requests / items read',
      `${f(u.readRequests)} / ${f(u.readItems)}`,
      `${f(d.readRequests)} / ${f(d.readItems)}`,
    ],
    ['Read units (emulator-reported)', f(u.readUnits), f(d.readUnits)],
    ['SQS requests (billed; sends, receives, deletes)', f(u.sqsRequests), f(d.sqsRequests)],
    [
      'Lambda invocations (reconciler, sms-sender)',
      f(lambda(u, 'invocations'), 3),
      f(lambda(d, 'invocations'), 3),
    ],
    ['Lambda GB-seconds (measured locally)', f(lambda(u, 'gbSeconds'), 4), f(lambda(d, 'gbSeconds'), 4)],
  ];
}

function breakdown(u: UnitCosts): Row[] {
  return u.lines
    .filter((line) => line.calls >= 0.005)
    .slice(0, 20)
    .map((line) => [
      `${line.fn} ${line.operation} ${line.target}${line.kind === '-' ? '' : ` ${line.kind}`}`,
      f(line.calls, 3),
      f(line.items, 3),
      f(line.units, 3),
    ]);
}

/** One row per priced item, a column per case (the same items in the same order in every Cost). */
function costRows(columns: readonly Cost[]): Row[] {
  const first = columns[0]?.lines ?? [];
  return first.map((line, i) => [line.item, ...columns.map((c) => `$${f(c.lines[i]?.dollars ?? 0)}`)]);
}

/** The bench's figures: a plain table for the terminal, or markdown for `bench/results.md`. */
export function formatBench(r: BenchResult, markdown = false): string {
  const h = (title: string) => (markdown ? ['', `## ${title}`, ''] : ['', title]);
  const s = r.sizes;
  const imp = r.import;
  const act = r.activation;
  const c = r.cost;
  const sns = c.perMillionSnsIntake;
  const lines = [
    markdown ? '# Madad bench results' : 'Madad bench results',
    '',
    `${r.date}: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGb} GB, Node ${r.machine.node}; load average ${f(r.machine.loadAverage[0], 1)} -> ${f(r.machine.loadAverage[1], 1)}; took ${n(r.seconds)} s.`,
    `Sizes: registry of ${n(s.households)} households; ${n(s.unique)} unique and ${n(s.duplicates)} duplicate registrations; intake of the ${n(s.unique)} unique SMS over ${s.intakeConcurrency} connections; ${s.pollerConcurrency} consumers per queue; import bench of ${n(s.importHouseholds)} households.`,
    `Loading the registry for the run (not a figure): ${f(r.populationLoad.seconds, 1)} s.`,
    ...h('Figures, each against its reference measured in the same run'),
    ...table(
      ['Figure', 'Measured', 'Reference', 'Ratio', 'Peak RSS stack / driver (stack live heap at start)'],
      [
        intakeRow(r.intake),
        reconcileRow('Reconciliation, unique registrations', r.reconcile.unique),
        reconcileRow('Reconciliation, duplicate registrations', r.reconcile.duplicate),
        [
          'Registry import (households/s)',
          `${n(imp.householdsPerSecond)}/s`,
          `${n((imp.rawItemsPerSecond * imp.households) / imp.items)}/s raw BatchWrite`,
          f(imp.ratio),
          `${mb(imp.stackPeakRssMb)} / ${mb(imp.peakRssMb)}`,
        ],
        [
          'Campaign activation (households enrolled/s)',
          `${n(act.enrolledPerSecond)}/s (${n(act.enrolled)} in ${f(act.seconds, 1)} s)`,
          `${n(act.enrolled / act.replaySeconds)}/s DB replay`,
          f(act.ratio),
          `${rss(act.usage)} (heap ${mb(act.stackHeapMbAtStart)})`,
        ],
      ],
      markdown,
    ),
    ...h('Per registration, counted from every AWS SDK call'),
    ...table(['', 'Unique', 'Duplicate'], perRegistration(r), markdown),
    ...h('Where the calls of a unique registration go (per registration)'),
    ...table(
      ['Function, operation, table/queue, item', 'Calls', 'Items', 'Units'],
      breakdown(r.reconcile.unique.costs),
      markdown,
    ),
    ...h('Where the calls of a duplicate registration go (per registration)'),
    ...table(
      ['Function, operation, table/queue, item', 'Calls', 'Items', 'Units'],
      breakdown(r.reconcile.duplicate.costs),
      markdown,
    ),
    ...h('AWS cost per million registrations (US dollars, SMS excluded)'),
    ...table(
      ['Item', 'Unique', 'Duplicate', '2020 mix', '2020 mix via SNS intake'],
      [
        ...costRows([c.perMillion.unique, c.perMillion.duplicate, c.perMillion.mix2020, sns.mix2020]),
        [
          'Total',
          `$${f(c.perMillion.unique.total)}`,
          `$${f(c.perMillion.duplicate.total)}`,
          `$${f(c.perMillion.mix2020.total)}`,
          `$${f(sns.mix2020.total)}`,
        ],
        [
          'Total via the SNS two-way SMS intake (intake modelled)',
          `$${f(sns.unique.total)}`,
          `$${f(sns.duplicate.total)}`,
          `$${f(sns.mix2020.total)}`,
          '',
        ],
        [
          'Total with the cost model’s Lambda durations (webhook)',
          `$${f(c.perMillionModelledDurations.unique)}`,
          `$${f(c.perMillionModelledDurations.duplicate)}`,
          `$${f(c.perMillionModelledDurations.mix2020)}`,
          '',
        ],
      ],
      markdown,
    ),
    '',
    `Replies: ${f(c.sms.segments.unique)} SMS segments a first registration's reply (${c.sms.segments.replies.unique} sampled), ${f(c.sms.segments.duplicate)} a repeat's (${c.sms.segments.replies.duplicate}), ${f(c.sms.segments.mix2020)} a reply in the 2020 mix.`,
    `SMS apart: ${f(c.sms.segmentsPerReply)} segments a reply (2020 mix) x $${c.sms.dollarsPerSegment} a segment (assumed, not a list price) = $${n(c.sms.perMillion)} per million replies.`,
    ...c.notes.map((note) => (markdown ? `- ${note}` : `  ${note}`)),
    ...h('Targets (cost targets without a path are the webhook’s)'),
    ...table(
      ['Target', 'Measured', 'Limit', 'Verdict'],
      [...r.targets, ...snsIntakeTargets(c)].map((t) => [
        t.target,
        f(t.measured),
        `${f(t.limit)} ${t.unit}`,
        t.met ? 'met' : `NOT met (${t.gap})`,
      ]),
      markdown,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
