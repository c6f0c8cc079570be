/**
 * One size of `npm run bench -- --scale`, in a process of its own (so its peak memory is its own): a
 * fresh embedded stack (queue pollers and handlers in this process, dynalite and fauxqs each in a child
 * process, as `npm start` runs them, so the handlers' memory is measured apart from the emulators'), a
 * generated registry, then each stage timed from file to paid households. Prints its {@link ScaleRun}
 * as the last line of stdout.
 *
 *   node --import tsx tools/bench/scale/scale-run.ts SIZE DATA_DIR
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeHeapSnapshot } from 'node:v8';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  getRuntime,
  householdItems,
  importFile,
  issueStaffToken,
  loadSecrets,
  registryKeys,
  tables,
} from '@madad/adapters';
import { generatePopulation, POPULATION_FILES, writePopulation } from '@madad/cli/lab';
import type { StaffRole } from '@madad/core';
import { startLocalStack } from '@madad/local';
import { createDynamoDbClient } from '@madad/local/aws-clients';
import { ensureTable } from '@madad/local/bootstrap';
import { ActivationCallCapture, replayActivationCalls } from './activation-reference.js';
import { scaleCampaignBody } from './scale-campaign.js';
import { runPayments } from './scale-payments.js';
import { type ScaleRun, type ScaleStage, stageOf } from './scale-report.js';
import { MemoryWatch } from './stage-memory.js';

const CONCURRENCY = 8;
/** The activation worker's page (functions/activation-worker) and the stack's pollers per queue. */
const PAGE = 100;
const CONSUMERS = 4;

export type Staff = (path: string, roles: StaffRole[], user: string, init?: RequestInit) => Promise<Response>;

