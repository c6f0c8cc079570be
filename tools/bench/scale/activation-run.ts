/**
 * The scale bench's import and activation stages alone, with where the activation's time goes: a
 * fresh embedded stack (emulators in their own processes, as the scale bench runs them), a generated
 * registry imported, a campaign over every district activated through the API and the activation
 * queue, then its reference (the worker's own DynamoDB calls replayed at the worker's concurrency,
 * `activation-reference.ts`). Prints each page's time in the worker against its cycle (one page's
 * progress record to the next page's of the same item: the queue hop included), the pages in flight
 * over time, the last item's tail, and the CPU seconds of the stack and of the database process.
 *
 *   node_modules/.bin/node --import tsx tools/bench/scale/activation-run.ts [--households 10000] [--out F] [--poll-ms 250]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getRuntime, importFile, issueStaffToken, loadSecrets } from '@madad/adapters';
import { POPULATION_FILES, writePopulation } from '@madad/cli/lab';
import { startLocalStack } from '@madad/local';
import { ActivationCallCapture, replayActivationCalls } from './activation-reference.js';
import { type PageSpan, summarisePages } from './activation-timeline.js';
import { scaleCampaignBody } from './scale-campaign.js';

/** CPU seconds (user + system) of a process so far, from /proc. */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The pid of this process's child running the named emulator (`emulator-child.ts dynamodb ...`). */
async function emulatorChildPid(kind: string): Promise<number> {
  const children = (await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8'))
    .trim()
    .split(' ');
  for (const pid of children) {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (args.some((a) => a.endsWith('emulator-child.ts')) && args.includes(kind)) return Number(pid);
  }
  throw new Error(`no ${kind} emulator child`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      households: { type: 'string', default: '10000' },
      out: { type: 'string' },
      // How often GET .../activation is polled (the scale bench: every 250 ms).
      'poll-ms': { type: 'string', default: '250' },
    },
  });
  const size = Number(values.households);
  const dir = await mkdtemp(join(tmpdir(), `madad-activation-run-${size}-`));
  const spans: PageSpan[] = [];
  const stack = await startLocalStack({
    dataDir: join(dir, 'stack'),
    port: 0,
    seed: false,
    emulatorProcesses: true,
    // The poller's line per invocation: how long the worker took with each page.
    log: (line) => {
      const match = /^\[activation-worker\] batch of \d+: .*\((\d+) ms\)$/.exec(line);
      if (match) spans.push({ end: Date.now(), ms: Number(match[1]) });
    },
  });
  try {
    const { doc } = getRuntime();
    const { cnicPepper, jwtSecret } = await loadSecrets();
    const staff = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      const token = await issueStaffToken(jwtSecret, { user: 'cell-bench', roles: ['emergency-cell'] });
      headers.set('authorization', `Bearer ${token}`);
      if (init.body) headers.set('content-type', 'application/json');
      return fetch(`${stack.httpUrl}${path}`, { ...init, headers });
    };
    const popDir = join(dir, 'population');
    await writePopulation({ households: size, seed: 'scale', outDir: popDir });
    const file = join(popDir, POPULATION_FILES.households);
    const districts = new Set<string>();
    for (const line of (await readFile(file, 'utf8')).split('\n'))
      if (line.trim()) districts.add((JSON.parse(line) as { district: string }).district);
    const target = { doc, table: getRuntime().config.tables.registry, pepper: cnicPepper };
    await importFile({ kind: 'registry', file, target, concurrency: 8, checkRegistry: true });

    const created = await staff('/api/v1/campaigns', {
      method: 'POST',
      body: scaleCampaignBody(size, [...districts].sort()),
    });
    if (created.status !== 201) throw new Error(`campaign: ${created.status} ${await created.text()}`);
    const { campaignId } = (await created.json()) as { campaignId: string };
    const dbPid = await emulatorChildPid('dynamodb');
    const capture = new ActivationCallCapture(doc);
    const load0 = loadavg()[0] ?? 0;
    const cpu0 = process.cpuUsage();
    const db0 = await cpuSecondsOf(dbPid);
    capture.start();
    const started = Date.now();
    const activated = await staff(`/api/v1/campaigns/${campaignId}/activate`, { method: 'POST' });
    if (activated.status !== 200) throw new Error(`activate: ${activated.status}`);
    let progress: { done: boolean; households: number; pages: number } | undefined;
    while (!progress?.done) {
      if (Date.now() - started > 30 * 60_000) throw new Error('activation not done in 30 minutes');
      await new Promise((r) => setTimeout(r, Number(values['poll-ms'])));
      progress = (await (
        await staff(`/api/v1/campaigns/${campaignId}/activation`)
      ).json()) as typeof progress;
    }
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const dbCpu = (await cpuSecondsOf(dbPid)) - db0;
    const load1 = loadavg()[0] ?? 0;
    const calls = capture.stop();
    const stats = (await (await staff(`/api/v1/campaigns/${campaignId}/stats`)).json()) as {
      byCategory: Record<string, number>;
    };
    const topUps = stats.byCategory.TOP_UP ?? 0;
    const replay = await replayActivationCalls(doc, calls, Math.max(1, capture.peakInFlight));
    const timeline = summarisePages(spans, started);
    const result = {
      size,
      topUps,
      pages: progress.pages,
      households: progress.households,
      seconds,
      perSecond: topUps / seconds,
      stackCpuSeconds: (cpu.user + cpu.system) / 1e6,
      dbCpuSeconds: dbCpu,
      callsByOperation: calls.reduce<Record<string, number>>((by, c) => {
        by[c.operation] = (by[c.operation] ?? 0) + 1;
        return by;
      }, {}),
      callsInFlight: { mean: Math.round(capture.meanInFlight * 10) / 10, peak: capture.peakInFlight },
      replay,
      ratio: replay.seconds / seconds,
      timeline,
      loadAverage: [load0, load1],
    };
    const text = JSON.stringify(result, null, 2);
    if (values.out) await writeFile(values.out, `${text}\n`);
    console.error(text);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
