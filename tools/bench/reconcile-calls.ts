/**
 * Database calls and CPU per decided SMS, by kind of message, for the surge rehearsal's mix: an
 * embedded stack with dynalite and fauxqs in their own processes, the rehearsal's population and
 * campaign, then `reconcileBatch` over the planned messages in batches of 100, four at a time (as
 * the local pollers run it), with every SDK call of the reconciler counted. `--mode phases` feeds
 * the kinds one after the other (first registrations, repeats from the same phone, from another
 * phone, invalid, malformed, redeliveries) so each kind's calls are counted apart; `--mode mixed`
 * feeds them in the surge's order.
 *
 *   node --import tsx tools/bench/reconcile-calls.ts [--households 1000] [--messages 5000] [--mode phases]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  getRuntime,
  type ImportKindName,
  importFile,
  instrumentRuntime,
  issueStaffToken,
  loadSecrets,
  readQueueDepths,
  reconcilePorts,
} from '@madad/adapters';
import {
  chooseDistricts,
  generatePopulation,
  type MessageKind,
  type PlannedSms,
  POPULATION_FILES,
  planSurge,
  rehearsalCampaign,
  StaffApi,
  writePopulation,
} from '@madad/cli/lab';
import { reconcileBatch } from '@madad/core';
import { startLocalStack } from '@madad/local';
import { counterForEnvironment } from './environment-counter.js';
import { invocationLabel } from './sdk-call-counter.js';

const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '5000' },
    mode: { type: 'string', default: 'phases' },
    seed: { type: 'string', default: 'surge' },
    json: { type: 'boolean', default: false },
  },
});
const BATCH = 100;
const CONSUMERS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** User plus system CPU of a process, in milliseconds, from /proc (ticks of 1/100 s). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const dataDir = await mkdtemp(join(tmpdir(), 'madad-reconcile-calls-'));
  const counter = counterForEnvironment();
  instrumentRuntime((runtime) => {
    counter.countDynamoDb(runtime.doc, 'driver');
    counter.countSqs(runtime.sqs, 'driver');
  });
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    seed: false,
    emulatorProcesses: true,
    log: () => {},
  });
  try {
    const { doc, sqs, config } = getRuntime();
    const households = Number(values.households);
    const seed = values.seed;
    const population = [...generatePopulation({ households, seed })];
    const dir = join(dataDir, 'population');
    await writePopulation({ households, seed, outDir: dir });
    const imports: [ImportKindName, string][] = [
      ['registry', POPULATION_FILES.households],
      ['identity', POPULATION_FILES.identities],
      ['exclusions', POPULATION_FILES.exclusions],
    ];
    const pepper = (await loadSecrets()).cnicPepper;
    for (const [kind, file] of imports) {
      await importFile({
        kind,
        file: join(dir, file),
        target: { doc, table: config.tables.registry, pepper },
      });
    }
    const staff = new StaffApi(
      stack.httpUrl,
      await issueStaffToken(stack.env.MADAD_JWT_SECRET ?? '', { user: 'calls', roles: ['emergency-cell'] }),
    );
    const districts = chooseDistricts(population);
    const { campaignId } = await staff.createCampaign(rehearsalCampaign('Counted surge', districts));
    await staff.activate(campaignId);
    for (let quiet = 0; quiet < 2; ) {
      const depths = await readQueueDepths(sqs, config.queues);
      const busy = (depths.activation?.visible ?? 0) + (depths.activation?.inFlight ?? 0);
      quiet = busy === 0 ? quiet + 1 : 0;
      await sleep(500);
    }
    const inArea = new Set(districts);
    const planned = planSurge(population, {
      messages: Number(values.messages),
      seed,
      runId: 'calls',
      inArea: (district) => inArea.has(district),
    });
    const redelivered = planned.filter((_, i) => i % 100 === 50);
    const phases: [string, PlannedSms[]][] =
      values.mode === 'mixed'
        ? [['mixed', [...planned, ...redelivered]]]
        : [
            ...(
              [
                ['first', ['first', 'unknown-cnic']],
                ['repeat-same-phone', ['repeat-same-phone']],
                ['repeat-other-phone', ['repeat-other-phone']],
                ['invalid-cnic', ['invalid-cnic']],
                ['malformed', ['malformed']],
              ] as [string, MessageKind[]][]
            ).map(
              ([label, kinds]) =>
                [label, planned.filter((p) => kinds.includes(p.kind))] as [string, PlannedSms[]],
            ),
            ['redelivered', redelivered],
          ];
    const ports = reconcilePorts(getRuntime());
    const dynalitePid = Number(readFileSync(join(dataDir, 'dynamodb-emulator.pid'), 'utf8').trim());
    const rows: Record<string, unknown>[] = [];
    counter.reset();
    for (const [label, messages] of phases) {
      const acceptedAt = new Date().toISOString();
      const bodies = messages.map((m) =>
        JSON.stringify({
          channel: 'sms',
          from: m.from,
          to: '8171',
          text: m.text,
          messageId: m.messageId,
          acceptedAt,
        }),
      );
      const batches: { id: string; body: string }[][] = [];
      for (let i = 0; i < bodies.length; i += BATCH) {
        batches.push(bodies.slice(i, i + BATCH).map((body, j) => ({ id: `${label}-${i + j}`, body })));
      }
      const cpu0 = process.cpuUsage();
      const db0 = cpuMsOf(dynalitePid);
      const t0 = performance.now();
      let failed = 0;
      const worker = async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          const result = await invocationLabel.run('reconciler', () =>
            reconcileBatch({ ...ports, pepper }, batch),
          );
          failed += result.failedIds.length;
        }
      };
      await Promise.all(Array.from({ length: CONSUMERS }, worker));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const n = messages.length;
      const calls = counter.snapshot().filter((t) => t.fn === 'reconciler');
      counter.reset();
      const byCall: Record<string, number> = {};
      for (const t of calls) {
        const key = `${t.operation} ${t.target} ${t.kind}`;
        byCall[key] = (byCall[key] ?? 0) + t.calls / n;
      }
      const total = calls.reduce((sum, t) => sum + t.calls, 0) / n;
      rows.push({
        label,
        messages: n,
        failed,
        seconds: Number(seconds.toFixed(2)),
        callsPerSms: Number(total.toFixed(2)),
        stackCpuMsPerSms: Number(((cpu.user + cpu.system) / 1000 / n).toFixed(2)),
        dynaliteCpuMsPerSms: Number(((cpuMsOf(dynalitePid) - db0) / n).toFixed(2)),
        byCall: Object.fromEntries(
          Object.entries(byCall)
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => [k, Number(v.toFixed(3))]),
        ),
      });
    }
    const report = { at: new Date().toISOString(), load: loadavg(), mode: values.mode, rows };
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}, mode ${values.mode}`,
      );
      for (const row of rows) {
        console.log(
          `\n${row.label}: ${row.messages} SMS, ${row.failed} failed, ${row.seconds} s, ${row.callsPerSms} calls/SMS, ` +
            `stack ${row.stackCpuMsPerSms} ms CPU/SMS, dynalite ${row.dynaliteCpuMsPerSms} ms CPU/SMS`,
        );
        for (const [k, v] of Object.entries(row.byCall as Record<string, number>))
          console.log(`  ${v}\t${k}`);
      }
    }
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