async function districtsOf(file: string): Promise<string[]> {
  const seen = new Set<string>();
  for await (const line of createInterface({ input: createReadStream(file) }))
    if (line.trim()) seen.add((JSON.parse(line) as { district: string }).district);
  return [...seen].sort();
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

async function runSize(size: number, dataDir: string): Promise<ScaleRun> {
  const load0 = loadavg()[0] ?? 0;
  const log = (line: string) => console.error(`  [${size}] ${line}`);
  const stackDir = join(dataDir, 'stack');
  const stack = await startLocalStack({
    dataDir: stackDir,
    port: 0,
    seed: false,
    log: () => {},
    emulatorProcesses: true,
  });
  const stages: ScaleStage[] = [];
  const watch = new MemoryWatch(200, await emulatorPids(stackDir));
  const record = (stage: ScaleStage) => {
    const memory = watch.mark();
    stages.push({ ...stage, memory });
    log(
      `${stage.stage}: peak RSS ${memory.peakRssMb.toFixed(0)} MB, after GC heap ${memory.heapAfterGcMb.toFixed(0)} MB of ${memory.heapTotalMb.toFixed(0)} MB, RSS ${memory.rssAfterGcMb.toFixed(0)} MB, external ${memory.externalMb.toFixed(0)} MB, anon ${memory.anonRssMb?.toFixed(0)} MB, file pages ${memory.fileRssMb?.toFixed(0)} MB, CPU ${memory.cpuSeconds?.toFixed(1)} s`,
    );
    for (const [name, child] of Object.entries(memory.children ?? {}))
      log(
        `  ${name}: peak RSS ${child.peakRssMb.toFixed(0)} MB, RSS ${child.rssMb.toFixed(0)} MB (anon ${child.anonRssMb.toFixed(0)}, file pages ${child.fileRssMb.toFixed(0)}), CPU ${child.cpuSeconds.toFixed(1)} s`,
      );
  };
  try {
    const { config, doc } = getRuntime();
    const { cnicPepper, jwtSecret } = await loadSecrets();
    const staff: Staff = async (path, roles, user, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await issueStaffToken(jwtSecret, { user, roles })}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${stack.httpUrl}${path}`, { ...init, headers });
    };
    const seed = 'scale';
    const popDir = join(dataDir, 'population');
    const [counts, generateSeconds] = await timed(() =>
      writePopulation({ households: size, seed, outDir: popDir }),
    );
    log(
      `generated ${counts.households} households, ${counts.members} members in ${generateSeconds.toFixed(1)} s`,
    );
    const file = join(popDir, POPULATION_FILES.households);
    const districts = await districtsOf(file);

    // The raw reference: the same items in plain BatchWrites of 25 at the same concurrency, into a
    // scratch table of the registry's shape on the same emulator, just before the import.
    const admin = createDynamoDbClient({ endpoint: stack.dynamodbEndpoint, region: stack.region });
    await ensureTable(admin, tables.registry, 'scale-raw-registry');
    await ensureTable(admin, tables.operations, 'scale-raw-operations');
    admin.destroy();
    const [, rawImport] = await timed(async () => {
      const population = generatePopulation({ households: size, seed });
      const pending: Record<string, unknown>[] = [];
      const take = () => {
        while (pending.length < 25) {
          const next = population.next();
          if (next.done) break;
          pending.push(...householdItems(cnicPepper, next.value.household));
        }
        return pending.splice(0, 25);
      };
      const worker = async () => {
        for (let batch = take(); batch.length > 0; batch = take())
          await batchPutAll(doc, 'scale-raw-registry', batch);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    });
    watch.mark(); // the raw reference's memory is not the import's
    const endToEnd = performance.now();
    const target = { doc, table: config.tables.registry, pepper: cnicPepper };
    const [imported, importSeconds] = await timed(() =>
      importFile({ kind: 'registry', file, target, concurrency: CONCURRENCY, checkRegistry: true }),
    );
    if (imported.imported !== size) throw new Error(`imported ${imported.imported} of ${size} households`);
    record(stageOf('import', size, importSeconds, rawImport));
    log(`import ${importSeconds.toFixed(1)} s (raw ${rawImport.toFixed(1)} s)`);
    const identityFile = join(popDir, POPULATION_FILES.identities);
    const [, identitySeconds] = await timed(() =>
      importFile({ kind: 'identity', file: identityFile, target, concurrency: CONCURRENCY }),
    );
    record(stageOf('identity import', size, identitySeconds));

    // Activation: a campaign over every generated district, through the API and the activation queue.
    const cell: StaffRole[] = ['emergency-cell'];
    const created = await staff('/api/v1/campaigns', cell, 'cell-bench', {
      method: 'POST',
      body: scaleCampaignBody(size, districts),
    });
    if (created.status !== 201) throw new Error(`campaign: ${created.status} ${await created.text()}`);
    const { campaignId } = (await created.json()) as { campaignId: string };
    const activationCalls = new ActivationCallCapture(doc);
    activationCalls.start();
    const [progress, activationSeconds] = await timed(async () => {
      const activated = await staff(`/api/v1/campaigns/${campaignId}/activate`, cell, 'cell-bench', {
        method: 'POST',
      });
      if (activated.status !== 200)
        throw new Error(`activate: ${activated.status} ${await activated.text()}`);
      const deadline = Date.now() + 60 * 60_000;
      while (Date.now() < deadline) {
        const read = await staff(`/api/v1/campaigns/${campaignId}/activation`, cell, 'cell-bench');
        const body = (await read.json()) as { done: boolean; households: number; items: number };
        if (body.done) return body;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('activation not done within an hour');
    });
    const stats = (await (
      await staff(`/api/v1/campaigns/${campaignId}/stats`, cell, 'cell-bench')
    ).json()) as {
      byCategory: Record<string, number>;
    };
    const enrolled = stats.byCategory.TOP_UP ?? 0;
    log(
      `activation ${activationSeconds.toFixed(1)} s: ${enrolled} top-ups, ${progress.households} households read`,
    );

    // Its raw reference: the same range queries a page at a time, one plain BatchWrite per page.
    // The reference the target is judged on: the worker's own DynamoDB calls replayed at the
    // concurrency it reached (activation-reference.ts). The blind-write floor above is informational.
    // The capture is the bench's own memory: replayed and dropped here (not held in this async
    // function's frame through the later stages, whose heap after GC it would otherwise inflate).
    const replay = await replayActivationCalls(
      doc,
      activationCalls.stop(),
      Math.max(1, activationCalls.peakInFlight),
    );
    log(
      `activation replay: ${replay.calls} calls (${replay.errors} refused) at ${replay.concurrency} in ${replay.seconds.toFixed(1)} s`,
    );
    const [rawRead, rawActivation] = await timed(() =>
      rawActivationPages(doc, config.tables.registry, districts),
    );
    record({
      ...stageOf('activation', enrolled, activationSeconds, replay.seconds),
      floorSeconds: rawActivation,
      floorRatio: rawActivation / activationSeconds,
    });
    log(`raw activation pages: ${rawRead} households in ${rawActivation.toFixed(1)} s`);

    watch.mark(); // nor is the activation's reference the batch making's
    const payments = await runPayments(staff, campaignId, log, record);
    // File in to the last payment file out, less the raw reference run in between.
    const endToEndSeconds = payments.exportedAt - endToEnd / 1000 - rawActivation - replay.seconds;
    return {
      size,
      importPath: 'single-process',
      stages,
      batches: payments.batches,
      endToEndSeconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      loadAverage: [load0, loadavg()[0] ?? 0],
    };
  } catch (error) {
    // Printed before the stack stops: a stop that fails too would hide it.
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw error;
  } finally {
    // For finding what a run keeps: SCALE_HEAP_SNAPSHOT=dir writes the heap as the run ends.
    if (process.env.SCALE_HEAP_SNAPSHOT)
      log(
        `heap snapshot ${writeHeapSnapshot(join(process.env.SCALE_HEAP_SNAPSHOT, `scale-${size}.heapsnapshot`))}`,
      );
    watch.stop();
    await stack.stop();
  }
}

/** The emulators' child processes of the stack in `stackDir`, by the pid files they write there. */
async function emulatorPids(stackDir: string): Promise<Record<string, number>> {
  const pids: Record<string, number> = {};
  for (const [name, kind] of [
    ['dynalite', 'dynamodb'],
    ['fauxqs', 'sqs'],
  ] as const) {
    const pid = Number((await readFile(join(stackDir, `${kind}-emulator.pid`), 'utf8')).trim());
    if (pid > 0) pids[name] = pid;
  }
  return pids;
}

/** Every district's households a page of {@link PAGE} at a time ({@link CONSUMERS} districts at once), each page written back. */
async function rawActivationPages(
  doc: ReturnType<typeof getRuntime>['doc'],
  table: string,
  districts: readonly string[],
): Promise<number> {
  let households = 0;
  const queue = [...districts];
  const worker = async () => {
    for (let district = queue.shift(); district !== undefined; district = queue.shift()) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'byDistrict',
            KeyConditionExpression: 'gsi1pk = :d AND gsi1sk <= :max',
            ExpressionAttributeValues: {
              ':d': registryKeys.districtIndex(district),
              ':max': `${registryKeys.scoreSortKey(100, '')}\uffff`,
              ':p': 'KAFAALAT',
            },
            FilterExpression: 'contains(programmes, :p)',
            Limit: PAGE,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        start = page.LastEvaluatedKey;
        const items = (page.Items ?? []).map((h) => ({
          pk: `RAW#${String(h.householdId)}`,
          sk: 'ENROLLMENT',
          district,
          amount: 6000,
        }));
        households += items.length;
        for (let i = 0; i < items.length; i += 25) {
          const chunk = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
          let unprocessed: Record<string, unknown> | undefined = { 'scale-raw-operations': chunk };
          while (unprocessed && Object.keys(unprocessed).length > 0) {
            const out: { UnprocessedItems?: Record<string, unknown> } = await doc.send(
              new BatchWriteCommand({ RequestItems: unprocessed as never }),
            );
            unprocessed = out.UnprocessedItems;
          }
        }
      } while (start);
    }
  };
  await Promise.all(Array.from({ length: CONSUMERS }, worker));
  return households;
}

const [sizeArg, dirArg] = process.argv.slice(2);
if (!sizeArg || !dirArg) throw new Error('usage: scale-run.ts SIZE DATA_DIR');
const run = await runSize(Number(sizeArg), dirArg);
process.stdout.write(`${JSON.stringify(run)}\n`);
process.exit(0);
